"""Which cases a statistic counts: a period and a scope (centre, level unit with everything under
it, desk, committee, mediator). Every figure, breakdown, chart click and report goes through
`case_conditions`, so a rule about which cases count (such as leaving out voided cases) is one line
here."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from models.cases.entities import Case
from models.cases.voiding import NOT_VOIDED
from models.errors import ValidationFailed
from models.org.entities import OrgUnit


@dataclass(frozen=True)
class Period:
    """A closed date interval [start, end]."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationFailed(f"统计期间无效：{self.start} 晚于 {self.end}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def parse_month(cls, text: str) -> Period:
        try:
            year, month = (int(p) for p in text.strip().split("-"))
            return cls.month(year, month)
        except ValueError:
            raise ValidationFailed(f"月份格式应为 YYYY-MM：{text}") from None

    @property
    def whole_months(self) -> int:
        """How many calendar months the period covers exactly (0 when it is not month-aligned)."""
        if self.start.day != 1 or (self.end + timedelta(days=1)).day != 1:
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def shifted_months(self, months: int) -> Period:
        return Period(_add_months(self.start, months), _add_months(self.end + timedelta(days=1), months) - timedelta(days=1))

    def previous(self) -> Period:
        """环比: the period of equal length just before (the previous month for a month)."""
        if self.whole_months:
            return self.shifted_months(-self.whole_months)
        length = self.end - self.start + timedelta(days=1)
        return Period(self.start - length, self.start - timedelta(days=1))

    def year_before(self) -> Period:
        """同比: the same dates one year earlier (29 February becomes the 28th)."""
        if self.whole_months:
            return self.shifted_months(-12)
        return Period(_minus_year(self.start), _minus_year(self.end))

    def label(self) -> str:
        if self.whole_months == 1:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _minus_year(day: date) -> date:
    return day.replace(year=day.year - 1, day=min(day.day, calendar.monthrange(day.year - 1, day.month)[1]))


@dataclass(frozen=True)
class Scope:
    """Whose cases: the whole centre (all None) or one level unit (with its sub-units), desk,
    committee or mediator; the filters combine."""

    desk_id: int | None = None
    committee_id: int | None = None
    org_unit_id: int | None = None
    mediator_id: int | None = None


@dataclass(frozen=True)
class StatQuery:
    period: Period
    scope: Scope = Scope()

    def with_period(self, period: Period) -> StatQuery:
        return replace(self, period=period)


def counted_cases() -> list[ColumnElement[bool]]:
    """Cases that count at all, whatever the period: every case except the voided (作废) ones."""
    return [NOT_VOIDED]


def scope_conditions(session: Session, scope: Scope) -> list[ColumnElement[bool]]:
    """The scope as conditions on Case (no date): used with each figure's own counting date."""
    found = counted_cases()
    if scope.desk_id is not None:
        found.append(Case.desk_id == scope.desk_id)
    if scope.committee_id is not None:
        found.append(Case.committee_id == scope.committee_id)
    if scope.mediator_id is not None:
        found.append(Case.mediator_id == scope.mediator_id)
    if scope.org_unit_id is not None:
        found.append(Case.org_unit_id.in_(unit_and_below(session, scope.org_unit_id)))
    return found


def case_conditions(session: Session, query: StatQuery) -> list[ColumnElement[bool]]:
    """Scope plus the cohort date: a case belongs to the period it was received (受理日期) in."""
    return [*scope_conditions(session, query.scope), Case.received_date.between(query.period.start, query.period.end)]


def unit_and_below(session: Session, unit_id: int) -> list[int]:
    """`unit_id` and every unit under it (the org tree is small: read whole)."""
    children: dict[int | None, list[int]] = {}
    for uid, parent in session.execute(select(OrgUnit.id, OrgUnit.parent_id)):
        children.setdefault(parent, []).append(uid)
    found, stack = [], [unit_id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found
