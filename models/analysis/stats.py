"""The statistics query layer: totals, rates, 防激化, breakdowns and the monthly trend for a
period and scope, with 同比 and 环比. Read by the dashboard, `mediation-desk stats`, the monthly
report and 考核 alike. Each breakdown cell and its drill-down list (`case_ids`) are built from the
same condition, so a chart click opens exactly the cases counted.

Definitions of every figure are in models/analysis/definitions.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, func, literal, not_, or_, select, true
from sqlalchemy.orm import Session

from models import clock
from models.analysis.definitions import RATES
from models.analysis.entities import PREVENTION_KINDS, PreventionRecord
from models.analysis.scope import Period, StatQuery, case_conditions, scope_conditions
from models.cases.agreements import Agreement
from models.cases.catalog import DisputeType
from models.cases.entities import Case
from models.errors import ValidationFailed
from models.org.entities import Desk, OrgUnit, User
from models.workflow.entities import CaseDeadline, CourtReferral, SupervisionOrder

# --- what a case is, as SQL (one home for each; figures and drill-downs share them) ----------

CLOSED = Case.stage.in_(("办结", "归档"))
NO_OUTCOME = and_(Case.mediation_outcome.is_(None), Case.arbitration_result.is_(None), Case.court_outcome.is_(None))
SUCCESS = Case.mediation_outcome.in_(("书面协议", "口头协议"))

MEASURES: dict[str, ColumnElement[bool]] = {
    "received": true(),
    # Closed without any outcome means 不予受理 or 咨询办结 straight from 诊.
    "accepted": and_(Case.stage != "诊", not_(and_(CLOSED, NO_OUTCOME))),
    "mediated": Case.mediation_outcome.in_(("书面协议", "口头协议", "调解不成")),
    "success": SUCCESS,
    "written": Case.mediation_outcome == "书面协议",
    "oral": Case.mediation_outcome == "口头协议",
    "confirmed": Case.court_outcome == "司法确认有效",
    "followed_up": Case.followup_satisfaction.is_not(None),
    "satisfied": Case.followup_satisfaction.in_(("满意", "基本满意")),
}

ROUTE = case(
    (SUCCESS, "调解成功"),
    (Case.court_outcome.is_not(None) | (Case.stage == "诉"), "转诉讼"),
    (Case.arbitration_result.is_not(None) | (Case.stage == "裁"), "转仲裁"),
    (Case.mediation_outcome.is_not(None), Case.mediation_outcome),
    (Case.stage == "诊", "待受理"),
    (and_(CLOSED, Case.rejection_reason.is_not(None)), "不予受理"),
    (and_(CLOSED, NO_OUTCOME), "咨询办结"),
    else_="调解中",
)
LEVEL_OF_CASE = select(OrgUnit.level).where(OrgUnit.id == Case.org_unit_id).correlate(Case).scalar_subquery()
SOLVED_LEVEL = case(
    (LEVEL_OF_CASE.in_(("网格", "村")), "网格/村(社区)"),
    (LEVEL_OF_CASE == "乡镇", "镇(街道)"),
    (LEVEL_OF_CASE == "县", "县(区)"),
    else_="未指定层级",
)
GROUPS: dict[str, Any] = {
    "type": func.substr(Case.dispute_type_code, 1, 2),
    "source": Case.source_channel,
    "outcome": ROUTE,
    "level": SOLVED_LEVEL,
    "desk": func.coalesce(Case.desk_id, 0),
    "mediator": func.coalesce(Case.mediator_id, 0),
}
GROUP_LABELS = {"type": "纠纷类型", "source": "来源渠道", "outcome": "办理去向", "level": "化解层级",
                "desk": "窗口", "mediator": "调解员"}
BREAKDOWN_MEASURES = ("received", "accepted", "mediated", "success")


def check_group(by: str) -> str:
    if by not in GROUPS:
        raise ValidationFailed(f"未知的分组：{by}（可选：{'、'.join(GROUPS)}）")
    return by


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreventionRow:
    kind: str
    cases: int
    persons: int


@dataclass(frozen=True)
class Stats:
    period: Period
    figures: dict[str, Any]
    prevention: tuple[PreventionRow, ...]

    def rate(self, key: str) -> float | None:
        spec = next(r for r in RATES if r.key == key)
        bottom = self.figures[spec.denominator]
        return None if not bottom else float(self.figures[spec.numerator]) / float(bottom)

    @property
    def rates(self) -> dict[str, float | None]:
        return {r.key: self.rate(r.key) for r in RATES}

    @property
    def is_zero(self) -> bool:
        """零报告: nothing received, no 督办 and no 防激化 in the period."""
        return not self.figures["received"] and not self.figures["supervised"] and not any(
            p.cases for p in self.prevention)


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    counts: dict[str, int]

    def success_rate(self) -> float | None:
        return self.counts["success"] / self.counts["mediated"] if self.counts["mediated"] else None


@dataclass(frozen=True)
class Comparison:
    current: Stats
    previous: Stats  # 环比
    year_before: Stats  # 同比
    breakdowns: dict[str, list[BreakdownRow]] = field(default_factory=dict)

    def change(self, key: str, against: str) -> float | None:
        """(current − other) ÷ other for a figure or rate key; None when the other is 0 or missing."""
        other = self.previous if against == "环比" else self.year_before
        now, then = _value(self.current, key), _value(other, key)
        if now is None or not then:
            return None
        return (float(now) - float(then)) / float(then)


    def point_change(self, key: str, against: str) -> float | None:
        """A rate's change in percentage points (rates are compared by difference, not ratio)."""
        other = self.previous if against == "环比" else self.year_before
        now, then = self.current.rate(key), other.rate(key)
        return None if now is None or then is None else (now - then) * 100


