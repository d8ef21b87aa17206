"""作废 (void): a case registered in error is marked, never deleted. It keeps its number, stays in
the list and search with the mark "已作废", and every ledger and statistic leaves it out through
the one condition `NOT_VOIDED`. A voided case takes no further changes, and its open clocks are stopped.

不予受理 at 诊 and the party's 撤回 are not voids: they are outcomes with their own reasons."""

from __future__ import annotations

from sqlalchemy import ColumnElement, update
from sqlalchemy.orm import Session

from models import clock
from models.base import utcnow
from models.cases.entities import Case, StageEvent
from models.dto import Actor, CaseRef
from models.errors import NotFound, TransitionRefused
from models.security.audit import record_event
from models.security.permissions import Permission, require_on_case
from models.validation import stored
from models.workflow.entities import CaseDeadline

VOID_MARK = "已作废"
# The one filter every ledger and statistic applies (models/analysis/scope.counted_cases, the ledger).
NOT_VOIDED: ColumnElement[bool] = Case.voided_at.is_(None)


def refuse_if_voided(case: Case, what: str) -> None:
    """A voided case is kept as it was: no correction, outcome or move is recorded on it."""
    if case.voided_at is not None:
        raise TransitionRefused(what, [f"案件 {case.number} 已作废（{case.void_reason or ''}），不能再修改"])


def void_case(session: Session, case_id: int, reason: str, actor: Actor) -> CaseRef:
    """Mark a case registered in error as 作废 with the reason; audited and shown in its history."""
    problems = stored.Problems()
    why = stored.text(problems, "reason", reason, required=True)
    problems.raise_if_any("作废理由有误：")
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"案件不存在（编号 {case_id}）")
    require_on_case(session, actor, Permission.CASE_EDIT, case)
    refuse_if_voided(case, "作废")
    case.voided_at = utcnow()
    case.void_reason = why
    # No work is owed on a void case: its open clocks stop, so it never shows as overdue in 督办.
    session.execute(update(CaseDeadline).where(CaseDeadline.case_id == case.id, CaseDeadline.completed_on.is_(None))
                    .values(completed_on=clock.today()))
    case.events.append(StageEvent(action="void", from_stage=case.stage, to_stage=case.stage, user_id=actor.user_id,
                                  desk_id=actor.desk_id, reason=f"{VOID_MARK}：{why}"))
    session.flush()
    record_event(session, actor, "void", "cases", case.id, number=case.number, reason=why)
    return CaseRef(case.id, case.number, case.stage)
