"""双派单 and its closed loop: dispatch to the handling department (主办, optional 协办) and the
supervising grid worker (属地监督) at once, then 处置反馈 → 核查 (pass / send back) → 回访评价
(不满意 re-opens) → 归档, every step a history row. The moves are the table in dispatch_states.

Services take the caller's session, never commit, and return frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from models import clock
from models.cases.entities import Dispatch, DispatchTarget
from models.cases.service import load_case
from models.cases.stages import CLOSED_STAGES
from models.deadlines import compute_due, rules_for
from models.dto import Actor
from models.errors import NotFound, TransitionRefused, ValidationFailed
from models.org.entities import Desk, User
from models.security.permissions import Permission, require
from models.workflow.calendar_store import work_calendar
from models.workflow.deadline_service import case_clocks, centre_rules
from models.workflow.dispatch_states import (
    DISPATCH_ACTION_LABELS,
    DISPATCH_BY_ACTION,
    DISSATISFIED,
    ROLE_LABELS,
    SATISFIED,
    DispatchState,
    dispatch_actions_from,
    dispatch_blockers,
    target_problems,
)
from models.workflow.entities import DispatchEvent


@dataclass(frozen=True)
class TargetInput:
    role: str  # 主办 | 协办 | 属地监督
    unit_name: str
    desk_id: int | None = None
    user_id: int | None = None
    deadline: date | None = None  # None: the 化解时限 of the case's complexity


@dataclass(frozen=True)
class TargetView:
    role: str
    unit_name: str
    person: str | None
    deadline: date | None


@dataclass(frozen=True)
class DispatchEventView:
    at: datetime
    step: str
    action: str
    from_status: str | None
    to_status: str
    user: str | None
    desk: str | None
    text: str
    satisfaction: str | None


@dataclass(frozen=True)
class DispatchView:
    id: int
    case_id: int
    status: str
    dispatched_on: date
    note: str
    targets: tuple[TargetView, ...]
    history: tuple[DispatchEventView, ...]
    allowed_actions: tuple[tuple[str, str], ...]
    redo_count: int


def open_dispatch(
    session: Session, case_id: int, targets: list[TargetInput], actor: Actor, note: str = "",
    on: date | None = None,
) -> DispatchView:
    """Send one dispatch to every target at once; a target without a deadline gets the case's 化解时限."""
    require(session, actor, Permission.CASE_ADVANCE)
    case = load_case(session, case_id)
    if case.stage in CLOSED_STAGES:
        raise ValidationFailed(f"案件已{case.stage}，不能再派单")
    problems = target_problems([t.role for t in targets]) + _unnamed(targets)
    if problems:
        raise ValidationFailed("派单信息有误：" + "；".join(problems))
    day = on or clock.today()
    default_due = _default_deadline(session, case_id, day)
    dispatch = Dispatch(case_id=case_id, created_by_id=actor.user_id, note=note.strip(),
                        status=DispatchState.DISPATCHED, created_at=_at(day))
    dispatch.targets = [DispatchTarget(role=t.role, unit_name=t.unit_name.strip(), desk_id=t.desk_id,
                                       user_id=t.user_id, deadline=t.deadline or default_due) for t in targets]
    session.add(dispatch)
    session.flush()
    session.add(_history(dispatch.id, "dispatch", "派遣", None, DispatchState.DISPATCHED, actor, note, at=_at(day)))
    session.flush()  # the deadline hook re-syncs the case's clocks
    return dispatch_view(session, dispatch.id)


def _unnamed(targets: list[TargetInput]) -> list[str]:
    return [f"{ROLE_LABELS.get(t.role, t.role)}未填写" for t in targets if not t.unit_name.strip()]


def _at(day: date) -> datetime:
    """Noon local time of `day` as an aware UTC datetime (a dispatch dated in the past keeps its day)."""
    if day == clock.today():
        return clock.now()
    return datetime.combine(day, time(12)).astimezone().astimezone(UTC)


def _default_deadline(session: Session, case_id: int, day: date) -> date | None:
    case = load_case(session, case_id)
    facts = case_clocks(session, case).facts.get("case_dispatched", {"complexity": case.complexity})
    rules = rules_for("case_dispatched", facts, centre_rules(session))  # the centre's stored limits
    return compute_due(rules[0], day, work_calendar(session)).due_date if rules else None


