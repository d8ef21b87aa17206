"""Use cases of the statistics: read them as a permitted user, and lay them out as the official
人民调解工作统计报表 (with the 零报告 line when nothing happened)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from models.analysis.definitions import FIGURES, RATES
from models.analysis.scope import StatQuery
from models.analysis.stats import BreakdownRow, Comparison, Stats, breakdown, compare
from models.dto import Actor
from models.security.permissions import Permission, require

ZERO_REPORT = "零报告：本期无新收矛盾纠纷，无督办事项，无防激化事项。"
# The categories of the 司法局 monthly report (research §5.2); our finer codes fold into them.
OFFICIAL_TYPES: tuple[tuple[str, str], ...] = (
    ("01", "婚姻家庭纠纷"), ("02", "邻里纠纷"), ("03", "房屋宅基地纠纷"), ("04", "合同纠纷"),
    ("05", "生产经营纠纷"), ("06", "损害赔偿纠纷"), ("07", "山林土地纠纷"), ("08", "征地拆迁纠纷"),
    ("09", "环境污染纠纷"), ("10", "劳动争议纠纷"), ("11", "消费纠纷"), ("12", "医疗纠纷"),
    ("13", "道路交通事故纠纷"), ("14", "物业纠纷"),
)
OTHER_TYPES = "其他纠纷"


def statistics(session: Session, actor: Actor, query: StatQuery, breakdowns: tuple[str, ...] = ()) -> Comparison:
    """The figures with 环比/同比 and the breakdowns asked for; needs 查看统计分析."""
    require(session, actor, Permission.STATS_VIEW)
    return compare(session, query, breakdowns=breakdowns)


@dataclass(frozen=True)
class OfficialRow:
    item: str
    unit: str
    value: str


def official_report(session: Session, actor: Actor, query: StatQuery) -> tuple[Stats, list[OfficialRow]]:
    """The 人民调解工作统计报表 rows for one period and scope."""
    require(session, actor, Permission.STATS_VIEW)
    cmp = compare(session, query)
    return cmp.current, official_rows(cmp.current, breakdown(session, query, "type"))


def official_rows(stats: Stats, by_type: list[BreakdownRow]) -> list[OfficialRow]:
    f = stats.figures
    accepted = {r.key: r.counts["accepted"] for r in by_type}
    known = {code for code, _ in OFFICIAL_TYPES}
    rows = [OfficialRow("调解纠纷总数", "件", str(f["accepted"]))]
    rows += [OfficialRow(f"　其中：{name}" if i == 0 else f"　　　　{name}", "件", str(accepted.get(code, 0)))
             for i, (code, name) in enumerate(OFFICIAL_TYPES)]
    rows.append(OfficialRow(f"　　　　{OTHER_TYPES}", "件", str(sum(n for k, n in accepted.items() if k not in known))))
    rows += [
        OfficialRow("调解成功", "件", str(f["success"])),
        OfficialRow("调解成功率", "%", percent(stats.rate("success_rate"))),
        OfficialRow("　其中：书面协议", "件", str(f["written"])),
        OfficialRow("　　　　口头协议", "件", str(f["oral"])),
        OfficialRow("协议涉及金额", "万元", f"{(f['amount'] / Decimal(10000)).quantize(Decimal('0.01'))}"),
        OfficialRow("申请司法确认", "件", str(f["confirm_applied"])),
        OfficialRow("司法确认有效", "件", str(f["confirmed"])),
    ]
    rows += [OfficialRow(p.kind, "件/人", f"{p.cases}/{p.persons}") for p in stats.prevention]
    return rows


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}"


def change_text(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f}%"


def points_text(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}个百分点"


def figure_lines(cmp: Comparison) -> list[tuple[str, str, str, str]]:
    """(label, this period, 环比, 同比) for every figure and rate, in definition order."""
    lines = []
    for fig in FIGURES:
        value = cmp.current.figures[fig.key]
        lines.append((f"{fig.label}（{fig.unit}）", str(value), change_text(cmp.change(fig.key, "环比")),
                      change_text(cmp.change(fig.key, "同比"))))
    for rate in RATES:
        lines.append((f"{rate.label}（%）", percent(cmp.current.rate(rate.key)),
                      points_text(cmp.point_change(rate.key, "环比")), points_text(cmp.point_change(rate.key, "同比"))))
    return lines
