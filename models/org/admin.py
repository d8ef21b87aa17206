"""The system administrator's services: the organisation (the 县→乡镇→村→网格 tree, desks,
committees and 首席调解员工作室 with their 代字 and numbering patterns) and the dispute-type table.

Every change needs ORG_EDIT (the system administrator's, never a case worker's), is validated here
(the screens and the CLI only show what these refuse) and is audited by the session's audit hook
with old and new values. Nothing is deleted: desks and dispute types are deactivated, so old cases
keep pointing at them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cases import numbering
from models.cases.catalog import DisputeType
from models.dto import Actor
from models.errors import NotFound, ValidationFailed
from models.org.entities import (
    DEFAULT_AGREEMENT_PATTERN,
    DEFAULT_NUMBER_PATTERN,
    Committee,
    CommitteeKind,
    Desk,
    Level,
    NumberSequence,
    OrgUnit,
)
from models.security.permissions import Permission, require

#: Which level a unit's parent must have (the ladder has no gaps: a 村 hangs under a 乡镇).
PARENT_LEVEL = {Level.COUNTY: None, Level.TOWNSHIP: Level.COUNTY, Level.VILLAGE: Level.TOWNSHIP, Level.GRID: Level.VILLAGE}
#: Where a centre's own tree may start: a county (区) centre, or a township (街道) centre.
ROOT_LEVELS = (Level.COUNTY, Level.TOWNSHIP)
NAME_LIMIT = 100
Row = TypeVar("Row")
CODE_LIMIT = 20


def _name(value: str, label: str, limit: int = NAME_LIMIT, key: str = "name") -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise ValidationFailed(f"请填写{label}", {key: "必填"})
    if len(cleaned) > limit:
        raise ValidationFailed(f"{label}不能超过 {limit} 个字", {key: f"最多 {limit} 字"})
    return cleaned


# ---- the level tree -------------------------------------------------------------------------

def add_org_unit(session: Session, name: str, level: str, parent_id: int | None, actor: Actor) -> int:
    """A new 县/乡镇/村/网格 under the right kind of parent; names are unique among siblings."""
    require(session, actor, Permission.ORG_EDIT)
    try:
        wanted = Level(level)
    except ValueError:
        raise ValidationFailed(f"层级无效：{level}（可选：{'、'.join(lv.value for lv in Level)}）") from None
    parent = session.get(OrgUnit, parent_id) if parent_id is not None else None
    expected = PARENT_LEVEL[wanted]
    top_level_centre = parent is None and wanted in ROOT_LEVELS
    if not top_level_centre and (parent.level if parent else None) != (expected.value if expected else None):
        above = f"须属于某个{expected.value}" if expected else "是最高一级，不能有上级"
        raise ValidationFailed(f"{wanted.value}{above}")
    unit = OrgUnit(name=_name(name, "单位名称"), level=wanted.value, parent_id=parent_id)
    _refuse_sibling_clash(session, unit.name, parent_id, None)
    session.add(unit)
    session.flush()
    return unit.id


def rename_org_unit(session: Session, unit_id: int, name: str, actor: Actor) -> None:
    require(session, actor, Permission.ORG_EDIT)
    unit = _get(session, OrgUnit, unit_id, "单位")
    cleaned = _name(name, "单位名称")
    _refuse_sibling_clash(session, cleaned, unit.parent_id, unit.id)
    unit.name = cleaned


def _refuse_sibling_clash(session: Session, name: str, parent_id: int | None, own_id: int | None) -> None:
    same_parent = OrgUnit.parent_id.is_(None) if parent_id is None else OrgUnit.parent_id == parent_id
    same = select(OrgUnit.id).where(OrgUnit.name == name, same_parent)
    if any(found != own_id for found in session.scalars(same)):
        raise ValidationFailed(f"同一上级下已有“{name}”", {"name": "名称重复"})


# ---- desks ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DeskInput:
    name: str
    category: str = "窗口"
    sort_order: int = 0
    active: bool = True


def save_desk(session: Session, data: DeskInput, actor: Actor, desk_id: int | None = None) -> int:
    """Create a desk (desk_id None) or change one; a desk is retired by `active=False`, never deleted."""
    require(session, actor, Permission.ORG_EDIT)
    name = _name(data.name, "窗口名称")
    clash = session.scalar(select(Desk.id).where(Desk.name == name))
    if clash is not None and clash != desk_id:
        raise ValidationFailed(f"已有名为“{name}”的窗口", {"name": "名称重复"})
    desk = _get(session, Desk, desk_id, "窗口") if desk_id is not None else Desk()
    desk.name, desk.category = name, _name(data.category, "窗口类别", 20, "category")
    desk.sort_order, desk.active = data.sort_order, data.active
    session.add(desk)
    session.flush()
    return desk.id


# ---- committees and their numbering ---------------------------------------------------------

@dataclass(frozen=True)
class CommitteeInput:
    name: str
    kind: str
    code: str
    number_pattern: str = DEFAULT_NUMBER_PATTERN
    agreement_number_pattern: str = DEFAULT_AGREEMENT_PATTERN
    org_unit_id: int | None = None
    desk_id: int | None = None


def save_committee(session: Session, data: CommitteeInput, actor: Actor, committee_id: int | None = None) -> int:
    """Create or change a committee or studio; the two numbering patterns are checked to format,
    to contain {n} and never to give a case and an agreement the same number."""
    require(session, actor, Permission.ORG_EDIT)
    name = _name(data.name, "调解组织名称")
    if data.kind not in {k.value for k in CommitteeKind}:
        raise ValidationFailed(f"组织类别无效：{data.kind}", {"kind": "请选择"})
    code = _name(data.code, "代字", CODE_LIMIT, "code")
    numbering.check_patterns_apart(data.number_pattern.strip(), data.agreement_number_pattern.strip())
    clash = session.scalar(select(Committee.id).where(Committee.name == name))
    if clash is not None and clash != committee_id:
        raise ValidationFailed(f"已有名为“{name}”的调解组织", {"name": "名称重复"})
    for ref, model, label in ((data.org_unit_id, OrgUnit, "所属单位"), (data.desk_id, Desk, "窗口")):
        if ref is not None:
            _get(session, model, ref, label)
    committee = _get(session, Committee, committee_id, "调解组织") if committee_id is not None else Committee()
    committee.name, committee.kind, committee.code = name, data.kind, code
    committee.number_pattern = data.number_pattern.strip()
    committee.agreement_number_pattern = data.agreement_number_pattern.strip()
    committee.org_unit_id, committee.desk_id = data.org_unit_id, data.desk_id
    session.add(committee)
    session.flush()
    return committee.id


@dataclass(frozen=True)
class NumberPreview:
    case_number: str
    agreement_number: str


def preview_numbers(session: Session, committee_id: int | None, code: str, case_pattern: str,
                    agreement_pattern: str, year: int) -> NumberPreview:
    """The next case and agreement numbers these patterns would give (nothing is taken from the
    counters); raises the same refusal `save_committee` would."""
    numbering.check_patterns_apart(case_pattern.strip(), agreement_pattern.strip())
    code = code.strip() or "代字"
    return NumberPreview(
        numbering.format_number(case_pattern.strip(), code, year, _last(session, committee_id, year, "案件") + 1),
        numbering.format_number(agreement_pattern.strip(), code, year, _last(session, committee_id, year, "协议") + 1),
    )


def _last(session: Session, committee_id: int | None, year: int, kind: str) -> int:
    if committee_id is None:
        return 0
    return int(session.scalar(select(func.coalesce(func.max(NumberSequence.last_value), 0)).where(
        NumberSequence.committee_id == committee_id, NumberSequence.year == year, NumberSequence.kind == kind)) or 0)


# ---- dispute types --------------------------------------------------------------------------

def save_dispute_type(session: Session, code: str, name: str, parent_code: str | None, actor: Actor,
                      active: bool = True) -> str:
    """Add a type or rename / (de)activate one. Codes are two digits, sub-types four digits
    starting with their parent's code (the research's two-level table)."""
    require(session, actor, Permission.ORG_EDIT)
    code = code.strip()
    expected_length = 4 if parent_code else 2
    if len(code) != expected_length or not code.isascii() or not code.isdigit():
        raise ValidationFailed(f"类型代码应为 {expected_length} 位数字", {"code": "格式不对"})
    if parent_code and (not code.startswith(parent_code) or session.get(DisputeType, parent_code) is None):
        raise ValidationFailed(f"子类代码须以上级代码 {parent_code} 开头，且上级类型存在", {"code": "与上级不符"})
    row = session.get(DisputeType, code)
    if row is None:
        order = session.scalar(select(func.coalesce(func.max(DisputeType.sort_order), 0))) or 0
        row = DisputeType(code=code, parent_code=parent_code, sort_order=int(order) + 1)
        session.add(row)
    elif row.parent_code != parent_code:
        raise ValidationFailed(f"代码 {code} 已用于其他上级类型", {"code": "代码重复"})
    row.name, row.active = _name(name, "类型名称", 50), active
    session.flush()
    return code


def _get(session: Session, model: type[Row], key: int | None, label: str) -> Row:
    row = session.get(model, key) if key is not None else None
    if row is None:
        raise NotFound(f"{label}不存在（编号 {key}）")
    return row


# ---- what the screens list ------------------------------------------------------------------

@dataclass(frozen=True)
class CommitteeRow:
    id: int
    data: CommitteeInput


@dataclass(frozen=True)
class DeskRow:
    id: int
    data: DeskInput


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    level: str
    parent_id: int | None


@dataclass(frozen=True)
class DisputeTypeRow:
    code: str
    name: str
    parent_code: str | None
    active: bool


def list_committees(session: Session) -> list[CommitteeRow]:
    return [CommitteeRow(c.id, CommitteeInput(c.name, c.kind, c.code, c.number_pattern, c.agreement_number_pattern,
                                              c.org_unit_id, c.desk_id))
            for c in session.scalars(select(Committee).order_by(Committee.id))]


def list_desks(session: Session) -> list[DeskRow]:
    return [DeskRow(d.id, DeskInput(d.name, d.category, d.sort_order, d.active))
            for d in session.scalars(select(Desk).order_by(Desk.sort_order, Desk.id))]


def list_units(session: Session) -> list[UnitRow]:
    return [UnitRow(u.id, u.name, u.level, u.parent_id) for u in session.scalars(select(OrgUnit).order_by(OrgUnit.id))]


def list_dispute_types(session: Session) -> list[DisputeTypeRow]:
    return [DisputeTypeRow(t.code, t.name, t.parent_code, t.active)
            for t in session.scalars(select(DisputeType).order_by(DisputeType.sort_order, DisputeType.code))]
