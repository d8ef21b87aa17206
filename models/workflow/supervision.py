"""Supervision (督办): 督办单 records, deadline lists across the centre (due soon / overdue, per
desk and per person) and what the user sees at start-up. Colours come from the engine's
`colour_for` with the thresholds stored in the database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import clock
from models.cases.entities import Case
from models.cases.service import load_case
from models.cases.stages import CLOSED_STAGES
from models.deadlines import SUPERVISION_COLOURS
from models.dto import Actor
from models.errors import NotFound, ValidationFailed
from models.org.entities import Desk, User
from models.security.permissions import Permission, require_on_case, require_on_case_id
from models.workflow.calendar_store import thresholds
from models.workflow.deadline_service import DeadlineView, deadline_views, reopened_cases, supervised
from models.workflow.entities import CaseDeadline, SupervisionOrder

SUPERVISION_LEVELS = SUPERVISION_COLOURS  # 提醒督办 / 预警督办 / 挂牌督办: a 督办 order takes a deadline's colour
LEVEL_NAMES = dict(zip(SUPERVISION_LEVELS, ("提醒督办", "预警督办", "挂牌督办"), strict=True))


@dataclass(frozen=True)
class SupervisionView:
    id: int
    number: str
    case_id: int
    case_number: str
    level: str
    issued_on: date
    issued_by: str
    requirement: str
    reply_due: date
    reply: str | None
    replied_on: date | None
    overdue_reply: bool


def issue_supervision(
    session: Session, case_id: int, level: str, requirement: str, reply_due: date, actor: Actor,
    issued_by: str | None = None, issued_on: date | None = None,
) -> SupervisionView:
    """Issue a 督办单 numbered 督办〔YYYY〕N号 within the year."""
    case = load_case(session, case_id)
    require_on_case(session, actor, Permission.SUPERVISE, case)  # the 包案领导 issues 督办
    day = issued_on or clock.today()
    problems = _issue_problems(level, requirement, reply_due, day)
    if problems:
        raise ValidationFailed("督办信息有误：" + "；".join(problems))
    seq = int(session.scalar(select(func.max(SupervisionOrder.seq)).where(SupervisionOrder.year == day.year)) or 0) + 1
    order = SupervisionOrder(
        number=f"督办〔{day.year}〕{seq}号", year=day.year, seq=seq, case_id=case.id, level=level, issued_on=day,
        issued_by_id=actor.user_id, issued_by_name=issued_by or _user_name(session, actor.user_id) or "系统",
        requirement=requirement.strip(), reply_due=reply_due,
    )
    session.add(order)
    session.flush()
    return _order_view(session, order, clock.today())


def _issue_problems(level: str, requirement: str, reply_due: date, day: date) -> list[str]:
    found = []
    if level not in SUPERVISION_LEVELS:
        found.append(f"督办级别应为 {'、'.join(SUPERVISION_LEVELS)}")
    if not requirement.strip():
        found.append("请填写督办要求")
    if reply_due < day:
        found.append("回告期限不能早于督办日期")
    return found


def reply_supervision(session: Session, order_id: int, reply: str, actor: Actor, on: date | None = None) -> SupervisionView:
    """回告: the handling unit's answer to a 督办单."""
    order = session.get(SupervisionOrder, order_id)
    if order is None:
        raise NotFound(f"督办单不存在（编号 {order_id}）")
    require_on_case_id(session, actor, Permission.CASE_RECORD, order.case_id)
    if not reply.strip():
        raise ValidationFailed("请填写回告内容", {"reply": "请填写回告内容"})
    order.reply, order.replied_on, order.replied_by_id = reply.strip(), on or clock.today(), actor.user_id
    session.flush()
    return _order_view(session, order, clock.today())


