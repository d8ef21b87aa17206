"""The one clock every layer reads for "today" and "now".

Services, forms, the demo and the desktop ask this module, never `date.today()` or
`datetime.now()`, so a test (or a demo recorded for screenshots) can pin the date: everything then
agrees on one "today" and nothing fails when a run crosses midnight or lands on a holiday.
A pinned clock keeps ticking from the pinned moment, so timestamps written during a test still
increase (the audit chain and stage timelines are ordered by them)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta, timezone

#: The centre's civil time zone: "today" for deadlines is the date in Beijing, whatever the server's.
CHINA = timezone(timedelta(hours=8), "CST")

_offset = timedelta(0)


def now() -> datetime:
    """The current moment, timezone-aware in UTC (stored as UTC so desks agree on ordering)."""
    return datetime.now(UTC) + _offset


def today() -> date:
    """The current date in China (deadlines, receipt dates, report periods)."""
    return now().astimezone(CHINA).date()


def local_now() -> datetime:
    """The current moment in China's civil time, for file names and printed times."""
    return now().astimezone(CHINA)


def pin(day: date, at: time = time(9, 30)) -> None:
    """Make `today()` return `day` from now on (the clock keeps ticking from `day` at `at`)."""
    global _offset
    target = datetime.combine(day, at, CHINA)
    _offset = target - datetime.now(UTC)


def unpin() -> None:
    global _offset
    _offset = timedelta(0)


@contextmanager
def pinned(day: date, at: time = time(9, 30)) -> Iterator[None]:
    """`pin` for the length of a block; the previous clock comes back afterwards."""
    global _offset
    previous = _offset
    pin(day, at)
    try:
        yield
    finally:
        _offset = previous