def _value(stats: Stats, key: str) -> Any:
    return stats.figures[key] if key in stats.figures else stats.rate(key)


# --- queries -------------------------------------------------------------------------------


def compute(session: Session, query: StatQuery, *, today: date | None = None) -> Stats:
    """Every figure of the definitions table for one period and scope."""
    where = case_conditions(session, query)
    figures: dict[str, Any] = dict(zip(MEASURES, _count_row(session, where), strict=True))
    figures["amount"] = _amount(session, where)
    figures.update(_court(session, where))
    figures.update(_deadlines(session, where, min(query.period.end, today or clock.today())))
    figures.update(_supervision(session, query))
    return Stats(query.period, figures, _prevention(session, query))


def _count_row(session: Session, where: list[ColumnElement[bool]]) -> tuple[int, ...]:
    sums = [func.coalesce(func.sum(case((cond, 1), else_=0)), 0) for cond in MEASURES.values()]
    row = session.execute(select(*sums).where(*where)).one()
    return tuple(int(v) for v in row)


def _amount(session: Session, where: list[ColumnElement[bool]]) -> Decimal:
    total = session.scalar(select(func.sum(Agreement.amount)).join(Case, Case.id == Agreement.case_id).where(*where))
    return Decimal(total or 0).quantize(Decimal("0.01"))


def _court(session: Session, where: list[ColumnElement[bool]]) -> dict[str, int]:
    applied = or_(CourtReferral.confirmation_applied_on.is_not(None),
                  Case.court_outcome.in_(("司法确认有效", "驳回确认申请")))
    filing = or_(CourtReferral.filed_on.is_not(None), Case.court_outcome == "转立案")
    query = select(
        func.coalesce(func.sum(case((applied, 1), else_=0)), 0),
        func.coalesce(func.sum(case((filing, 1), else_=0)), 0),
    ).select_from(Case).outerjoin(CourtReferral, CourtReferral.case_id == Case.id).where(*where)
    applied_n, filing_n = session.execute(query).one()
    return {"confirm_applied": int(applied_n), "to_filing": int(filing_n)}


def _deadlines(session: Session, where: list[ColumnElement[bool]], as_of: date) -> dict[str, int]:
    done = CaseDeadline.completed_on.is_not(None)
    on_time = CaseDeadline.completed_on <= CaseDeadline.due_date
    late = or_(CaseDeadline.completed_on > CaseDeadline.due_date,
               and_(CaseDeadline.completed_on.is_(None), CaseDeadline.due_date < as_of))
    query = select(*(func.coalesce(func.sum(case((c, 1), else_=0)), 0) for c in (done, on_time, late)))
    row = session.execute(query.join(Case, Case.id == CaseDeadline.case_id).where(*where)).one()
    return dict(zip(("deadlines_done", "on_time", "overdue"), (int(v) for v in row), strict=True))


def _supervision(session: Session, query: StatQuery) -> dict[str, int]:
    stmt = (select(func.count(), func.coalesce(func.sum(case((SupervisionOrder.replied_on.is_not(None), 1), else_=0)), 0))
            .join(Case, Case.id == SupervisionOrder.case_id)
            .where(*scope_conditions(session, query.scope),
                   SupervisionOrder.issued_on.between(query.period.start, query.period.end)))
    issued, replied = session.execute(stmt).one()
    return {"supervised": int(issued), "supervision_replied": int(replied)}


def _prevention(session: Session, query: StatQuery) -> tuple[PreventionRow, ...]:
    stmt = (select(PreventionRecord.kind, func.count(func.distinct(PreventionRecord.case_id)),
                   func.sum(PreventionRecord.persons))
            .join(Case, Case.id == PreventionRecord.case_id)
            .where(*scope_conditions(session, query.scope),
                   PreventionRecord.recorded_on.between(query.period.start, query.period.end))
            .group_by(PreventionRecord.kind))
    found = {kind: (int(n), int(p or 0)) for kind, n, p in session.execute(stmt)}
    return tuple(PreventionRow(k, *found.get(k, (0, 0))) for k in PREVENTION_KINDS)


