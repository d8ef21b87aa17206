"""The case (一案一码) and what hangs off it: parties with agents, stage events and dual
dispatches (DOMAIN §2–§3; see docs/ARCHITECTURE.md, "Sources")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Versioned, utcnow


class Case(Versioned, Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    source_channel: Mapped[str] = mapped_column(String(20))
    dispute_type_code: Mapped[str] = mapped_column(ForeignKey("dispute_types.code"))
    risk_colour: Mapped[str | None] = mapped_column(String(2))
    complexity: Mapped[str] = mapped_column(String(10), default="一般")
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    people_involved: Mapped[int] = mapped_column(Integer, default=2)
    mass_incident: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(String(200))
    facts: Mapped[str] = mapped_column(Text, default="")
    claims: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(4))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    mediation_kind: Mapped[str | None] = mapped_column(String(20))
    docking_channel: Mapped[str | None] = mapped_column(String(4))
    mediation_outcome: Mapped[str | None] = mapped_column(String(10))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    arbitration_track: Mapped[str | None] = mapped_column(String(20))
    arbitration_result: Mapped[str | None] = mapped_column(String(20))
    court_outcome: Mapped[str | None] = mapped_column(String(20))
    followup_satisfaction: Mapped[str | None] = mapped_column(String(10))
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # 包案领导 (required before a 红 case moves)
    first_handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_date: Mapped[date] = mapped_column(Date)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()
    # 作废: registered in error. The case keeps its number and rows, stays findable (marked), and
    # ledgers and statistics leave it out (models/cases/voiding.py: NOT_VOIDED).
    voided_at: Mapped[datetime | None] = mapped_column()
    void_reason: Mapped[str | None] = mapped_column(Text)

    parties: Mapped[list[Party]] = relationship(
        back_populates="case", order_by="Party.ordinal", cascade="all, delete-orphan"
    )
    events: Mapped[list[StageEvent]] = relationship(order_by="StageEvent.id", cascade="all, delete-orphan")
    co_mediators: Mapped[list[CoMediator]] = relationship(cascade="all, delete-orphan", order_by="CoMediator.user_id")

    __table_args__ = (
        UniqueConstraint("committee_id", "year", "seq", name="uq_cases_committee_year_seq"),
        Index("ix_cases_received", "received_date", "id"),
        Index("ix_cases_stage_received", "stage", "received_date", "id"),
        Index("ix_cases_desk_received", "desk_id", "received_date", "id"),
        Index("ix_cases_type_received", "dispute_type_code", "received_date", "id"),
        Index("ix_cases_risk_received", "risk_colour", "received_date", "id"),
    )


class Party(Versioned, Base):
    """A natural person or an organisation on one side of a case (any number per side)."""

    __tablename__ = "parties"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(6))
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(6))  # 自然人 | 组织
    name: Mapped[str] = mapped_column(String(100), index=True)  # repeat-dispute check (models/cases/repeats.py)
    sex: Mapped[str | None] = mapped_column(String(2))
    ethnicity: Mapped[str | None] = mapped_column(String(10))
    birth_date: Mapped[date | None] = mapped_column(Date)
    occupation: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30), index=True)
    id_type: Mapped[str | None] = mapped_column(String(20))
    id_number: Mapped[str | None] = mapped_column(String(30), index=True)
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    legal_rep: Mapped[str | None] = mapped_column(String(50))
    legal_rep_title: Mapped[str | None] = mapped_column(String(50))

    case: Mapped[Case] = relationship(back_populates="parties")
    agents: Mapped[list[Agent]] = relationship(cascade="all, delete-orphan", order_by="Agent.id")


class Agent(Versioned, Base):
    """委托代理人 (with 代理权限) or 法定代理人 acting for a party."""

    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(50))
    unit: Mapped[str | None] = mapped_column(String(100))
    authority: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(30))
    id_number: Mapped[str | None] = mapped_column(String(30))  # masked like a party's (models/security/masking.py)
    license_no: Mapped[str | None] = mapped_column(String(30))  # 律师执业证号, for a lawyer agent


class CoMediator(Base):
    """A co-mediator (协助调解员) of a case, chosen with the mediator at 诊→调 (人民调解法 Art. 19)."""

    __tablename__ = "case_co_mediators"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)


class StageEvent(Base):
    """One row per transition (who, when, desk, from → to, reason); never updated."""

    __tablename__ = "stage_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    from_stage: Mapped[str | None] = mapped_column(String(4))
    to_stage: Mapped[str] = mapped_column(String(4))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"))
    reason: Mapped[str] = mapped_column(Text, default="")


class Dispatch(Versioned, Base):
    """双派单: one dispatch goes at once to the handling unit(s) and the supervising grid worker."""

    __tablename__ = "dispatches"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="已派遣")
    targets: Mapped[list[DispatchTarget]] = relationship(cascade="all, delete-orphan", order_by="DispatchTarget.id")


class DispatchTarget(Base):
    __tablename__ = "dispatch_targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("dispatches.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(6))  # 主办 | 协办 | 属地监督
    unit_name: Mapped[str] = mapped_column(String(100))
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deadline: Mapped[date | None] = mapped_column(Date)
