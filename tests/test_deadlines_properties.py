"""Property tests: due dates never precede their trigger; working-day arithmetic is monotonic."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from models.deadlines import RULES, Extension, add_months, compute_due, default_calendar

dates = st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31))
counts = st.integers(min_value=0, max_value=60)
CALENDAR = default_calendar()


@given(rule=st.sampled_from(RULES), trigger=dates)
def test_due_date_is_after_trigger_and_a_working_day(rule, trigger: date) -> None:
    deadline = compute_due(rule, trigger, CALENDAR)
    assert deadline.due_date > trigger
    assert CALENDAR.is_working_day(deadline.due_date)


OPEN_RULES = [r for r in RULES if r.extension_policy == "open"]


@given(
    rule=st.sampled_from(OPEN_RULES),
    trigger=dates,
    length=st.integers(1, 40),
    unit=st.sampled_from(["day", "working_day", "month"]),
)
def test_extension_never_moves_due_date_earlier(rule, trigger: date, length: int, unit: str) -> None:
    extension = Extension(trigger, length, unit)  # type: ignore[arg-type]  # hypothesis draws the unit from UNITS
    deadline = compute_due(rule, trigger, CALENDAR, [extension])
    assert deadline.due_date > deadline.base_due > trigger


@given(rule=st.sampled_from(RULES), first=dates, second=dates)
def test_later_trigger_never_gives_earlier_due(rule, first: date, second: date) -> None:
    early, late = sorted((first, second))
    assert compute_due(rule, early, CALENDAR).due_date <= compute_due(rule, late, CALENDAR).due_date


@given(first=dates, second=dates, count=counts)
def test_add_working_days_monotonic_in_start(first: date, second: date, count: int) -> None:
    early, late = sorted((first, second))
    assert CALENDAR.add_working_days(early, count) <= CALENDAR.add_working_days(late, count)


@given(start=dates, a=counts, b=counts)
def test_add_working_days_monotonic_in_count(start: date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    low_day, high_day = CALENDAR.add_working_days(start, low), CALENDAR.add_working_days(start, high)
    assert low_day <= high_day
    assert (low_day < high_day) == (low < high)
    assert CALENDAR.working_days_between(start, high_day) == high


@given(start=dates, months=st.integers(min_value=0, max_value=36))
def test_add_months_keeps_day_or_clamps_to_month_end(start: date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == start.day or (result.day < start.day and result == _month_end(result))


def _month_end(day: date) -> date:
    following = add_months(day.replace(day=1), 1)
    return date.fromordinal(following.toordinal() - 1)
