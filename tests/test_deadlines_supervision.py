"""Three-colour supervision: 蓝 approaching, 黄 due/just overdue, 红 seriously overdue or re-opened."""

from __future__ import annotations

from datetime import date

import pytest

from models.deadlines import ColourThresholds, Deadline, colour_for, met_on_time
from models.errors import DomainError

D = date
DUE = D(2024, 6, 12)
DEADLINE = Deadline("tm_general", DUE, DUE, (), "依据", D(2024, 5, 12), False, "人民调解一般期限")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2024, 6, 1), None),  # 11 days left
        (D(2024, 6, 8), None),  # 4 days left
        (D(2024, 6, 9), "蓝"),  # 3 days left
        (D(2024, 6, 11), "蓝"),
        (D(2024, 6, 12), "黄"),  # due today
        (D(2024, 6, 15), "黄"),  # 3 days overdue
        (D(2024, 6, 16), "红"),  # 4 days overdue
        (D(2024, 9, 1), "红"),
    ],
)
def test_default_thresholds(today: date, expected: str | None) -> None:
    assert colour_for(DEADLINE, today) == expected


def test_custom_thresholds() -> None:
    strict = ColourThresholds(blue_days_before=7, yellow_days_overdue=0)
    assert colour_for(DEADLINE, D(2024, 6, 5), strict) == "蓝"
    assert colour_for(DEADLINE, D(2024, 6, 4), strict) is None
    assert colour_for(DEADLINE, D(2024, 6, 12), strict) == "黄"
    assert colour_for(DEADLINE, D(2024, 6, 13), strict) == "红"


def test_reopened_is_red_even_far_from_due() -> None:
    assert colour_for(DEADLINE, D(2024, 5, 20), reopened=True) == "红"
    assert colour_for(DEADLINE, D(2024, 5, 20), reopened=True, completed_on=D(2024, 5, 19)) == "红"


def test_completed_stops_supervision_and_on_time_is_separate() -> None:
    assert colour_for(DEADLINE, D(2024, 7, 1), completed_on=D(2024, 6, 20)) == "已完成"
    assert met_on_time(DEADLINE, D(2024, 6, 12))
    assert not met_on_time(DEADLINE, D(2024, 6, 13))


def test_days_left_and_overdue() -> None:
    assert DEADLINE.days_left(D(2024, 6, 10)) == 2
    assert not DEADLINE.is_overdue(DUE)
    assert DEADLINE.is_overdue(D(2024, 6, 13))


def test_negative_threshold_refused() -> None:
    with pytest.raises(DomainError):
        ColourThresholds(blue_days_before=-1)
