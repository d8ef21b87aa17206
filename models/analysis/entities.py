"""Tables the analysis needs beyond the case itself: 防激化 records (DOMAIN.md §7), the centre's
考核 weights, and the legacy values of cases brought in from an old ledger (历史导入)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Versioned, utcnow

# The four 防激化 items of the 人民调解工作统计报表, each counted in 件 and 人.
PREVENTION_KINDS: tuple[str, ...] = ("防止民转刑", "防止自杀", "防止群体性上访", "防止群体性械斗")


class PreventionRecord(Base):
    """One 防激化 achievement on a case: which kind, how many people, on which day; never updated."""

    __tablename__ = "prevention_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    persons: Mapped[int] = mapped_column(Integer)
    recorded_on: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class AssessmentWeight(Versioned, Base):
    """The centre's weight of one 考核 indicator (the database is one centre's)."""

    __tablename__ = "assessment_weights"
    indicator: Mapped[str] = mapped_column(String(20), primary_key=True)
    weight: Mapped[Decimal] = mapped_column(Numeric(5, 2))


class LegacyRecord(Base):
    """What an imported ledger row said that the case itself must not hold: its old case number,
    the ID numbers as written (masked or invalid ones are flagged and never printed as valid), the
    file and row it came from, and the natural key that makes a re-import add nothing."""

    __tablename__ = "legacy_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    natural_key: Mapped[str] = mapped_column(String(64), unique=True)
    legacy_number: Mapped[str | None] = mapped_column(String(80))
    legacy_id_numbers: Mapped[str] = mapped_column(Text, default="")
    id_flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    source_file: Mapped[str] = mapped_column(String(200))
    source_row: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
