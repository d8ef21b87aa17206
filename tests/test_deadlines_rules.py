"""Deadline rules: one row per rule with its article, trigger date and expected due date,
computed on the seeded PRC calendar (holidays and 调休 for 2024–2026)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from models.deadlines import (
    RULES,
    DeadlineSettings,
    Period,
    build_rules,
    compute_all,
    compute_due,
    default_calendar,
    rule_by_code,
    rules_for,
)
from models.errors import DomainError

D = date

# (rule code, article, trigger date, expected due date, why)
CASES = [
    ("tm_general", "人民调解工作若干规定 第三十三条", D(2024, 1, 31), D(2024, 2, 29), "闰年 1月31日+1个月=2月29日"),
    ("tm_simple", "地方化解时限 简单1日", D(2024, 9, 13), D(2024, 9, 14), "到期日为调休上班的周六，不顺延"),
    ("tm_ordinary", "地方化解时限 一般7日", D(2024, 9, 24), D(2024, 10, 8), "到期日落在国庆假期，顺延至10月8日"),
    ("tm_complex", "地方化解时限 复杂疑难20日", D(2025, 1, 8), D(2025, 2, 5), "到期日为2025年除夕，顺延过春节"),
    ("sfqr_apply", "人民调解法 第三十三条；民诉法 第二百零五条", D(2024, 3, 1), D(2024, 4, 1), "3月31日周日顺延"),
    ("sfqr_accept", "法释〔2011〕5号 第四条", D(2024, 2, 1), D(2024, 2, 4), "2月4日周日为春节调休上班日"),
    ("sfqr_decide_soft", "法释〔2011〕5号 第五条", D(2024, 4, 20), D(2024, 5, 6), "5月5日劳动节假期顺延"),
    ("sfqr_decide_hard", "民诉法 第一百八十七条", D(2024, 4, 20), D(2024, 5, 20), "普通工作日"),
    ("court_delegated", "特邀调解规定 第二十七条", D(2025, 9, 1), D(2025, 10, 9), "国庆中秋8天假后"),
    ("court_entrusted_ordinary", "特邀调解规定 第二十七条", D(2026, 2, 1), D(2026, 2, 24), "2026春节9天假后"),
    ("court_entrusted_simple", "特邀调解规定 第二十七条", D(2026, 2, 7), D(2026, 2, 14), "2026年2月14日周六调休上班"),
    ("labour_apply", "劳动争议调解仲裁法 第二十七条", D(2024, 2, 29), D(2025, 2, 28), "闰日+1年=次年2月28日"),
    ("labour_award", "劳动争议调解仲裁法 第四十三条", D(2024, 3, 1), D(2024, 4, 15), "45日"),
    ("labour_sue", "劳动争议调解仲裁法 第五十条", D(2024, 12, 17), D(2025, 1, 2), "元旦顺延"),
    ("land_apply", "农村土地承包经营纠纷调解仲裁法 第十八条", D(2024, 2, 29), D(2026, 2, 28), "2年后为调休周六"),
    ("land_award", "农村土地承包经营纠纷调解仲裁法 第四十七条", D(2024, 8, 2), D(2024, 10, 8), "10月1日国庆"),
    ("land_sue", "农村土地承包经营纠纷调解仲裁法 第四十八条", D(2025, 5, 1), D(2025, 6, 3), "周六+端午"),
    ("trial_simple", "民诉法 第一百六十四条", D(2023, 11, 30), D(2024, 2, 29), "11月30日+3个月无对应日取月末"),
    ("trial_ordinary", "民诉法 第一百五十二条", D(2024, 8, 31), D(2025, 2, 28), "平年2月月末"),
    ("enforcement_apply", "民诉法 第二百五十条", D(2024, 1, 1), D(2026, 1, 4), "2026元旦3天假，1月4日周日上班"),
]


@pytest.mark.parametrize(("code", "article", "trigger", "expected", "why"), CASES, ids=[c[0] for c in CASES])
def test_rule_due_date(code: str, article: str, trigger: date, expected: date, why: str) -> None:
    deadline = compute_due(rule_by_code(code), trigger, default_calendar())
    assert deadline.due_date == expected, f"{article}：{why}"
    for cited in re.findall(r"第[一二三四五六七八九十百零]+条", article):
        assert cited in deadline.basis, f"{code} 的依据应引用{cited}"
    assert deadline.base_due == expected
    assert deadline.extended_by == ()


def test_every_rule_has_a_table_row() -> None:
    assert {c[0] for c in CASES} == {r.code for r in RULES}


def test_every_rule_cites_a_basis_and_has_unique_code() -> None:
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    for rule in RULES:
        assert "《" in rule.legal_basis or "地方" in rule.legal_basis, rule.code


def test_unverified_citations_are_marked() -> None:
    assert "未核实" in rule_by_code("court_delegated").legal_basis
    assert "非国家法定期限" in rule_by_code("tm_simple").legal_basis


def test_deadline_carries_basis_and_hardness() -> None:
    deadline = compute_due(rule_by_code("sfqr_decide_soft"), D(2024, 4, 20))
    assert not deadline.hard
    assert "第五条" in deadline.basis
    assert compute_due(rule_by_code("sfqr_decide_hard"), D(2024, 4, 20)).hard


def test_non_leap_year_month_end() -> None:
    deadline = compute_due(rule_by_code("tm_general"), D(2023, 1, 31))
    assert deadline.due_date == D(2023, 2, 28)


def test_start_day_is_not_counted() -> None:
    deadline = compute_due(rule_by_code("sfqr_apply"), D(2024, 6, 3))
    assert deadline.due_date == D(2024, 7, 3)


@pytest.mark.parametrize(
    ("trigger", "facts", "expected"),
    [
        ("court_referral_received", {"referral": "委派"}, ["court_delegated"]),
        ("court_referral_received", {"referral": "委托", "procedure": "简易"}, ["court_entrusted_simple"]),
        ("court_referral_received", {"referral": "委托", "procedure": "普通"}, ["court_entrusted_ordinary"]),
        ("court_referral_received", {"referral": "委托"}, []),
        ("arbitration_accepted", {"track": "劳动人事争议仲裁"}, ["labour_award"]),
        ("arbitration_accepted", {"track": "农村土地承包仲裁"}, ["land_award"]),
        ("award_served", {"track": "农村土地承包仲裁"}, ["land_sue"]),
        ("case_dispatched", {"complexity": "一般"}, ["tm_ordinary"]),
        ("confirmation_accepted", {}, ["sfqr_decide_soft", "sfqr_decide_hard"]),
        ("case_filed", {"procedure": "简易"}, ["trial_simple"]),
    ],
)
def test_rules_for_selects_by_facts(trigger: str, facts: dict[str, str], expected: list[str]) -> None:
    assert [r.code for r in rules_for(trigger, facts)] == expected


def test_compute_all_for_an_event() -> None:
    deadlines = compute_all("confirmation_accepted", D(2024, 4, 20))
    assert {d.rule_code: d.due_date for d in deadlines} == {
        "sfqr_decide_soft": D(2024, 5, 6),
        "sfqr_decide_hard": D(2024, 5, 20),
    }


def test_settings_change_general_limit_and_complexity_table() -> None:
    settings = DeadlineSettings(
        general_limit=Period(45, "day"),
        complexity_limits=tuple({"简单": Period(2, "working_day"), "一般": Period(5, "day"), "复杂疑难": Period(15, "day")}.items()),
    )
    rules = build_rules(settings)
    general = compute_due(rule_by_code("tm_general", rules), D(2024, 1, 2))
    assert general.due_date == D(2024, 2, 16 + 2)  # 2月16日在春节假期内 -> 2月18日调休上班
    simple = compute_due(rule_by_code("tm_simple", rules), D(2024, 2, 8))
    assert simple.due_date == D(2024, 2, 18)  # 2月9日、(春节假期)、2月18日周日调休上班
    assert [r.code for r in rules_for("case_dispatched", {"complexity": "复杂疑难"}, rules)] == ["tm_complex"]


def test_default_settings_seed_one_month_and_1_7_20_days() -> None:
    assert rule_by_code("tm_general").period == Period(1, "month")
    lengths = [rule_by_code(c).period for c in ("tm_simple", "tm_ordinary", "tm_complex")]
    assert lengths == [Period(1, "day"), Period(7, "day"), Period(20, "day")]


@pytest.mark.parametrize(
    "bad",
    [
        lambda: Period(3, "week"),  # type: ignore[arg-type]  # an invalid unit, on purpose
        lambda: Period(-1, "day"),
        lambda: DeadlineSettings(complexity_limits=(("", Period(1, "day")),)),
        lambda: rule_by_code("no_such_rule"),
    ],
)
def test_invalid_definitions_are_refused(bad) -> None:
    with pytest.raises(DomainError):
        bad()
