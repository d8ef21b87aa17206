"""Organisation of a centre (DOMAIN §1; see docs/ARCHITECTURE.md, "Sources"): level units (县→乡镇→村→网格), desks, mediation
committees (with the 代字 and numbering pattern) and staff users with roles."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Versioned

DEFAULT_NUMBER_PATTERN = "{代字}人调字〔{YYYY}〕{n}号"
DEFAULT_AGREEMENT_PATTERN = "{代字}人调协字〔{YYYY}〕{n}号"


class Level(StrEnum):
    COUNTY = "县"
    TOWNSHIP = "乡镇"
    VILLAGE = "村"
    GRID = "网格"


class Role(StrEnum):
    MEDIATOR = "调解员"
    LIAISON = "诉调对接专员"
    CLERK = "书记员"
    GRID_WORKER = "网格员"
    LEADER = "包案领导"
    SYSTEM_ADMIN = "系统管理员"
    SECURITY_ADMIN = "安全管理员"
    AUDIT_ADMIN = "审计管理员"
    DEPT_LIAISON = "部门联络员"  # a department's account for the dispatches sent to it


class CommitteeKind(StrEnum):
    PEOPLES = "人民调解委员会"
    STUDIO = "首席调解员工作室"
    PROFESSIONAL = "专业调委会"


class OrgUnit(Versioned, Base):
    """A node of the 县→乡镇→村→网格 ladder; a case belongs to one and can move up or down."""

    __tablename__ = "org_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_org_units_parent_name"),)


class Desk(Versioned, Base):
    """A window (窗口) or sub-centre of the service centre; users sit at desks, cases are handled at one."""

    __tablename__ = "desks"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    category: Mapped[str] = mapped_column(String(20), default="窗口")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Committee(Versioned, Base):
    """A mediation organisation that numbers its own cases (per year) with its 代字."""

    __tablename__ = "committees"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(20))
    number_pattern: Mapped[str] = mapped_column(String(80), default=DEFAULT_NUMBER_PATTERN)
    # Agreements have their own pattern: deriving it from the case pattern let case 1 and
    # agreement 1 share a number when the case pattern lacked "人调字".
    agreement_number_pattern: Mapped[str] = mapped_column(String(80), default=DEFAULT_AGREEMENT_PATTERN)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"))


class User(Versioned, Base):
    """A staff member. Authentication columns live here so lockout counts survive restarts."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20))
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"), index=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id"))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class NumberSequence(Base):
    """Last number issued per committee, year and kind (案件 / 协议); only ever incremented."""

    __tablename__ = "number_sequences"
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
