"""The centre's editable working-day calendar, supervision thresholds and deadline settings, kept
in the database.

The pure engine (models.deadlines) does the counting; this module stores its rows (holidays and
调休 make-up workdays), imports a CSV through the engine's all-or-nothing parser, and stores the
three-colour thresholds and the 人民调解 limits (general limit and complexity table). While the table is empty the seeded calendar shipped with the program
(models/data/holidays_cn.csv) is used, so a fresh database counts correctly from day one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Date, Integer, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, Versioned
from models.deadlines import (
    COMPLEX,
    COMPLEXITIES,
    DEFAULT_SETTINGS,
    ORDINARY,
    SIMPLE,
    CalendarDay,
    ColourThresholds,
    DeadlineSettings,
    Period,
    WorkCalendar,
    default_calendar,
    load_calendar_csv,
)
from models.dto import Actor
from models.errors import ValidationFailed
from models.security.permissions import Permission, require

KIND_LABELS = {"holiday": "放假", "workday": "调休上班"}
# Units a centre may give its 人民调解 general limit in (years would be no "limit" at all).
GENERAL_LIMIT_UNITS = {"month": "个月", "day": "日", "working_day": "个工作日"}


class CalendarEntry(Base):
    """One holiday or 调休 make-up workday of the centre's calendar."""

    __tablename__ = "calendar_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(40), default="")


class SupervisionSettings(Versioned, Base):
    """督办 colour thresholds of the centre (one row, id 1; the engine's defaults while absent)."""

    __tablename__ = "supervision_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    blue_days_before: Mapped[int] = mapped_column(Integer, default=3)
    yellow_days_overdue: Mapped[int] = mapped_column(Integer, default=3)


class DeadlineSettingsRow(Versioned, Base):
    """人民调解 limits of the centre (one row, id 1; the engine's DEFAULT_SETTINGS while absent).
    The complexity limits are counted in calendar days, as the seeded table is."""

    __tablename__ = "deadline_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    general_length: Mapped[int] = mapped_column(Integer, default=1)
    general_unit: Mapped[str] = mapped_column(String(12), default="month")
    simple_days: Mapped[int] = mapped_column(Integer, default=1)
    ordinary_days: Mapped[int] = mapped_column(Integer, default=7)
    complex_days: Mapped[int] = mapped_column(Integer, default=20)


@dataclass(frozen=True)
class CalendarImportResult:
    rows: int
    years: tuple[int, ...]
    replaced: int


def work_calendar(session: Session) -> WorkCalendar:
    """The calendar deadlines are counted on: the stored rows, or the seeded one if none are stored."""
    rows = session.scalars(select(CalendarEntry)).all()
    if not rows:
        return default_calendar()
    return WorkCalendar.from_rows(CalendarDay(r.day, r.kind, r.name) for r in rows)  # type: ignore[arg-type]  # stored kinds were checked on import


def calendar_rows(session: Session, year: int | None = None) -> list[CalendarDay]:
    """Rows for display (one year or all), from the calendar actually in force."""
    rows = work_calendar(session).rows()
    return [r for r in rows if year is None or r.day.year == year]


def import_calendar_csv(session: Session, path: str | Path, actor: Actor) -> CalendarImportResult:
    """Replace the stored rows of every year the file covers (other years are kept).

    The file is parsed whole first: a file with any bad line changes nothing."""
    require(session, actor, Permission.SETTINGS_EDIT)
    imported = load_calendar_csv(path)
    return _store_years(session, imported)


def _store_years(session: Session, imported: WorkCalendar) -> CalendarImportResult:
    _materialise_seed(session)
    years = sorted(imported.covered_years)
    replaced = 0
    for year in years:
        span = (CalendarEntry.day >= date(year, 1, 1)) & (CalendarEntry.day <= date(year, 12, 31))
        replaced += session.execute(delete(CalendarEntry).where(span)).rowcount or 0  # type: ignore[attr-defined]  # a DELETE returns a CursorResult (rowcount)
    session.add_all(CalendarEntry(day=r.day, kind=r.kind, name=r.name) for r in imported.rows())
    session.flush()
    work_calendar(session)  # the merged rows must still form a valid calendar
    return CalendarImportResult(len(imported.rows()), tuple(years), replaced)


def _materialise_seed(session: Session) -> None:
    """Copy the seeded rows in before the first edit, so importing 2027 keeps 2024–2026."""
    if session.scalar(select(func.count()).select_from(CalendarEntry)):
        return
    session.add_all(CalendarEntry(day=r.day, kind=r.kind, name=r.name) for r in default_calendar().rows())
    session.flush()