def _user_name(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id else None
    return user.display_name if user else None


def _order_view(session: Session, order: SupervisionOrder, today: date) -> SupervisionView:
    number = session.get_one(Case, order.case_id).number
    late = order.reply is None and today > order.reply_due
    return SupervisionView(order.id, order.number, order.case_id, number, order.level, order.issued_on,
                           order.issued_by_name, order.requirement, order.reply_due, order.reply, order.replied_on, late)


def list_supervisions(session: Session, *, case_id: int | None = None, open_only: bool = False,
                      today: date | None = None) -> list[SupervisionView]:
    query = select(SupervisionOrder).order_by(SupervisionOrder.issued_on.desc(), SupervisionOrder.id.desc())
    if case_id is not None:
        query = query.where(SupervisionOrder.case_id == case_id)
    if open_only:
        query = query.where(SupervisionOrder.reply.is_(None))
    return [_order_view(session, o, today or clock.today()) for o in session.scalars(query)]


# ---- deadline lists ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineFilter:
    overdue_only: bool = False
    desk_id: int | None = None
    person_id: int | None = None  # the case's mediator, or its 首问 person when none is assigned


def list_deadlines(session: Session, today: date | None = None, flt: DeadlineFilter = DeadlineFilter(),
                   limit: int = 500) -> list[DeadlineView]:
    """Open deadlines that show a colour (approaching, due or overdue), most urgent first."""
    today = today or clock.today()
    limits = thresholds(session)
    person = func.coalesce(Case.mediator_id, Case.first_handler_id)
    query = (select(CaseDeadline, Desk.name, User.display_name).join(Case, Case.id == CaseDeadline.case_id)
             .outerjoin(Desk, Desk.id == Case.desk_id).outerjoin(User, User.id == person)
             .where(supervised(today), Case.stage.not_in(CLOSED_STAGES)))  # a closed case is never overdue work
    if flt.overdue_only:
        query = query.where(CaseDeadline.due_date < today)
    else:  # approaching, due or overdue — and every open clock of a re-opened case (shown 红)
        horizon = today + timedelta(days=limits.blue_days_before)
        query = query.where((CaseDeadline.due_date <= horizon) | CaseDeadline.case_id.in_(reopened_cases()))
    if flt.desk_id is not None:
        query = query.where(Case.desk_id == flt.desk_id)
    if flt.person_id is not None:
        query = query.where(person == flt.person_id)
    rows = session.execute(query.order_by(CaseDeadline.due_date, CaseDeadline.id).limit(limit)).all()
    return deadline_views(session, [r[0] for r in rows], today, limits=limits,
                          extras=[{"desk": desk, "person": name} for _, desk, name in rows])


@dataclass(frozen=True)
class DueSummary:
    """What the user sees at start-up."""

    due_today: tuple[DeadlineView, ...]
    overdue: tuple[DeadlineView, ...]
    approaching: int
    open_supervisions: int

    @property
    def message(self) -> str:
        return (f"今日到期 {len(self.due_today)} 项，已超期 {len(self.overdue)} 项，"
                f"即将到期 {self.approaching} 项，待回告督办 {self.open_supervisions} 件")


def due_summary(session: Session, today: date | None = None, flt: DeadlineFilter = DeadlineFilter()) -> DueSummary:
    today = today or clock.today()
    shown = list_deadlines(session, today, flt)
    open_orders = session.scalar(select(func.count()).select_from(SupervisionOrder)
                                 .where(SupervisionOrder.reply.is_(None))) or 0
    return DueSummary(
        tuple(d for d in shown if d.due_date == today), tuple(d for d in shown if d.due_date < today),
        sum(1 for d in shown if d.due_date > today), int(open_orders),
    )


def overdue_counts(session: Session, today: date | None = None, *, by: str = "desk") -> list[tuple[str, int]]:
    """Overdue open deadlines counted per desk (by="desk") or per person (by="person"), most first."""
    today = today or clock.today()
    person = func.coalesce(Case.mediator_id, Case.first_handler_id)
    name = Desk.name if by == "desk" else User.display_name
    query = (select(name, func.count()).select_from(CaseDeadline).join(Case, Case.id == CaseDeadline.case_id)
             .outerjoin(Desk, Desk.id == Case.desk_id).outerjoin(User, User.id == person)
             .where(supervised(today), CaseDeadline.due_date < today, Case.stage.not_in(CLOSED_STAGES))
             .group_by(name))
    counts = Counter({(label or "（未指定）"): int(n) for label, n in session.execute(query)})
    return counts.most_common()


def deadlines_between(session: Session, start: date, end: date, today: date | None = None) -> list[DeadlineView]:
    """Open deadlines due in [start, end] (for the calendar view), whatever their colour."""
    query = (select(CaseDeadline).where(CaseDeadline.completed_on.is_(None), CaseDeadline.due_date >= start,
                                        CaseDeadline.due_date <= end).order_by(CaseDeadline.due_date, CaseDeadline.id))
    return deadline_views(session, list(session.scalars(query)), today or clock.today())


def find_order_id(session: Session, number: str) -> int:
    """A 督办单 by its number (督办〔2026〕3号; ASCII brackets accepted)."""
    wanted = number.strip().replace("[", "〔").replace("]", "〕")
    found = session.scalar(select(SupervisionOrder.id).where(SupervisionOrder.number == wanted))
    if found is None:
        raise NotFound(f"找不到督办单：{number}")
    return int(found)
