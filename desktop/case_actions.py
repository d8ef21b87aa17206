"""The stage moves and recorded facts a user can apply to one case from the detail view: check
the blockers first and show them all, ask for a reason where the table needs one, then run the
service as one unit of work through the command runner."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.context import DeskContext
from models.cases.desk_queries import action_blockers
from models.cases.mediators import StaffChoice, mediator_choices
from models.cases.service import advance_stage, record
from models.cases.stages import (
    ARBITRATION_RESULTS,
    ARBITRATION_TRACKS,
    COURT_OUTCOMES,
    IRREVERSIBLE_ACTIONS,
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
        """Try one stage move; returns True when it was made. 诊→调 asks for the mediator (and
        co-mediators); an irreversible move asks for confirmation last, after every other answer."""
        asks_mediator = transition.action == "refer_mediation"
        with self.ctx.db.read() as session:
            found = action_blockers(session, case_id, transition.action, mediator_asked=asks_mediator)
            choices = mediator_choices(session) if asks_mediator else []
        if found:
            self.ctx.dialogs.blocked(transition.label, found)
            return False
        reason = ""
        if transition.needs_reason:
            answer = self.ctx.dialogs.ask_text(transition.label, f"请填写“{transition.label}”的理由：")
            if answer is None or not answer.strip():
                return False
            reason = answer
        chosen: tuple[int, tuple[int, ...]] | None = None
        if asks_mediator:
            chosen = self._ask_mediators(transition.label, choices)
            if chosen is None:
                return False
        if transition.action in IRREVERSIBLE_ACTIONS and not self.ctx.dialogs.confirm(
                transition.label, f"“{transition.label}”办理后不能撤回，确定要办理吗？"):
            return False
        mediator_id, co_ids = chosen if chosen else (None, ())
        outcome = self.ctx.runner.run(
            lambda s: advance_stage(s, case_id, transition.action, self.ctx.actor(), reason,
                                    mediator_id=mediator_id, co_mediator_ids=co_ids),
            changed_case=lambda ref: ref.id, title=transition.label,
        )
        return outcome.ok

    def _ask_mediators(self, title: str, choices: list[StaffChoice]) -> tuple[int, tuple[int, ...]] | None:
        """The mediator (one of the centre's mediators) and any co-mediators, or None when cancelled."""
        if not choices:
            self.ctx.dialogs.error(title, "本中心尚无在岗调解员账户，请先由系统管理员添加")
            return None
        by_label = {c.label: c.id for c in choices}
        main = self.ctx.dialogs.choose(f"{title}：选择调解员", "调解员：", list(by_label))
        if main is None:
            return None
        others = [label for label in by_label if label != main]
        co = self.ctx.dialogs.choose_many(f"{title}：协助调解员", "协助调解员（可不选）：", others) if others else []
        if co is None:
            return None
        return by_label[main], tuple(by_label[label] for label in co)

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
