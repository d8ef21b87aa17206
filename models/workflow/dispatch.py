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
from models.cases.entities import Case, Dispatch, DispatchTarget
from models.cases.service import load_case
from models.cases.stages import CLOSED_STAGES
from models.deadlines import compute_due, rules_for
from models.dto import Actor
from models.errors import NotFound, TransitionRefused, ValidationFailed
from models.org.entities import Desk, OrgUnit, Role, User
from models.security.permissions import Permission, require, require_on_case
from models.workflow.calendar_store import work_calendar
from models.workflow.deadline_service import case_clocks, centre_rules
from models.workflow.dispatch_states import (
    CLOSED_DISPATCH_STATES,
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
    case = load_case(session, case_id)
    require_on_case(session, actor, Permission.CASE_ADVANCE, case)
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
    """Apply one move of the closed loop (feedback, verify_pass, verify_fail, archive, cancel), by the
    party that owns it: the department gives feedback, the grid worker or the centre verifies."""
    require(session, actor, Permission.DISPATCH_WORK)
    dispatch = _load(session, dispatch_id)
    found = dispatch_blockers(dispatch.status, action, text) + owner_problems(session, dispatch, action, actor)
    if found:
        raise TransitionRefused(DISPATCH_ACTION_LABELS.get(action, action), found)
    return _apply(session, dispatch, action, actor, text, None, on)


def evaluate_dispatch(
    session: Session, dispatch_id: int, satisfaction: str, actor: Actor, text: str = "", on: date | None = None,
) -> DispatchView:
    """回访评价 by the centre: 满意/基本满意 completes the loop; 不满意 re-opens the work (shown 红 until done again)."""
    require(session, actor, Permission.DISPATCH_WORK)
    if satisfaction not in (*SATISFIED, DISSATISFIED):
        raise ValidationFailed(f"满意度无效：{satisfaction}（满意、基本满意、不满意）")
    action = "reopen" if satisfaction == DISSATISFIED else "evaluate"
    dispatch = _load(session, dispatch_id)
    found = dispatch_blockers(dispatch.status, action, text if action == "reopen" else "—")
    found += owner_problems(session, dispatch, action, actor)
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
    if action in SEND_BACK:  # the redo gets a new 化解时限 from the day it was sent back
        due = _default_deadline(session, dispatch.case_id, on or clock.today())
        for target in dispatch.targets:
            if target.role in HANDLING_ROLES:
                target.deadline = due
        session.flush()
    return dispatch_view(session, dispatch.id)


SEND_BACK = ("verify_fail", "reopen")
HANDLING_ROLES = ("主办", "协办")
# Who owns each step: the handling department's account, the supervising grid worker, or the centre.
STEP_OWNERS = {"feedback": HANDLING_ROLES, "verify_pass": ("属地监督",), "verify_fail": ("属地监督",)}
CENTRE_ROLES = frozenset({Role.MEDIATOR, Role.LEADER, Role.CLERK, Role.LIAISON})


def owner_problems(session: Session, dispatch: Dispatch, action: str, actor: Actor) -> list[str]:
    """Why `actor` may not do this step: feedback is the department's (the 主办/协办 account named on
    the dispatch), verification the grid worker's or the centre's, evaluation and the rest the centre's."""
    if actor.user_id is None:
        return []  # the local operator (system) — permissions.require already decided
    user = session.get_one(User, actor.user_id)
    named = {t.user_id for t in dispatch.targets if t.role in STEP_OWNERS.get(action, ())}
    if action == "feedback":
        if user.id in named or (not named - {None} and user.role in CENTRE_ROLES):
            return []
        return ["处置反馈须由派单指定的主办/协办单位账户办理"]
    if action in ("verify_pass", "verify_fail"):
        if user.id in named or user.role in CENTRE_ROLES:
            return []
        return ["核查须由属地网格员或中心办理"]
    return [] if user.role in CENTRE_ROLES else [f"“{DISPATCH_ACTION_LABELS.get(action, action)}”须由中心办理"]


@dataclass(frozen=True)
class InboxItem:
    dispatch_id: int
    case_id: int
    case_number: str
    status: str
    my_part: str  # 主办 / 协办 / 属地监督 / 中心
    next_step: str
    deadline: date | None


def dispatch_inbox(session: Session, actor: Actor) -> list[InboxItem]:
    """待我办理: the open dispatches whose next step is the signed-in user's part."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    query = (select(Dispatch, DispatchTarget, Case.number).join(DispatchTarget, DispatchTarget.dispatch_id == Dispatch.id)
             .join(Case, Case.id == Dispatch.case_id).where(Dispatch.status.not_in(CLOSED_DISPATCH_STATES))
             .order_by(DispatchTarget.deadline, Dispatch.id))
    found: dict[int, InboxItem] = {}
    for dispatch, target, number in session.execute(query):
        for move in dispatch_actions_from(dispatch.status):
            if move.action == "cancel" or dispatch.id in found:
                continue
            mine = target.user_id is not None and user is not None and target.user_id == user.id \
                and target.role in STEP_OWNERS.get(move.action, ())
            centre = user is not None and user.role in CENTRE_ROLES and move.action not in STEP_OWNERS
            if mine or centre:
                found[dispatch.id] = InboxItem(dispatch.id, dispatch.case_id, number, dispatch.status,
                                               target.role if mine else "中心", move.label, target.deadline)
    return list(found.values())


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


@dataclass(frozen=True)
class Assignee:
    """Someone a dispatch can go to: a department (its desk and liaison account) or a grid worker."""

    label: str
    unit_name: str
    desk_id: int | None
    user_id: int


def dispatch_choices(session: Session) -> tuple[list[Assignee], list[Assignee]]:
    """The departments (部门 desks with their liaison accounts) and the grid workers (with their grid)."""
    departments = [Assignee(f"{desk_name}（{user_name}）", desk_name, desk_id, user_id)
                   for desk_id, desk_name, user_id, user_name in session.execute(
                       select(Desk.id, Desk.name, User.id, User.display_name).join(User, User.desk_id == Desk.id)
                       .where(Desk.category == "部门", User.role == Role.DEPT_LIAISON, User.active).order_by(Desk.sort_order))]
    grids: list[Assignee] = []
    for user_id, user_name, unit_name, parent_name in session.execute(
            select(User.id, User.display_name, OrgUnit.name, _parent.name).join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .outerjoin(_parent, _parent.id == OrgUnit.parent_id)
            .where(User.role == Role.GRID_WORKER, User.active).order_by(_parent.name, OrgUnit.name)):
        unit = f"{parent_name or ''}{unit_name}"
        grids.append(Assignee(f"{unit}　{user_name}", f"{unit}网格员", None, user_id))
    return departments, grids


_parent = aliased(OrgUnit)
