"""Compute due dates from rules: counting per 民事诉讼法 Art. 85 and 民法典 Arts. 201–203.

- The start day (the trigger date) is not counted: 30 days from 03-01 ends on 03-31.
- Month and year periods end on the corresponding day of the final month, or on that month's last
  day where there is none (01-31 + 1 month = 02-29 in a leap year, 02-28 otherwise).
- A last day that is a rest day (weekend or public holiday) moves to the next working day; a 调休
  make-up Saturday is a working day. Working-day periods count working days only.
- Extensions are events; each one moves the current due date by its length (counted from the
  current due date, which is when the period being extended actually expires), and the result is
  rolled to a working day again.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from models.deadlines.calendar import WorkCalendar, default_calendar
from models.deadlines.rules import RULES, DeadlineRule, Period, Unit, rules_for
from models.errors import DomainError


class DeadlineError(DomainError):
    """An extension or trigger the rule does not allow; the message says why, in Chinese."""


@dataclass(frozen=True)
class Extension:
    """A recorded extension event: granted on `granted_on`, by `length` `unit`, for `reason`."""

    granted_on: date
    length: int
    unit: Unit = "day"
    reason: str = ""

    @property
    def period(self) -> Period:
        return Period(self.length, self.unit)


@dataclass(frozen=True)
class Deadline:
    """A computed deadline. `base_due` is without extensions; `due_date` includes them."""

    rule_code: str
    due_date: date
    base_due: date
    extended_by: tuple[Extension, ...]
    basis: str
    trigger_date: date
    hard: bool
    name: str

    @property
    def extended(self) -> bool:
        return self.due_date != self.base_due

    def days_left(self, today: date) -> int:
        """Natural days until the due date; 0 on the day itself, negative when overdue."""
        return (self.due_date - today).days

    def is_overdue(self, today: date) -> bool:
        return today > self.due_date


def add_months(day: date, months: int) -> date:
    """Same day-of-month `months` later, clamped to that month's last day (民法典 Art. 202)."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    last_day = gregorian.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


def period_end(start: date, period: Period, calendar: WorkCalendar) -> date:
    """Last day of `period` counted from `start` (start not counted), before any rest-day rollover."""
    if period.unit == "day":
        return start + timedelta(days=period.length)
    if period.unit == "working_day":
        return calendar.add_working_days(start, period.length)
    months = period.length * (12 if period.unit == "year" else 1)
    return add_months(start, months)


def compute_due(
    rule: DeadlineRule, trigger_date: date, calendar: WorkCalendar | None = None, extensions: Iterable[Extension] = ()
) -> Deadline:
    """The deadline `rule` sets for an event on `trigger_date`, moved by `extensions`."""
    calendar = calendar or default_calendar()
    ordered = tuple(sorted(extensions, key=lambda e: e.granted_on))
    _check_extensions(rule, trigger_date, ordered)
    base_due = _settle(rule, period_end(trigger_date, rule.period, calendar), calendar)
    due = base_due
    for extension in ordered:
        due = _settle(rule, period_end(due, extension.period, calendar), calendar)
    if rule.extension_policy == "capped" and rule.extension is not None:
        cap = _settle(rule, period_end(base_due, rule.extension, calendar), calendar)
        if due > cap:
            raise DeadlineError(
                f"“{rule.name}”最多延长{rule.extension.label()}（至 {cap.isoformat()}），所录延长累计超出上限"
            )
    return Deadline(rule.code, due, base_due, ordered, rule.legal_basis, trigger_date, rule.hard, rule.name)


def compute_all(
    trigger: str,
    trigger_date: date,
    facts: Mapping[str, str] | None = None,
    calendar: WorkCalendar | None = None,
    rules: Iterable[DeadlineRule] = RULES,
) -> tuple[Deadline, ...]:
    """Every deadline an event starts, for a case with these facts (no extensions yet)."""
    return tuple(compute_due(rule, trigger_date, calendar) for rule in rules_for(trigger, facts, rules))


def _settle(rule: DeadlineRule, last_day: date, calendar: WorkCalendar) -> date:
    return calendar.roll_forward(last_day) if rule.roll_to_working_day else last_day


def _check_extensions(rule: DeadlineRule, trigger_date: date, extensions: tuple[Extension, ...]) -> None:
    if extensions and rule.extension_policy == "none":
        raise DeadlineError(f"“{rule.name}”是法定不变期间，不能延长")
    for extension in extensions:
        if extension.granted_on < trigger_date:
            raise DeadlineError(f"延长日期 {extension.granted_on.isoformat()} 早于起算日 {trigger_date.isoformat()}")
        if extension.length <= 0:
            raise DeadlineError("延长期限必须大于零")
