"""Handing a leaver's open cases over: every open case (`OPEN_STAGES`) whose mediator is the old
account gets the new mediator, in one transaction and one audited step.

Who may: the 系统管理员 (ORG_EDIT). He creates and deactivates accounts and owns the organisation,
people's placement included (DOMAIN §1), so deciding who carries a leaver's cases is his. Not
USER_LOCK: the 安全管理员 holds that too, and a security lock (a suspected break-in, a lost badge)
is not a departure; moving someone's cases is an organisational decision, not a security one.

The session's audit hook records each case's mediator change (old and new value); the summary
event `cases_handed_over` names both accounts and the case numbers, so the trail answers "where
did 张三's cases go" in one row. Deadlines stay as they are: the case, not the person, owns them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cases.entities import Case
from models.cases.stages import OPEN_STAGES
from models.dto import Actor
from models.errors import NotFound, ValidationFailed
from models.org.entities import Role, User
from models.security.audit import record_event
from models.security.permissions import Permission, require

#: Who can carry a case as its mediator (Case.mediator_id).
MEDIATING_ROLES = frozenset({Role.MEDIATOR})


@dataclass(frozen=True)
class OpenCaseRow:
    id: int
    number: str
    stage: str
    summary: str
    received_date: date


@dataclass(frozen=True)
class MediatorRow:
    id: int
    username: str
    display_name: str


def open_cases_of(session: Session, user_id: int) -> list[OpenCaseRow]:
    """The open cases `user_id` is the mediator of, oldest first (what a handover would move)."""
    rows = session.execute(
        select(Case.id, Case.number, Case.stage, Case.summary, Case.received_date)
        .where(Case.mediator_id == user_id, Case.stage.in_([s.value for s in OPEN_STAGES]))
        .order_by(Case.received_date, Case.id)
    ).all()
    return [OpenCaseRow(*row) for row in rows]


def active_mediators(session: Session, *, excluding: int | None = None) -> list[MediatorRow]:
    """Who can take cases over: active accounts with a mediating role."""
    query = (select(User.id, User.username, User.display_name)
             .where(User.active.is_(True), User.role.in_([r.value for r in MEDIATING_ROLES]))
             .order_by(User.username))
    return [MediatorRow(*row) for row in session.execute(query) if row.id != excluding]


def hand_over_cases(session: Session, actor: Actor, from_user_id: int, to_user_id: int) -> list[OpenCaseRow]:
    """Make `to_user_id` the mediator of every open case of `from_user_id`; returns the cases moved."""
    require(session, actor, Permission.ORG_EDIT)
    old, new = _user(session, from_user_id), _user(session, to_user_id)
    if old.id == new.id:
        raise ValidationFailed("移交对象不能是原承办人本人")
    if not new.active or new.role not in MEDIATING_ROLES:
        raise ValidationFailed(f"{new.display_name}（{new.username}）不是在岗的调解员，不能接收案件")
    cases = list(session.scalars(
        select(Case).where(Case.mediator_id == old.id, Case.stage.in_([s.value for s in OPEN_STAGES]))
        .order_by(Case.id)))
    if not cases:
        raise ValidationFailed(f"{old.display_name}（{old.username}）名下没有在办案件，无须移交")
    for case in cases:
        case.mediator_id = new.id
    session.flush()
    moved = [OpenCaseRow(c.id, c.number, c.stage, c.summary, c.received_date) for c in cases]
    record_event(session, actor, "cases_handed_over", "users", old.id, to_user=new.username,
                 from_user=old.username, count=len(moved), cases=[c.number for c in moved])
    return moved


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"用户不存在（编号 {user_id}）")
    return user