def set_calendar_day(session: Session, day: date, kind: str | None, name: str, actor: Actor) -> None:
    """Mark one day as 放假 / 调休上班, or (kind None) back to an ordinary day."""
    require(session, actor, Permission.SETTINGS_EDIT)
    if kind is not None and kind not in KIND_LABELS:
        raise ValidationFailed(f"类型无效：{kind}（holiday 放假 或 workday 调休上班）")
    if kind == "workday" and day.weekday() < 5:
        raise ValidationFailed(f"{day.isoformat()} 是周一至周五，无需标为调休上班")
    _materialise_seed(session)
    existing = session.get(CalendarEntry, day)
    if existing is not None:
        session.delete(existing)
        session.flush()
    if kind is not None:
        session.add(CalendarEntry(day=day, kind=kind, name=name.strip()))
    session.flush()


def thresholds(session: Session) -> ColourThresholds:
    row = session.get(SupervisionSettings, 1)
    if row is None:
        return ColourThresholds()
    return ColourThresholds(row.blue_days_before, row.yellow_days_overdue)


def set_thresholds(session: Session, blue_days_before: int, yellow_days_overdue: int, actor: Actor) -> ColourThresholds:
    require(session, actor, Permission.SETTINGS_EDIT)
    values = ColourThresholds(blue_days_before, yellow_days_overdue)  # validates (no negatives)
    row = session.get(SupervisionSettings, 1) or SupervisionSettings(id=1)
    row.blue_days_before, row.yellow_days_overdue = values.blue_days_before, values.yellow_days_overdue
    session.add(row)
    session.flush()
    return values


def deadline_settings(session: Session) -> DeadlineSettings:
    """The centre's 人民调解 limits: the stored row, or the engine's seeded defaults if none is stored."""
    row = session.get(DeadlineSettingsRow, 1)
    if row is None:
        return DEFAULT_SETTINGS
    days = (row.simple_days, row.ordinary_days, row.complex_days)
    limits = tuple((name, Period(n, "day")) for name, n in zip(COMPLEXITIES, days, strict=True))
    return DeadlineSettings(Period(row.general_length, row.general_unit), limits)  # type: ignore[arg-type]  # stored units were checked when saved


def set_deadline_settings(session: Session, settings: DeadlineSettings, actor: Actor) -> DeadlineSettings:
    """Store new limits (validated). Open deadlines keep their old due dates until re-synced:
    use models.deadline_service.change_deadline_settings, which does both."""
    require(session, actor, Permission.SETTINGS_EDIT)
    days = _validated_days(settings)
    row = session.get(DeadlineSettingsRow, 1) or DeadlineSettingsRow(id=1)
    row.general_length, row.general_unit = settings.general_limit.length, settings.general_limit.unit
    row.simple_days, row.ordinary_days, row.complex_days = days
    session.add(row)
    session.flush()
    return deadline_settings(session)


def _validated_days(settings: DeadlineSettings) -> tuple[int, int, int]:
    """Check the settings fit the stored shape; returns the three complexity limits in days."""
    general = settings.general_limit
    if general.unit not in GENERAL_LIMIT_UNITS:
        raise ValidationFailed(f"一般期限单位无效：{general.unit}（month 月 / day 日 / working_day 工作日）")
    if general.length <= 0:
        raise ValidationFailed("一般期限长度必须是正整数", {"general": "请填写大于 0 的整数"})
    limits = dict(settings.complexity_limits)
    if set(limits) != set(COMPLEXITIES):
        raise ValidationFailed(f"化解时限须且只须包含：{'、'.join(COMPLEXITIES)}")
    for name in COMPLEXITIES:
        if limits[name].unit != "day":
            raise ValidationFailed(f"化解时限（{name}）须以日计")
        if limits[name].length <= 0:
            raise ValidationFailed(f"化解时限（{name}）必须是正整数天数", {name: "请填写大于 0 的整数"})
    return limits[SIMPLE].length, limits[ORDINARY].length, limits[COMPLEX].length


#: From this month on, the administrator is reminded to import next year's holiday notice (the
#: State Council usually publishes it in November or December).
REMINDER_FROM_MONTH = 11


def next_year_reminder(session: Session, today: date) -> str | None:
    """The administrator's banner text while next year's holidays are missing (from 1 November)."""
    coming = today.year + 1
    if today.month < REMINDER_FROM_MONTH or coming in work_calendar(session).covered_years:
        return None
    return f"{coming}年节假日安排尚未导入：跨入{coming}年的期限仅按周末顺延。请在“管理 → 节假日”中导入国务院办公厅通知。"
