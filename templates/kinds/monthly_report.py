"""矛盾纠纷月度分析报告: a written summary, the figures with 环比/同比, the official 统计报表, the top
types and their change, overdue and 督办, and the charts (vectors in the PDF). The context is
filled by models/analysis/report.py; this file only lays it out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from templates.blocks import Block, DateLine, Document, Heading, Paragraph, Picture, Subtitle, Table, Title

SIZE = 12.0


@dataclass(frozen=True)
class ReportChart:
    caption: str
    svg: bytes
    png: bytes
    aspect: float = 0.5
    font_family: str = ""


@dataclass(frozen=True)
class MonthlyReportContext:
    unit: str
    period: str
    summary: tuple[str, ...]
    figures: tuple[tuple[str, str, str, str], ...]  # 项目, 本期, 环比, 同比
    official: tuple[tuple[str, str, str], ...]  # 项目, 单位, 数量
    zero_report: str | None
    top_types: tuple[tuple[str, str, str, str], ...]  # 类型, 本期, 上期, 环比
    overdue: tuple[tuple[str, str], ...]  # 窗口, 超期项数
    supervisions: tuple[tuple[str, str, str, str, str], ...]  # 督办单号, 案件编号, 等级, 回复期限, 回复
    charts: tuple[ReportChart, ...]
    date_line: str


def _table(header: tuple[str, ...], rows: Sequence[Sequence[str]], widths: tuple[float, ...], empty: str) -> list[Block]:
    if not rows:
        return [Paragraph(empty, indent=True, size=SIZE)]
    return [Table(header=header, rows=rows, col_widths=widths, size=10.0, center_columns=frozenset(range(1, len(header))))]


def build(c: MonthlyReportContext) -> Document:
    blocks: list[Block] = [Title("矛盾纠纷月度分析报告"), Subtitle(f"{c.unit}　{c.period}"), Heading("一、总体情况")]
    blocks += [Paragraph(text, size=SIZE) for text in c.summary]
    if c.zero_report:
        blocks.append(Paragraph(c.zero_report, size=SIZE))
    blocks += _table(("项目", "本期", "环比", "同比"), c.figures, (0.4, 0.2, 0.2, 0.2), "")
    blocks += [Heading("二、趋势与构成")]
    blocks += [Picture(ch.svg, ch.png, width=0.95, aspect=ch.aspect, font_family=ch.font_family) for ch in c.charts]
    blocks += [Heading("三、主要纠纷类型及变化")]
    blocks += _table(("纠纷类型", "本期（件）", "上期（件）", "环比"), c.top_types, (0.4, 0.2, 0.2, 0.2), "本期无新收纠纷。")
    blocks += [Heading("四、超期与督办")]
    blocks += _table(("窗口", "超期未办结（项）"), c.overdue, (0.7, 0.3), "目前无超期未办结事项。")
    blocks += _table(("督办单号", "案件编号", "等级", "回复期限", "回复情况"), c.supervisions,
                     (0.22, 0.3, 0.1, 0.16, 0.22), "本期未签发督办单。")
    blocks += [Heading("五、人民调解工作统计报表")]
    blocks += _table(("项目", "单位", "数量"), c.official, (0.6, 0.15, 0.25), "")
    blocks.append(DateLine(c.date_line))
    return Document(title="矛盾纠纷月度分析报告", blocks=tuple(blocks), body_size=SIZE)


def sample() -> MonthlyReportContext:
    """A small report with one chart, for the renderer tests and `bench/make_samples.py`."""
    from templates.charts import ChartSpec, Series, font_family, render

    spec = ChartSpec("bar", "各窗口收案（件）", ("人民调解窗口", "诉调对接窗口"), (Series("收案", (12.0, 7.0)),))
    svg, png = render(spec, ("svg", "png"), (6.4, 3.0), dpi=80)
    return MonthlyReportContext(
        unit="玉门市社会治理服务中心", period="2025年3月",
        summary=("2025年3月，共收到矛盾纠纷19件（环比+18.8%，同比+5.6%），受理17件。",),
        figures=(("收案（件）", "19", "+18.8%", "+5.6%"), ("调解成功率（%）", "81.3", "+2.0个百分点", "—")),
        official=(("调解纠纷总数", "件", "17"), ("防止民转刑", "件/人", "1/3")),
        zero_report=None, top_types=(("邻里纠纷", "6", "4", "+50.0%"),), overdue=(("人民调解窗口", "2"),),
        supervisions=(("督办〔2025〕3号", "玉门人调字〔2025〕12号", "黄", "2025-03-20", "2025-03-18 已回复"),),
        charts=(ReportChart("各窗口收案（件）", svg, png, 3.0 / 6.4, font_family()),),
        date_line="2025年4月1日",
    )
