"""Who handles a case: the mediator and co-mediators chosen from the centre's mediators at 诊→调
(人民调解法 Art. 19), and the 包案领导 named on a case (required before a 红 case moves on). The
choosers of the GUI and the CLI read the same lists as the services check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cases.entities import Case, CoMediator, StageEvent
from models.dto import Actor
from models.errors import NotFound, ValidationFailed
from models.org.entities import Desk, Role, User
from models.security.permissions import Permission, require_on_case


@dataclass(frozen=True)
class StaffChoice:
    """One user a chooser offers (a mediator or a leader)."""

    id: int
    username: str
    name: str
    desk: str | None

    @property
    def label(self) -> str:
        return f"{self.name}（{self.desk}）" if self.desk else self.name


@dataclass(frozen=True)
class MediatorChoice:
    mediator_id: int
    co_mediator_ids: tuple[int, ...]


def staff_choices(session: Session, role: Role) -> list[StaffChoice]:
    """The centre's active users of `role`, by desk then name."""
    query = (select(User.id, User.username, User.display_name, Desk.name).outerjoin(Desk, Desk.id == User.desk_id)
             .where(User.role == role.value, User.active).order_by(Desk.name, User.display_name, User.id))
    return [StaffChoice(*row) for row in session.execute(query)]


def mediator_choices(session: Session) -> list[StaffChoice]:
    return staff_choices(session, Role.MEDIATOR)


def leader_choices(session: Session) -> list[StaffChoice]:
    return staff_choices(session, Role.LEADER)


def find_user_id(session: Session, username: str, role: Role) -> int:
    """A user of `role` by login name (the CLI's --mediator / --leader)."""
    found = session.scalar(select(User.id).where(User.username == username.strip(), User.role == role.value,
                                                 User.active))
    if found is None:
        raise NotFound(f"找不到在岗的{role.value}账户：{username}")
    return found


def check_choice(session: Session, mediator_id: int, co_mediator_ids: Sequence[int] = ()) -> MediatorChoice:
    """The mediator and co-mediators, each an active mediator of the centre, no one twice."""
    co = tuple(dict.fromkeys(co_mediator_ids))
    if mediator_id in co:
        raise ValidationFailed("调解员不能同时列为协助调解员", {"co_mediators": "请去掉重复的调解员"})
    for user_id in (mediator_id, *co):
        _check_role(session, user_id, Role.MEDIATOR, "调解员")
    return MediatorChoice(mediator_id, co)


def _check_role(session: Session, user_id: int, role: Role, what: str) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active or user.role != role.value:
        raise ValidationFailed(f"{what}须从本中心在岗的{role.value}中选择（账户编号 {user_id} 不是）", {"mediator": f"请选择{what}"})
    return user


def assign(session: Session, case: Case, choice: MediatorChoice) -> None:
    """Record the choice on the case (replacing earlier co-mediators)."""
    case.mediator_id = choice.mediator_id
    case.co_mediators = [CoMediator(user_id=u) for u in choice.co_mediator_ids]
    session.flush()


def co_mediator_names(session: Session, case_id: int) -> tuple[str, ...]:
    query = (select(User.display_name).join(CoMediator, CoMediator.user_id == User.id)
             .where(CoMediator.case_id == case_id).order_by(User.display_name))
    return tuple(session.scalars(query))


def describe(session: Session, case: Case) -> str:
    """'调解员：王芳；协助调解员：李明、赵强' for the stage event's reason and the history."""
    main = session.get(User, case.mediator_id) if case.mediator_id is not None else None
    text = f"调解员：{main.display_name}" if main else ""
    co = co_mediator_names(session, case.id)
    return text + (f"；协助调解员：{'、'.join(co)}" if co else "")


def check_leader(session: Session, leader_id: int) -> None:
    _check_role(session, leader_id, Role.LEADER, "包案领导")


def name_leader(session: Session, case_id: int, leader_id: int, actor: Actor) -> str:
    """Name the 包案领导 of a case (an active 包案领导 account), with an event row; returns the name.
    Whoever may move the case may name its leader (a leader may name themself)."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"案件不存在（编号 {case_id}）")
    require_on_case(session, actor, Permission.CASE_ADVANCE, case)
    leader = _check_role(session, leader_id, Role.LEADER, "包案领导")
    case.leader_id = leader.id
    case.events.append(StageEvent(action="name_leader", from_stage=case.stage, to_stage=case.stage,
                                  user_id=actor.user_id, desk_id=actor.desk_id, reason=f"包案领导：{leader.display_name}"))
    session.flush()
    return leader.display_name
