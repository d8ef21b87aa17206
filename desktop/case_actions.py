"""The stage moves and recorded facts a user can apply to one case from the detail view: check
the blockers first and show them all, ask for a reason where the table needs one, then run the
service as one unit of work through the command runner."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.context import DeskContext
from models.cases.desk_queries import action_blockers
from models.cases.service import advance_stage, record
from models.cases.stages import (
    ARBITRATION_RESULTS,
    ARBITRATION_TRACKS,
    COURT_OUTCOMES,
    MEDIATION_OUTCOMES,
    SATISFACTIONS,
    Stage,
    Transition,
)


@dataclass(frozen=True)
class RecordableFact:
    field: str
    label: str
    choices: tuple[str, ...]
    stages: frozenset[str]  # where the button is enabled (a convenience; the service is the control)


RECORDABLE_FACTS = (
    RecordableFact("mediation_outcome", "调解结果", MEDIATION_OUTCOMES, frozenset({Stage.MEDIATE})),
    RecordableFact("arbitration_track", "仲裁类别", ARBITRATION_TRACKS, frozenset({Stage.DIAGNOSE, Stage.MEDIATE})),
    RecordableFact("arbitration_result", "仲裁结果", ARBITRATION_RESULTS, frozenset({Stage.ARBITRATE})),
    RecordableFact("court_outcome", "法院结果", COURT_OUTCOMES, frozenset({Stage.LITIGATE})),
    RecordableFact("followup_satisfaction", "回访满意度", SATISFACTIONS, frozenset({Stage.CLOSED})),
)


class CaseActions:
    def __init__(self, ctx: DeskContext) -> None:
        self.ctx = ctx

    def advance(self, case_id: int, transition: Transition) -> bool:
        """Try one stage move; returns True when it was made."""
        with self.ctx.db.read() as session:
            found = action_blockers(session, case_id, transition.action)
        if found:
            self.ctx.dialogs.blocked(transition.label, found)
            return False
        reason = ""
        if transition.needs_reason:
            answer = self.ctx.dialogs.ask_text(transition.label, f"请填写“{transition.label}”的理由：")
            if answer is None or not answer.strip():
                return False
            reason = answer
        outcome = self.ctx.runner.run(
            lambda s: advance_stage(s, case_id, transition.action, self.ctx.actor(), reason),
            changed_case=lambda ref: ref.id, title=transition.label,
        )
        return outcome.ok

    def record(self, case_id: int, fact: RecordableFact, current: str | None = None) -> bool:
        """Ask for the value (and, for 调解结果, an optional note) and record it."""
        value = self.ctx.dialogs.choose(f"记录{fact.label}", f"请选择{fact.label}：", fact.choices, current)
        if value is None:
            return False
        note = ""
        if fact.field == "mediation_outcome":
            note = (self.ctx.dialogs.ask_text("调解结果说明", "说明（可不填）：") or "").strip()
        outcome = self.ctx.runner.run(
            lambda s: record(s, case_id, fact.field, value, self.ctx.actor(), note),
            changed_case=lambda _none: case_id, title=f"记录{fact.label}",
        )
        return outcome.ok
