"""Extensions are events that move a deadline; capped rules refuse going past the legal maximum."""

from __future__ import annotations

from datetime import date

import pytest

from models.deadlines import DeadlineError, Extension, compute_due, default_calendar, rule_by_code

D = date


def test_labour_award_extended_by_15_days() -> None:
    # 劳动争议调解仲裁法 第四十三条: 45 days, extension at most 15 days.
    deadline = compute_due(
        rule_by_code("labour_award"),
        D(2024, 3, 1),
        default_calendar(),
        [Extension(D(2024, 4, 10), 15, "day", "案情复杂，主任批准")],
    )
    assert deadline.base_due == D(2024, 4, 15)
    assert deadline.due_date == D(2024, 4, 30)
    assert deadline.extended
    assert deadline.extended_by[0].reason == "案情复杂，主任批准"


def test_extensions_beyond_cap_are_refused() -> None:
    with pytest.raises(DeadlineError, match="最多延长15日"):
        compute_due(
            rule_by_code("labour_award"),
            D(2024, 3, 1),
            extensions=[Extension(D(2024, 4, 1), 10), Extension(D(2024, 4, 20), 6)],
        )


def test_two_extensions_within_cap_add_up() -> None:
    deadline = compute_due(
        rule_by_code("labour_award"),
        D(2024, 3, 1),
        extensions=[Extension(D(2024, 4, 20), 5), Extension(D(2024, 4, 1), 10)],
    )
    assert deadline.due_date == D(2024, 4, 30)
    assert [e.length for e in deadline.extended_by] == [10, 5]  # kept in date order


def test_sfqr_soft_limit_plus_ten_days() -> None:
    # 法释〔2011〕5号 第五条: 15 days, +10 with the 院长's approval.
    deadline = compute_due(rule_by_code("sfqr_decide_soft"), D(2024, 6, 3), extensions=[Extension(D(2024, 6, 15), 10)])
    assert deadline.base_due == D(2024, 6, 18)
    assert deadline.due_date == D(2024, 6, 28)


def test_simple_procedure_extended_one_month_from_rolled_due_date() -> None:
    # 民诉法 第一百六十四条: 3 months (+1). 06-15 is a Saturday, so the base due is Monday 06-17.
    deadline = compute_due(
        rule_by_code("trial_simple"), D(2024, 3, 15), extensions=[Extension(D(2024, 6, 1), 1, "month")]
    )
    assert deadline.base_due == D(2024, 6, 17)
    assert deadline.due_date == D(2024, 7, 17)


def test_open_rule_accepts_working_day_extension_across_spring_festival() -> None:
    deadline = compute_due(
        rule_by_code("court_delegated"),
        D(2024, 1, 10),
        extensions=[Extension(D(2024, 2, 1), 5, "working_day", "双方同意延长")],
    )
    assert deadline.base_due == D(2024, 2, 9)
    assert deadline.due_date == D(2024, 2, 22)  # 2-18(调休), 19, 20, 21, 22


def test_fixed_period_cannot_be_extended() -> None:
    with pytest.raises(DeadlineError, match="不能延长"):
        compute_due(rule_by_code("sfqr_apply"), D(2024, 3, 1), extensions=[Extension(D(2024, 3, 5), 5)])


def test_extension_before_trigger_is_refused() -> None:
    with pytest.raises(DeadlineError, match="早于起算日"):
        compute_due(rule_by_code("court_delegated"), D(2024, 3, 1), extensions=[Extension(D(2024, 2, 1), 5)])


def test_zero_length_extension_is_refused() -> None:
    with pytest.raises(DeadlineError, match="大于零"):
        compute_due(rule_by_code("court_delegated"), D(2024, 3, 1), extensions=[Extension(D(2024, 3, 2), 0)])
