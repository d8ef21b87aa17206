"""The dashboard's and the monthly report's charts as data: monthly trend, type breakdown, desks
and outcomes. Each bar or slice carries its breakdown key, so a click can ask `case_ids` for
exactly the cases it counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from models.analysis.scope import StatQuery
from models.analysis.stats import BreakdownRow, breakdown, monthly_trend
from templates.charts import ChartKind, ChartSpec, Series

TOP = 10


@dataclass(frozen=True)
class DashboardChart:
    """A chart and what a click on it opens: the breakdown (`by`) and measure of its bars."""

    name: str
    spec: ChartSpec
    by: str | None  # None: the trend (a click opens the month's received cases)
    measure: str = "received"


def _bars(kind: ChartKind, title: str, rows: list[BreakdownRow], measures: tuple[tuple[str, str], ...]) -> ChartSpec:
    rows = rows[:TOP]
    series = tuple(Series(label, tuple(float(r.counts[m]) for r in rows)) for m, label in measures)
    return ChartSpec(kind, title, tuple(r.label for r in rows), series, tuple(r.key for r in rows))


def dashboard_charts(session: Session, query: StatQuery) -> list[DashboardChart]:
    trend = monthly_trend(session, query)
    trend_spec = ChartSpec(
        "line", "近十二个月收案与调解成功（件）", tuple(f"{p.year % 100:02d}-{p.month:02d}" for p in trend),
        (Series("收案", tuple(float(p.received) for p in trend)), Series("调解成功", tuple(float(p.success) for p in trend))),
        tuple(f"{p.year:04d}-{p.month:02d}" for p in trend),
    )
    types = breakdown(session, query, "type")
    desks = breakdown(session, query, "desk")
    outcomes = breakdown(session, query, "outcome")
    return [
        DashboardChart("trend", trend_spec, None),
        DashboardChart("type", _bars("barh", "纠纷类型（收案，件）", types, (("received", "收案"),)), "type"),
        DashboardChart("desk", _bars("bar", "各窗口收案与调解成功（件）", desks,
                                     (("received", "收案"), ("success", "调解成功"))), "desk"),
        DashboardChart("outcome", _bars("pie", "办理去向（件）", outcomes, (("received", "件数"),)), "outcome"),
    ]
