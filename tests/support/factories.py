"""Small builders for test data that goes through the real services."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cases.entities import Case
from models.cases.service import advance_stage
from models.dto import Actor, CaseDraft, CaseRef, PartyInput
from models.org.entities import Committee, Desk, Role, User

ACTOR = Actor()


def committee(session: Session, code: str = "玉门", pattern: str | None = None) -> int:
    desk = Desk(name=f"{code}窗口")
    session.add(desk)
    session.flush()
    row = Committee(name=f"{code}人民调解委员会", kind="人民调解委员会", code=code, desk_id=desk.id)
    if pattern:
        row.number_pattern = pattern
    session.add(row)
    session.flush()
    return row.id


def draft(committee_id: int, *, received: date = date(2025, 3, 5), source: str = "来访", **extra: object) -> CaseDraft:
    parties = (
        PartyInput(side="申请方", name="张三", sex="女", phone="13812345678", id_number="11010519491231002X"),
        PartyInput(side="被申请方", name="李四", phone="0937-1234567"),
    )
    return CaseDraft(
        committee_id=committee_id, source_channel=source, dispute_type_code="02", summary="排水沟堵塞引发邻里纠纷",
        received_date=received, parties=parties, **extra,  # type: ignore[arg-type]  # **extra: the fields a test sets
    )


def mediator(session: Session, username: str = "mediator-1", *, desk_id: int | None = None,
             name: str = "王调解") -> int:
    """An active 调解员 account (created on first use), for the mediator 诊→调 requires."""
    found = session.scalar(select(User.id).where(User.username == username))
    if found is not None:
        return found
    user = User(username=username, display_name=name, role=Role.MEDIATOR.value, desk_id=desk_id)
    session.add(user)
    session.flush()
    return user.id


def refer(session: Session, case_id: int, actor: Actor = ACTOR, mediator_id: int | None = None) -> CaseRef:
    """诊→调 with a mediator: the one given, else the one chosen at registration, else the factory's."""
    registered = session.get_one(Case, case_id).mediator_id
    chosen = mediator_id or registered or mediator(session)
    return advance_stage(session, case_id, "refer_mediation", actor, mediator_id=chosen)
