"""Every figure and rate of the statistics, defined once: its label, what it counts, and the date
that puts it in a period. The docs (docs/STATISTICS.md is generated from this table by
`mediation-desk stats --definitions`), the CLI and the dashboard's tooltips all read it here."""

from __future__ import annotations

from dataclasses import dataclass

COHORT = "受理日期（案件登记的收到日期）在统计期间内"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    counts: str
    date: str = COHORT


@dataclass(frozen=True)
class Rate:
    key: str
    label: str
    numerator: str  # a Figure key
    denominator: str  # a Figure key
    date: str = COHORT


FIGURES: tuple[Figure, ...] = (
    Figure("received", "收案", "件", "登记的全部纠纷（含不予受理、咨询办结）"),
    Figure("accepted", "受理", "件", "受理并转入调解或直接转仲裁的纠纷"),
    Figure("mediated", "调解终结", "件", "已记录调解结果为书面协议、口头协议或调解不成的纠纷"),
    Figure("success", "调解成功", "件", "调解结果为书面协议或口头协议的纠纷"),
    Figure("written", "书面协议", "件", "调解结果为书面协议的纠纷"),
    Figure("oral", "口头协议", "件", "调解结果为口头协议的纠纷"),
    Figure("amount", "协议涉及金额", "元", "这些纠纷的调解协议所载金额之和"),
    Figure("confirm_applied", "申请司法确认", "件", "已申请司法确认（登记了申请日或已有确认结果）的纠纷"),
    Figure("confirmed", "司法确认有效", "件", "法院处理结果为司法确认有效的纠纷"),
    Figure("to_filing", "转立案", "件", "法院处理结果为转立案或已登记立案日期的纠纷"),
    Figure("deadlines_done", "已办结期限", "项", "这些纠纷已完成的办理期限（案件期限表）"),
    Figure("on_time", "按期办结", "项", "完成日不晚于到期日的期限"),
    Figure("overdue", "超期", "项", "完成日晚于到期日，或至统计截止日仍未完成且已过到期日的期限"),
    Figure("supervised", "督办", "件", "签发的督办单", "签发日期在统计期间内"),
    Figure("supervision_replied", "督办已回复", "件", "其中已回复的督办单", "签发日期在统计期间内"),
    Figure("followed_up", "回访", "件", "已记录回访满意度的纠纷"),
    Figure("satisfied", "回访满意", "件", "回访满意度为满意或基本满意的纠纷"),
)

RATES: tuple[Rate, ...] = (
    Rate("acceptance_rate", "受理率", "accepted", "received"),
    Rate("success_rate", "调解成功率", "success", "mediated"),
    Rate("confirm_rate", "司法确认有效率", "confirmed", "confirm_applied"),
    Rate("on_time_rate", "按期办结率", "on_time", "deadlines_done"),
    Rate("reply_rate", "督办回复率", "supervision_replied", "supervised", "督办单签发日期在统计期间内"),
    Rate("satisfaction_rate", "回访满意率", "satisfied", "followed_up"),
)

PREVENTION_DATE = "防激化记录的记录日期在统计期间内"

BY_KEY: dict[str, Figure] = {f.key: f for f in FIGURES}
RATE_BY_KEY: dict[str, Rate] = {r.key: r for r in RATES}


def describe_figure(key: str) -> str:
    figure = BY_KEY[key]
    return f"{figure.label}（{figure.unit}）：{figure.counts}。计入期间：{figure.date}。"


def describe_rate(key: str) -> str:
    """The tooltip and the docs line of a rate: numerator, denominator and counting date."""
    rate = RATE_BY_KEY[key]
    top, bottom = BY_KEY[rate.numerator], BY_KEY[rate.denominator]
    return (f"{rate.label} = {top.label} ÷ {bottom.label}。分子：{top.counts}；分母：{bottom.counts}。"
            f"计入期间：{rate.date}。分母为 0 时不计算（显示“—”）。")


def describe(key: str) -> str:
    return describe_rate(key) if key in RATE_BY_KEY else describe_figure(key)


def definitions_markdown() -> str:
    lines = ["# 统计口径", "", "由 `mediation-desk stats --definitions` 生成；界面上的提示与此同源。", "",
             "## 数字", ""]
    lines += [f"- **{f.label}**（{f.unit}）：{f.counts}。计入期间：{f.date}。" for f in FIGURES]
    lines += ["- **防激化**（防止民转刑、防止自杀、防止群体性上访、防止群体性械斗，件/人）："
              f"案件上的防激化记录。计入期间：{PREVENTION_DATE}。", "", "## 比率", ""]
    lines += [f"- {describe_rate(r.key)}" for r in RATES]
    lines += ["", "## 同比与环比", "",
              "- 环比：与紧邻的等长期间相比（整月期间与上一个同样月数的期间相比）。",
              "- 同比：与上一年的同一期间相比（整月期间按月平移 12 个月；2 月 29 日按 2 月 28 日）。",
              "- 变化率 = (本期 − 对比期) ÷ 对比期；对比期为 0 时不计算。", ""]
    return "\n".join(lines)
