"""我的案件: the cases one user works on — assigned to them (调解员 / 协助调解员 / 包案领导),
registered by them (登记 / 首问), and waiting for their action, by role:

- 调解员: their open cases at 诊 (to accept) or at 调 with no outcome yet, and their 办结 cases
  not yet followed up (回访);
- 书记员: 办结 cases followed up 满意/基本满意, ready to archive (the 卷宗 is theirs);
- 包案领导: open 红 cases with no leader named yet, and open cases they lead;
- 诉调对接专员: open cases at 诉 (the court register is theirs).

The same condition serves the main list's 我的案件 filter and `mediation-desk case mine`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from models.cases.entities import Case, CoMediator
from models.cases.stages import OPEN_STAGES, Stage
from models.org.entities import Role, User

ASSIGNED, REGISTERED, WAITING = "承办", "登记", "待我办理"


def assigned_to(user_id: int) -> ColumnElement[bool]:
    co = select(CoMediator.case_id).where(CoMediator.user_id == user_id)
    return or_(Case.mediator_id == user_id, Case.leader_id == user_id, Case.id.in_(co))


def registered_by(user_id: int) -> ColumnElement[bool]:
    return or_(Case.registered_by_id == user_id, Case.first_handler_id == user_id)


def waiting_for(role: str, user_id: int) -> ColumnElement[bool]:
    """The cases whose next step is this user's, by role (see the module docstring)."""
    if role == Role.MEDIATOR:
        mine = or_(Case.mediator_id == user_id,
                   Case.id.in_(select(CoMediator.case_id).where(CoMediator.user_id == user_id)))
        return and_(mine, or_(Case.stage == Stage.DIAGNOSE,
                              and_(Case.stage == Stage.MEDIATE, Case.mediation_outcome.is_(None)),
                              and_(Case.stage == Stage.CLOSED, Case.followup_satisfaction.is_(None))))
    if role == Role.CLERK:
        return and_(Case.stage == Stage.CLOSED, Case.followup_satisfaction.in_(("满意", "基本满意")))
    if role == Role.LEADER:
        return and_(Case.stage.in_(OPEN_STAGES),
                    or_(Case.leader_id == user_id, and_(Case.risk_colour == "红", Case.leader_id.is_(None))))
    if role == Role.LIAISON:
        return Case.stage == Stage.LITIGATE
    return false()


def mine_condition(session: Session, user_id: int) -> ColumnElement[bool]:
    """SQL: the case is assigned to, registered by, or waiting for the user."""
    role = session.scalar(select(User.role).where(User.id == user_id)) or ""
    return or_(assigned_to(user_id), registered_by(user_id), waiting_for(role, user_id))


@dataclass(frozen=True)
class MyCase:
    id: int
    number: str
    stage: str
    summary: str
    why: tuple[str, ...]  # 承办 / 登记 / 待我办理


def my_cases(session: Session, user_id: int, limit: int = 500) -> list[MyCase]:
    """The user's cases, waiting ones first, newest first, each with why it is theirs."""
    role = session.scalar(select(User.role).where(User.id == user_id)) or ""
    flags = (assigned_to(user_id), registered_by(user_id), waiting_for(role, user_id))
    query = (select(Case.id, Case.number, Case.stage, Case.summary, *flags)
             .where(or_(*flags)).order_by(Case.received_date.desc(), Case.id.desc()).limit(limit))
    found = [MyCase(r[0], r[1], r[2], r[3], tuple(w for w, on in zip((ASSIGNED, REGISTERED, WAITING), r[4:],
                                                                       strict=True) if on))
             for r in session.execute(query)]
    return sorted(found, key=lambda c: WAITING not in c.why)  # stable: keeps newest first within each group
