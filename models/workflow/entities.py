"""Tables of the workflow depth (issue 4): dispatch history, 督办 orders, level moves and 会诊,
the 诉调对接 register, arbitration records, and deadline instances with their extension events.

Only table definitions live here; the use cases are in dispatch_service, supervision, escalation,
liaison, arbitration and deadline_service. Every row that records something that happened is
append-only (history), except the register-style rows a liaison keeps up to date."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Versioned, utcnow


class DispatchEvent(Base):
    """One step of a dispatch's closed loop (who, when, from → to, text); never updated."""

    __tablename__ = "dispatch_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("dispatches.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    step: Mapped[str] = mapped_column(String(4))
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[str | None] = mapped_column(String(10))


class SupervisionOrder(Versioned, Base):
    """督办单: number, level (colour), by whom, requirement, reply deadline and the reply."""

    __tablename__ = "supervision_orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(4))
    issued_on: Mapped[date] = mapped_column(Date)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_by_name: Mapped[str] = mapped_column(String(50))
    requirement: Mapped[str] = mapped_column(Text)
    reply_due: Mapped[date] = mapped_column(Date)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_on: Mapped[date | None] = mapped_column(Date)
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __table_args__ = (UniqueConstraint("year", "seq", name="uq_supervision_orders_year_seq"),)


class LevelMove(Base):
    """Escalation up (村 → 镇 → 县) or sinking down a level, with the reason; never updated."""

    __tablename__ = "level_moves"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(4))  # 上提 | 下沉
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Consultation(Base):
    """会诊: a joint consultation on a hard case with the departments present."""

    __tablename__ = "consultations"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    host: Mapped[str] = mapped_column(String(50))
    departments: Mapped[str] = mapped_column(Text)  # "、"-joined names, in the order given
    topic: Mapped[str] = mapped_column(Text)
    conclusion: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CourtReferral(Versioned, Base):
    """The 诉调对接 register row of one court-referred case (DOMAIN §5; see docs/ARCHITECTURE.md, "Sources")."""

    __tablename__ = "court_referrals"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    court: Mapped[str] = mapped_column(String(60))
    tribunal: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(4))  # 委派 | 委托
    procedure: Mapped[str | None] = mapped_column(String(4))  # 委托: 普通 | 简易
    pre_suit_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    odr_number: Mapped[str | None] = mapped_column(String(40))
    cause: Mapped[str] = mapped_column(String(60), default="")
    claim_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    referred_on: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    outcome_reason: Mapped[str | None] = mapped_column(String(30))
    closing_method: Mapped[str | None] = mapped_column(String(20))
    concluded_on: Mapped[date | None] = mapped_column(Date)
    failure_report: Mapped[str] = mapped_column(Text, default="")
    agreement_effective_on: Mapped[date | None] = mapped_column(Date)
    confirmation_applied_on: Mapped[date | None] = mapped_column(Date)
    confirmation_court: Mapped[str | None] = mapped_column(String(60))  # where the 司法确认 was applied for
    confirmation_accepted_on: Mapped[date | None] = mapped_column(Date)
    confirmation_number: Mapped[str | None] = mapped_column(String(40))
    ruling: Mapped[str | None] = mapped_column(String(10))
    ruling_on: Mapped[date | None] = mapped_column(Date)
    decree_number: Mapped[str | None] = mapped_column(String(40))
    decree_on: Mapped[date | None] = mapped_column(Date)
    filed_on: Mapped[date | None] = mapped_column(Date)
    filing_number: Mapped[str | None] = mapped_column(String(40))
    trial_procedure: Mapped[str | None] = mapped_column(String(4))
    trial_concluded_on: Mapped[date | None] = mapped_column(Date)
    performance: Mapped[str | None] = mapped_column(String(10))
    performance_due: Mapped[date | None] = mapped_column(Date)
    enforcement_applied_on: Mapped[date | None] = mapped_column(Date)
    enforcement_number: Mapped[str | None] = mapped_column(String(40))
    __table_args__ = (Index("ix_court_referrals_referred", "referred_on", "id"),)


class ArbitrationRecord(Versioned, Base):
    """裁: one arbitration track of a case with its commission, number, dates and result."""

    __tablename__ = "arbitration_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    track: Mapped[str] = mapped_column(String(20))
    commission: Mapped[str] = mapped_column(String(60))
    has_agreement: Mapped[bool] = mapped_column(Boolean, default=False)
    employment_relation: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # 劳动 track
    knew_on: Mapped[date | None] = mapped_column(Date)
    applied_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    case_number: Mapped[str | None] = mapped_column(String(40))
    award_on: Mapped[date | None] = mapped_column(Date)
    award_served_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(String(20))
    sued_on: Mapped[date | None] = mapped_column(Date)


class CaseDeadline(Base):
    """A deadline instance of a case: which rule, started by which event on which day, due when.

    Computed by deadline_service from the case's events; stored so that lists across the centre
    (overdue per desk or person, due today) are indexed queries, not a recomputation of every case."""

    __tablename__ = "case_deadlines"
    __audit__ = False  # derived from audited events and extensions; recomputed, never typed
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    rule_code: Mapped[str] = mapped_column(String(30))
    trigger_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    base_due: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (
        UniqueConstraint("case_id", "rule_code", "trigger_date", name="uq_case_deadlines_case_rule_trigger"),
        Index("ix_case_deadlines_open_due", "completed_on", "due_date"),
    )


class DeadlineExtension(Base):
    """An extension event that moves a deadline (延长 / 中止 / 中断), with who granted it and why."""

    __tablename__ = "deadline_extensions"
    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("case_deadlines.id", ondelete="CASCADE"), index=True)
    granted_on: Mapped[date] = mapped_column(Date)
    length: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