def compare(session: Session, query: StatQuery, *, breakdowns: tuple[str, ...] = ()) -> Comparison:
    """This period with 环比 (the period before) and 同比 (a year before), plus the breakdowns asked for."""
    today = clock.today()
    return Comparison(
        compute(session, query, today=today),
        compute(session, query.with_period(query.period.previous()), today=today),
        compute(session, query.with_period(query.period.year_before()), today=today),
        {by: breakdown(session, query, by) for by in breakdowns},
    )


def breakdown(session: Session, query: StatQuery, by: str) -> list[BreakdownRow]:
    """Counts per group (type, source, outcome, level, desk, mediator), largest first."""
    group = GROUPS[check_group(by)].label("g")
    sums = [func.sum(case((MEASURES[m], 1), else_=0)) for m in BREAKDOWN_MEASURES]
    stmt = select(group, *sums).where(*case_conditions(session, query)).group_by(group)
    rows = [(str(g), dict(zip(BREAKDOWN_MEASURES, (int(v or 0) for v in vals), strict=True)))
            for g, *vals in session.execute(stmt)]
    labels = _labels(session, by, [k for k, _ in rows])
    found = [BreakdownRow(k, labels.get(k, k), c) for k, c in rows]
    return sorted(found, key=lambda r: (-r.counts["received"], r.key))


def _labels(session: Session, by: str, keys: list[str]) -> dict[str, str]:
    lookups: dict[str, Callable[[], Any]] = {
        "type": lambda: session.execute(select(DisputeType.code, DisputeType.name)),
        "desk": lambda: session.execute(select(Desk.id, Desk.name)),
        "mediator": lambda: session.execute(select(User.id, User.display_name)),
    }
    if by not in lookups:
        return {}
    names = {str(k): v for k, v in lookups[by]()}
    return {k: names.get(k, "未指定") for k in keys}


def case_ids(session: Session, query: StatQuery, by: str, key: str, measure: str = "received") -> list[int]:
    """The cases behind one breakdown cell: the same conditions the count used."""
    group = GROUPS[check_group(by)]
    if measure not in MEASURES:
        raise ValidationFailed(f"未知的统计项：{measure}")
    value: Any = int(key) if by in ("desk", "mediator") else key
    stmt = select(Case.id).where(*case_conditions(session, query), MEASURES[measure], group == literal(value))
    return list(session.scalars(stmt.order_by(Case.received_date, Case.id)))


@dataclass(frozen=True)
class TrendPoint:
    year: int
    month: int
    received: int
    success: int
    mediated: int


def monthly_trend(session: Session, query: StatQuery, months: int = 12) -> list[TrendPoint]:
    """Received and successful cases per month for `months` months ending with the period's last."""
    last = Period.month(query.period.end.year, query.period.end.month)
    span = Period(last.shifted_months(-(months - 1)).start, last.end)
    year, month = extract("year", Case.received_date), extract("month", Case.received_date)
    sums = [func.sum(case((MEASURES[m], 1), else_=0)) for m in ("received", "success", "mediated")]
    stmt = select(year, month, *sums).where(*case_conditions(session, query.with_period(span))).group_by(year, month)
    found = {(int(y), int(m)): (int(r or 0), int(s or 0), int(d or 0)) for y, m, r, s, d in session.execute(stmt)}
    points = []
    for i in range(months):
        p = span.shifted_months(i)
        points.append(TrendPoint(p.start.year, p.start.month, *found.get((p.start.year, p.start.month), (0, 0, 0))))
    return points


@dataclass(frozen=True)
class CountedCase:
    id: int
    number: str
    received_date: date
    dispute_type: str
    stage: str
    summary: str


def counted_cases_list(session: Session, ids: list[int]) -> list[CountedCase]:
    """The rows of a drill-down list, in the order of `ids`."""
    stmt = (select(Case.id, Case.number, Case.received_date, DisputeType.name, Case.stage, Case.summary)
            .join(DisputeType, DisputeType.code == Case.dispute_type_code).where(Case.id.in_(ids)))
    found = {r[0]: CountedCase(*r) for r in session.execute(stmt)}
    return [found[i] for i in ids if i in found]


def month_case_ids(session: Session, query: StatQuery, month_key: str, measure: str = "received") -> list[int]:
    """The cases of one trend point ("YYYY-MM"): the month within the query's scope."""
    month = Period.parse_month(month_key)
    stmt = select(Case.id).where(*case_conditions(session, query.with_period(month)), MEASURES[measure])
    return list(session.scalars(stmt.order_by(Case.received_date, Case.id)))