def _history(dispatch_id: int, action: str, step: str, source: str | None, target: str, actor: Actor,
             text: str, satisfaction: str | None = None, at: datetime | None = None) -> DispatchEvent:
    row = DispatchEvent(dispatch_id=dispatch_id, action=action, step=step, from_status=source, to_status=target,
                        user_id=actor.user_id, desk_id=actor.desk_id, text=text.strip(), satisfaction=satisfaction)
    if at is not None:
        row.at = at
    return row


def move_dispatch(
    session: Session, dispatch_id: int, action: str, actor: Actor, text: str = "", on: date | None = None,
) -> DispatchView:
    """Apply one move of the closed loop (feedback, verify_pass, verify_fail, archive, cancel)."""
    require(session, actor, Permission.CASE_RECORD)
    dispatch = _load(session, dispatch_id)
    found = dispatch_blockers(dispatch.status, action, text)
    if found:
        raise TransitionRefused(DISPATCH_ACTION_LABELS.get(action, action), found)
    return _apply(session, dispatch, action, actor, text, None, on)


def evaluate_dispatch(
    session: Session, dispatch_id: int, satisfaction: str, actor: Actor, text: str = "", on: date | None = None,
) -> DispatchView:
    """回访评价: 满意/基本满意 completes the loop; 不满意 re-opens the work (shown 红 until done again)."""
    require(session, actor, Permission.CASE_RECORD)
    if satisfaction not in (*SATISFIED, DISSATISFIED):
        raise ValidationFailed(f"满意度无效：{satisfaction}（满意、基本满意、不满意）")
    action = "reopen" if satisfaction == DISSATISFIED else "evaluate"
    dispatch = _load(session, dispatch_id)
    found = dispatch_blockers(dispatch.status, action, text if action == "reopen" else "—")
    if found:
        raise TransitionRefused("回访评价", found)
    return _apply(session, dispatch, action, actor, text, satisfaction, on)


def _apply(session: Session, dispatch: Dispatch, action: str, actor: Actor, text: str,
           satisfaction: str | None, on: date | None) -> DispatchView:
    move = DISPATCH_BY_ACTION[action]
    at = _at(on) if on else None
    session.add(_history(dispatch.id, action, move.step, dispatch.status, move.target, actor, text, satisfaction, at))
    dispatch.status = move.target
    session.flush()  # the deadline hook re-syncs the case's clocks
    return dispatch_view(session, dispatch.id)


def _load(session: Session, dispatch_id: int) -> Dispatch:
    dispatch = session.get(Dispatch, dispatch_id)
    if dispatch is None:
        raise NotFound(f"派单不存在（编号 {dispatch_id}）")
    return dispatch


def dispatch_view(session: Session, dispatch_id: int) -> DispatchView:
    dispatch = _load(session, dispatch_id)
    history = _history_views(session, dispatch.id)
    return DispatchView(
        dispatch.id, dispatch.case_id, dispatch.status, dispatch.created_at.astimezone().date(), dispatch.note,
        tuple(_target_view(session, t) for t in dispatch.targets), history,
        tuple((t.action, t.label) for t in dispatch_actions_from(dispatch.status)),
        sum(1 for h in history if h.action in (DISPATCH_ACTION_LABELS["verify_fail"], DISPATCH_ACTION_LABELS["reopen"])),
    )


def case_dispatches(session: Session, case_id: int) -> list[DispatchView]:
    ids = session.scalars(select(Dispatch.id).where(Dispatch.case_id == case_id).order_by(Dispatch.id))
    return [dispatch_view(session, i) for i in ids]


def _target_view(session: Session, target: DispatchTarget) -> TargetView:
    person = session.get(User, target.user_id) if target.user_id else None
    return TargetView(target.role, target.unit_name, person.display_name if person else None, target.deadline)


def _history_views(session: Session, dispatch_id: int) -> tuple[DispatchEventView, ...]:
    user, desk = aliased(User), aliased(Desk)
    query = (select(DispatchEvent, user.display_name, desk.name)
             .outerjoin(user, user.id == DispatchEvent.user_id).outerjoin(desk, desk.id == DispatchEvent.desk_id)
             .where(DispatchEvent.dispatch_id == dispatch_id).order_by(DispatchEvent.id))
    return tuple(
        DispatchEventView(e.at, e.step, DISPATCH_ACTION_LABELS.get(e.action, e.action), e.from_status, e.to_status,
                          name, desk_name, e.text, e.satisfaction)
        for e, name, desk_name in session.execute(query)
    )
