"""Statistics against hand-counted fixtures (tests/analysis_fixtures.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from models.analysis.definitions import RATES, definitions_markdown, describe
from models.analysis.scope import Period, Scope, StatQuery
from models.analysis.stats import breakdown, case_ids, compare, compute, monthly_trend
from models.db import Database
from models.errors import ValidationFailed
from tests import analysis_fixtures

NOV = StatQuery(Period.month(2026, 11))


@pytest.fixture
def fx(db: Database) -> analysis_fixtures.Fixture:
    with db.write.begin() as session:
        return analysis_fixtures.build(session)


def test_november_figures_match_the_hand_count(db: Database, fx: analysis_fixtures.Fixture) -> None:
    with db.read() as session:
        stats = compute(session, NOV)
    f = stats.figures
    assert (f["received"], f["accepted"], f["mediated"], f["success"]) == (4, 3, 3, 2)  # c4 rejected; c3 failed
    assert (f["written"], f["oral"], f["amount"]) == (1, 1, Decimal("1000.00"))
    assert (f["supervised"], f["supervision_replied"]) == (2, 1)
    assert (f["followed_up"], f["satisfied"]) == (1, 1)
    assert stats.rate("success_rate") == pytest.approx(2 / 3)
    assert stats.rate("reply_rate") == pytest.approx(0.5)
    assert [(p.kind, p.cases, p.persons) for p in stats.prevention if p.cases] == [("防止民转刑", 1, 3)]
    assert not stats.is_zero


def test_tongbi_and_huanbi_for_a_month(db: Database, fx: analysis_fixtures.Fixture) -> None:
    with db.read() as session:
        cmp = compare(session, NOV)
    assert cmp.previous.period == Period.month(2026, 10)
    assert cmp.year_before.period == Period.month(2025, 11)
    assert cmp.previous.figures["received"] == 1 and cmp.year_before.figures["received"] == 1
    assert cmp.change("received", "环比") == pytest.approx(3.0)
    assert cmp.change("success", "环比") == pytest.approx(1.0)  # 2 against c5's 1
    assert cmp.change("success", "同比") is None  # nothing succeeded in November 2025


def test_tongbi_across_a_year_boundary(db: Database, fx: analysis_fixtures.Fixture) -> None:
    january = StatQuery(Period.month(2026, 1))
    with db.read() as session:
        cmp = compare(session, january)
    assert cmp.previous.period == Period(date(2025, 12, 1), date(2025, 12, 31))
    assert cmp.year_before.period == Period(date(2025, 1, 1), date(2025, 1, 31))
    assert (cmp.current.figures["received"], cmp.previous.figures["received"],
            cmp.year_before.figures["received"]) == (1, 2, 1)
    assert cmp.change("received", "环比") == pytest.approx(-0.5)
    assert cmp.change("received", "同比") == pytest.approx(0.0)


def test_escalated_case_counts_where_it_was_solved(db: Database, fx: analysis_fixtures.Fixture) -> None:
    with db.read() as session:
        rows = {r.key: r.counts for r in breakdown(session, NOV, "level")}
        solved_in_town = case_ids(session, NOV, "level", "镇(街道)", "success")
    assert rows["镇(街道)"] == {"received": 1, "accepted": 1, "mediated": 1, "success": 1}
    assert rows["网格/村(社区)"]["received"] == 3 and rows["网格/村(社区)"]["success"] == 1
    assert solved_in_town == [fx.ids["c2"]]


def test_each_breakdown_cell_drills_to_exactly_its_cases(db: Database, fx: analysis_fixtures.Fixture) -> None:
    with db.read() as session:
        for by in ("type", "source", "outcome", "level", "desk", "mediator"):
            for row in breakdown(session, NOV, by):
                for measure, count in row.counts.items():
                    assert len(case_ids(session, NOV, by, row.key, measure)) == count, (by, row.key, measure)
        types = {r.label: r.counts["received"] for r in breakdown(session, NOV, "type")}
        outcomes = {r.key: r.counts["received"] for r in breakdown(session, NOV, "outcome")}
    assert types == {"邻里纠纷": 3, "婚姻家庭纠纷": 1}  # 0101 counts under its parent 01
    assert outcomes == {"调解成功": 2, "调解不成": 1, "不予受理": 1}


def test_scope_by_level_unit_includes_units_below(db: Database, fx: analysis_fixtures.Fixture) -> None:
    with db.read() as session:
        town = compute(session, StatQuery(NOV.period, Scope(org_unit_id=fx.town))).figures["received"]
        village = compute(session, StatQuery(NOV.period, Scope(org_unit_id=fx.village))).figures["received"]
    assert (town, village) == (4, 3)


def test_trend_has_every_month_even_empty_ones(db: Database, fx: analysis_fixtures.Fixture) -> None:
    with db.read() as session:
        points = monthly_trend(session, NOV, months=3)
    assert [(p.month, p.received, p.success) for p in points] == [(9, 0, 0), (10, 1, 1), (11, 4, 2)]


def test_zero_report_for_an_empty_month(db: Database, fx: analysis_fixtures.Fixture) -> None:
    with db.read() as session:
        stats = compute(session, StatQuery(Period.month(2026, 6)))
    assert stats.is_zero and stats.rate("success_rate") is None


def test_every_rate_is_described_with_numerator_denominator_and_date() -> None:
    for rate in RATES:
        text = describe(rate.key)
        assert "分子" in text and "分母" in text and "计入期间" in text
    assert "按期办结率" in definitions_markdown()


def test_bad_periods_are_refused() -> None:
    with pytest.raises(ValidationFailed):
        Period(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(ValidationFailed):
        Period.parse_month("2026-13")
    assert Period.month(2024, 2).year_before() == Period.month(2023, 2)
    assert Period(date(2024, 2, 29), date(2024, 2, 29)).year_before().start == date(2023, 2, 28)
