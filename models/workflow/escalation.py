"""Moving a case along the 枫桥 levels (网格 → 村 → 乡镇 → 县): escalation (上提) to an ancestor
unit and sinking (下沉) to a descendant, each with a reason and kept as history; and 会诊 (joint
consultation) records with the departments present (DOMAIN §1, §3; research §8.1; see docs/ARCHITECTURE.md, "Sources")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from models.cases.service import load_case
from models.dto import Actor
from models.errors import NotFound, ValidationFailed
from models.org.entities import OrgUnit, User
from models.security.permissions import Permission, require_on_case
from models.workflow.entities import Consultation, LevelMove

UP, DOWN = "上提", "下沉"


@dataclass(frozen=True)
class LevelMoveView:
    at: datetime
    direction: str
    from_unit: str | None
    to_unit: str
    to_level: str
    reason: str
    user: str | None


@dataclass(frozen=True)
class ConsultationView:
    id: int
    held_on: date
    host: str
    departments: tuple[str, ...]
    topic: str
    conclusion: str


def _ancestors(session: Session, unit: OrgUnit | None) -> list[int]:
    found: list[int] = []
    while unit is not None and unit.parent_id is not None:
        found.append(unit.parent_id)
        unit = session.get(OrgUnit, unit.parent_id)
    return found


def move_level(session: Session, case_id: int, to_unit_id: int, reason: str, actor: Actor) -> LevelMoveView:
    """上提 to an ancestor unit or 下沉 to a descendant; anything else is refused with why."""
    case = load_case(session, case_id)
    require_on_case(session, actor, Permission.CASE_ADVANCE, case)
    target = session.get(OrgUnit, to_unit_id)
    if target is None:
        raise NotFound(f"层级单位不存在（编号 {to_unit_id}）")
    if not reason.strip():
        raise ValidationFailed("上提或下沉须填写理由", {"reason": "请填写理由"})
    current = session.get(OrgUnit, case.org_unit_id) if case.org_unit_id else None
    direction = _direction(session, current, target)
    session.add(LevelMove(case_id=case.id, direction=direction, from_unit_id=case.org_unit_id,
                          to_unit_id=target.id, reason=reason.strip(), user_id=actor.user_id))
    case.org_unit_id = target.id
    session.flush()
    return level_history(session, case.id)[-1]


def _direction(session: Session, current: OrgUnit | None, target: OrgUnit) -> str:
    if current is None:
        return UP  # a case without a level is taken up by the unit named
    if target.id == current.id:
        raise ValidationFailed(f"案件已在“{target.name}”")
    if target.id in _ancestors(session, current):
        return UP
    if current.id in _ancestors(session, target):
        return DOWN
    raise ValidationFailed(f"“{target.name}”既不是“{current.name}”的上级也不是其下级，不能上提或下沉")


def level_history(session: Session, case_id: int) -> list[LevelMoveView]:
    source, dest, user = aliased(OrgUnit), aliased(OrgUnit), aliased(User)
    query = (select(LevelMove, source.name, dest.name, dest.level, user.display_name)
             .outerjoin(source, source.id == LevelMove.from_unit_id).join(dest, dest.id == LevelMove.to_unit_id)
             .outerjoin(user, user.id == LevelMove.user_id)
             .where(LevelMove.case_id == case_id).order_by(LevelMove.id))
    return [LevelMoveView(m.at, m.direction, src, dst, level, m.reason, name)
            for m, src, dst, level, name in session.execute(query)]


def record_consultation(
    session: Session, case_id: int, held_on: date, host: str, departments: list[str], topic: str, actor: Actor,
    conclusion: str = "",
) -> ConsultationView:
    """会诊 on a hard case: at least two departments must take part (it is a joint consultation)."""
    require_on_case(session, actor, Permission.CASE_RECORD, load_case(session, case_id))
    present = [d.strip() for d in departments if d.strip()]
    problems = []
    if len(set(present)) < 2:
        problems.append("会诊至少需要两个参加部门")
    if not topic.strip():
        problems.append("请填写会诊议题")
    if not host.strip():
        problems.append("请填写主持人")
    if problems:
        raise ValidationFailed("会诊记录有误：" + "；".join(problems))
    row = Consultation(case_id=case_id, held_on=held_on, host=host.strip(), departments="、".join(dict.fromkeys(present)),
                       topic=topic.strip(), conclusion=conclusion.strip(), recorded_by_id=actor.user_id)
    session.add(row)
    session.flush()
    return _consultation_view(row)


def _consultation_view(row: Consultation) -> ConsultationView:
    return ConsultationView(row.id, row.held_on, row.host, tuple(row.departments.split("、")), row.topic, row.conclusion)


def consultations(session: Session, case_id: int) -> list[ConsultationView]:
    query = select(Consultation).where(Consultation.case_id == case_id).order_by(Consultation.held_on, Consultation.id)
    return [_consultation_view(r) for r in session.scalars(query)]


@dataclass(frozen=True)
class LevelTarget:
    unit_id: int
    name: str
    level: str
    direction: str  # 上提 | 下沉


def level_targets(session: Session, case_id: int) -> list[LevelTarget]:
    """Where the case can move: every ancestor (上提, nearest first) and every descendant (下沉)."""
    case = load_case(session, case_id)
    current = session.get(OrgUnit, case.org_unit_id) if case.org_unit_id else None
    units = list(session.scalars(select(OrgUnit).order_by(OrgUnit.id)))
    if current is None:
        return [LevelTarget(u.id, u.name, u.level, UP) for u in units]
    up = [session.get_one(OrgUnit, uid) for uid in _ancestors(session, current)]
    down = [u for u in units if current.id in _ancestors(session, u)]
    return [*(LevelTarget(u.id, u.name, u.level, UP) for u in up), *(LevelTarget(u.id, u.name, u.level, DOWN) for u in down)]


def find_unit_id(session: Session, name: str) -> int:
    """A unit by name, or "上级/名称" when the name alone is not unique (e.g. 某村/第一网格)."""
    parent_name, _, own = name.strip().rpartition("/")
    query = select(OrgUnit).where(OrgUnit.name == own)
    found = [u for u in session.scalars(query)
             if not parent_name or (u.parent_id and session.get_one(OrgUnit, u.parent_id).name == parent_name)]
    if not found:
        raise NotFound(f"找不到层级单位：{name}")
    if len(found) > 1:
        raise ValidationFailed(f"有 {len(found)} 个单位名为“{own}”，请写成“上级单位/{own}”")
    return found[0].id
