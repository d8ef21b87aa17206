"""The stage moves, recorded outcomes and 作废 a user can apply to one case from the detail view:
check the blockers first and show them all, ask for a reason where the table needs one, then run
the service as one unit of work through the command runner. Which outcome may be recorded where is
the outcome table's (models/cases/outcomes.py), read here and enforced again by the service."""

from __future__ import annotations

from desktop.context import DeskContext
from models.cases.desk_queries import action_blockers
from models.cases.outcomes import Outcome
from models.cases.service import advance_stage, record
from models.cases.stages import Transition
from models.cases.voiding import void_case

CONFIRM_VOID, KEEP = "确认作废", "取消"


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

    def record(self, case_id: int, outcome: Outcome, stage: str, current: str | None = None) -> bool:
        """Ask for one of the values the outcome table allows at `stage` (and, for 调解结果, an
        optional note) and record it; the service checks the table again."""
        choices = outcome.values_at(stage) or outcome.values
        value = self.ctx.dialogs.choose(f"记录{outcome.label}", f"请选择{outcome.label}：", choices, current)
        if value is None:
            return False
        note = ""
        if outcome.asks_note:
            note = (self.ctx.dialogs.ask_text(f"{outcome.label}说明", "说明（可不填）：") or "").strip()
        result = self.ctx.runner.run(
            lambda s: record(s, case_id, outcome.field, value, self.ctx.actor(), note),
            changed_case=lambda _none: case_id, title=f"记录{outcome.label}",
        )
        return result.ok

    def void(self, case_id: int, number: str) -> bool:
        """作废 a case registered in error: a reason, then an explicit confirmation (it cannot be undone)."""
        reason = self.ctx.dialogs.ask_text("作废案件", f"作废“{number}”的理由（如重复登记、误登记）：")
        if reason is None or not reason.strip():
            return False
        answer = self.ctx.dialogs.choose(
            "确认作废", f"作废后“{number}”保留案号、仍可查询，但不再办理，不计入台账和统计，且不能撤销。",
            [CONFIRM_VOID, KEEP], KEEP)
        if answer != CONFIRM_VOID:
            return False
        result = self.ctx.runner.run(lambda s: void_case(s, case_id, reason, self.ctx.actor()),
                                     changed_case=lambda ref: ref.id, title="作废案件")
        return result.ok
