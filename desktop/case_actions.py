"""The stage moves, recorded outcomes and 作废 a user can apply to one case from the detail view:
check the blockers first and show them all, ask for a reason where the table needs one, then run
the service as one unit of work through the command runner. Which outcome may be recorded where is
the outcome table's (models/cases/outcomes.py), read here and enforced again by the service."""

from __future__ import annotations

from desktop.context import DeskContext
from models.cases.desk_queries import action_blockers
from models.cases.mediators import StaffChoice, mediator_choices
from models.cases.outcomes import Outcome
from models.cases.service import advance_stage, record
from models.cases.stages import IRREVERSIBLE_ACTIONS, Transition
from models.cases.voiding import void_case

CONFIRM_VOID, KEEP = "确认作废", "取消"


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
