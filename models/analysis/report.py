"""The monthly analysis report: figures, charts and a short written summary generated from the
figures, rendered through the document model (templates kind "monthly-report")."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import clock
from models.analysis.charts import dashboard_charts
from models.analysis.scope import Period, StatQuery
from models.analysis.service import ZERO_REPORT, change_text, figure_lines, official_rows, percent
from models.analysis.stats import BreakdownRow, Comparison, breakdown, compare
from models.cases.entities import Case
from models.dto import Actor
from models.org.entities import Committee
from models.security.permissions import Permission, require
from models.workflow.entities import SupervisionOrder
from models.workflow.supervision import overdue_counts
from templates import charts
from templates.kinds.monthly_report import MonthlyReportContext, ReportChart
from templates.render import Format, render
from templates.text import cn_date

TOP_TYPES = 5


def monthly_report(session: Session, actor: Actor, month: Period, fmt: Format, unit: str | None = None) -> bytes:
    """The report's bytes (PDF or DOCX) for one month of the whole centre; needs 查看统计分析."""
    require(session, actor, Permission.STATS_VIEW)
    return render("monthly-report", report_context(session, StatQuery(month), unit, fmt), fmt)


def report_context(session: Session, query: StatQuery, unit: str | None = None,
                   fmt: Format | None = None) -> MonthlyReportContext:
    """`fmt` "pdf" or "docx" draws the charts only as that format needs them (SVG or PNG)."""
    cmp = compare(session, query)
    types_now = breakdown(session, query, "type")
    types_before = {r.key: r.counts["received"] for r in breakdown(session, query.with_period(query.period.previous()), "type")}
    return MonthlyReportContext(
        unit=unit or _centre_name(session),
        period=query.period.label(),
        summary=summary(cmp, types_now, types_before),
        figures=tuple(figure_lines(cmp)),
        official=tuple((r.item, r.unit, r.value) for r in official_rows(cmp.current, types_now)),
        zero_report=ZERO_REPORT if cmp.current.is_zero else None,
        top_types=tuple(_type_line(r, types_before.get(r.key, 0)) for r in types_now[:TOP_TYPES]),
        overdue=tuple((desk, str(n)) for desk, n in overdue_counts(session, clock.today())),
        supervisions=_supervisions(session, query),
        charts=tuple(_chart(c.spec, fmt) for c in dashboard_charts(session, query)),
        date_line=cn_date(clock.today()),
    )


def _centre_name(session: Session) -> str:
    return session.scalar(select(Committee.name).order_by(Committee.id)) or "调解中心"


def _type_line(row: BreakdownRow, before: int) -> tuple[str, str, str, str]:
    now = row.counts["received"]
    return (row.label, str(now), str(before), change_text((now - before) / before if before else None))


def _supervisions(session: Session, query: StatQuery) -> tuple[tuple[str, str, str, str, str], ...]:
    stmt = (select(SupervisionOrder.number, Case.number, SupervisionOrder.level, SupervisionOrder.reply_due,
                   SupervisionOrder.replied_on)
            .join(Case, Case.id == SupervisionOrder.case_id)
            .where(SupervisionOrder.issued_on.between(query.period.start, query.period.end))
            .order_by(SupervisionOrder.issued_on, SupervisionOrder.id))
    return tuple((n, case, level, due.isoformat(), f"{replied.isoformat()} 已回复" if replied else "未回复")
                 for n, case, level, due, replied in session.execute(stmt))


CHART_FORMATS = {"pdf": ("svg",), "docx": ("png",), None: ("svg", "png")}


def _chart(spec: charts.ChartSpec, fmt: Format | None) -> ReportChart:
    size = (6.4, 3.0) if spec.kind != "barh" else (6.4, 3.6)
    drawn = dict(zip(CHART_FORMATS[fmt], charts.render(spec, CHART_FORMATS[fmt], size), strict=True))
    return ReportChart(spec.title, drawn.get("svg", b""), drawn.get("png", b""), size[1] / size[0], charts.font_family())


def summary(cmp: Comparison, types_now: list[BreakdownRow], types_before: dict[str, int]) -> tuple[str, ...]:
    """Three or four sentences written from the figures (nothing here is typed by hand)."""
    f, label = cmp.current.figures, cmp.current.period.label()
    if cmp.current.is_zero:
        return (f"{label}，本中心未收到矛盾纠纷，无督办和防激化事项。",)
    lines = [
        f"{label}，共收到矛盾纠纷{f['received']}件（环比{change_text(cmp.change('received', '环比'))}，"
        f"同比{change_text(cmp.change('received', '同比'))}），受理{f['accepted']}件；调解终结{f['mediated']}件，"
        f"其中调解成功{f['success']}件，调解成功率{percent(cmp.current.rate('success_rate'))}%；"
        f"达成书面协议{f['written']}件、口头协议{f['oral']}件，协议涉及金额{f['amount']}元。",
    ]
    if types_now:
        top = types_now[0]
        before = types_before.get(top.key, 0)
        trend = f"，上月{before}件" if before else "，上月无此类纠纷"
        lines.append(f"从类型看，{top.label}最多，{top.counts['received']}件{trend}。")
    lines.append(
        f"按期办结率{percent(cmp.current.rate('on_time_rate'))}%，超期{f['overdue']}项；"
        f"签发督办单{f['supervised']}件，已回复{f['supervision_replied']}件。"
    )
    prevented = [f"{p.kind}{p.cases}件{p.persons}人" for p in cmp.current.prevention if p.cases]
    lines.append("防激化方面，" + ("、".join(prevented) + "。" if prevented else "本期无防激化记录。"))
    return tuple(lines)
