"""The casework records kept beside a case: mediation sessions (调解记录, scheduled ahead or held)
and follow-up visits (回访). Entities only; the rules are in models/cases/sessions.py and
models/cases/followups.py (DOMAIN §3 "调" and "Closing")."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Boolean, Column, Date, ForeignKey, Numeric, String, Table, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Versioned, utcnow
from models.cases.entities import Agent, Party
from models.org.entities import User

session_mediators = Table(
    "mediation_session_mediators", Base.metadata,
    Column("session_id", ForeignKey("mediation_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)
session_agents = Table(
    "mediation_session_agents", Base.metadata,
    Column("session_id", ForeignKey("mediation_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("agent_id", ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True),
)
follow_up_parties = Table(
    "follow_up_parties", Base.metadata,
    Column("follow_up_id", ForeignKey("follow_ups.id", ondelete="CASCADE"), primary_key=True),
    Column("party_id", ForeignKey("parties.id", ondelete="CASCADE"), primary_key=True),
)


class MediationSession(Versioned, Base):
    """One sitting: scheduled while `result` is empty, a record once the result is written."""

    __tablename__ = "mediation_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time] = mapped_column(Time)  # the centre's civil time (Beijing)
    place: Mapped[str] = mapped_column(String(100))
    others: Mapped[str] = mapped_column(String(200), default="")  # 其他参加人, as text
    proposal: Mapped[str] = mapped_column(Text, default="")  # 调解员的调解意见/方案
    result: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])  # 记录人
    mediators: Mapped[list[User]] = relationship(secondary=session_mediators, order_by=User.id)
    agents: Mapped[list[Agent]] = relationship(secondary=session_agents, order_by=Agent.id)
    parties: Mapped[list[SessionParty]] = relationship(cascade="all, delete-orphan", order_by="SessionParty.id")


class SessionParty(Base):
    """A party at a session: present in person or not, and what they (or their agent) stated."""

    __tablename__ = "mediation_session_parties"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("mediation_sessions.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    statement: Mapped[str] = mapped_column(Text, default="")

    party: Mapped[Party] = relationship()


class FollowUp(Base):
    """回访: one visit after closing; never edited (a later visit is a new row)."""

    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(4))  # 电话 | 上门 | 当面
    performance: Mapped[str] = mapped_column(String(6))  # 已履行 | 部分履行 | 未履行
    performed_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    satisfaction: Mapped[str] = mapped_column(String(10))
    notes: Mapped[str] = mapped_column(Text, default="")
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parties: Mapped[list[Party]] = relationship(secondary=follow_up_parties, order_by=Party.ordinal)
