"""Three-colour supervision (督办): which colour a deadline shows on a given day.

Rules, in order (all in natural days, thresholds configurable per centre):
1. re-opened (回访不满意 etc.)                  -> 红
2. completed (办结)                             -> 已完成 (supervision stops; see met_on_time)
3. more than `blue_days_before` days left       -> None (no colour: nothing to show yet)
4. 1 .. blue_days_before days left              -> 蓝 (approaching)
5. due today or up to `yellow_days_overdue` late -> 黄 (due / just overdue)
6. later than that                              -> 红 (seriously overdue)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from models.deadlines.engine import Deadline
from models.errors import DomainError

Colour = Literal["蓝", "黄", "红", "已完成"]
BLUE: Final = "蓝"
YELLOW: Final = "黄"
RED: Final = "红"
SUPERVISION_COLOURS: tuple[Colour, ...] = (BLUE, YELLOW, RED)  # mildest first: the index is the rank


@dataclass(frozen=True)
class ColourThresholds:
    blue_days_before: int = 3
    yellow_days_overdue: int = 3

    def __post_init__(self) -> None:
        if self.blue_days_before < 0 or self.yellow_days_overdue < 0:
            raise DomainError("督办颜色阈值不能为负数")


DEFAULT_THRESHOLDS = ColourThresholds()


def colour_for(
    deadline: Deadline,
    today: date,
    thresholds: ColourThresholds = DEFAULT_THRESHOLDS,
    reopened: bool = False,
    completed_on: date | None = None,
) -> Colour | None:
    """The supervision colour of `deadline` on `today` (see the module docstring for the rules)."""
    if reopened:
        return RED
    if completed_on is not None:
        return "已完成"
    return colour_of_days(deadline.days_left(today), thresholds)


def colour_of_days(days_left: int, thresholds: ColourThresholds = DEFAULT_THRESHOLDS) -> Colour | None:
    """Rules 3–6 of the module docstring for an open deadline `days_left` days from due (negative: late)."""
    if days_left > thresholds.blue_days_before:
        return None
    if days_left > 0:
        return BLUE
    if -days_left <= thresholds.yellow_days_overdue:
        return YELLOW
    return RED


def worst_colour(colours: Iterable[str | None]) -> Colour | None:
    """The most severe supervision colour among `colours` (others, e.g. 已完成 or None, are ignored)."""
    shown = [c for c in colours if c in SUPERVISION_COLOURS]
    return SUPERVISION_COLOURS[max(SUPERVISION_COLOURS.index(c) for c in shown)] if shown else None


def days_left_text(days: int) -> str:
    """剩N天 / 今日到期 / 超期N天 — one wording for every list and the case view."""
    return f"超期{-days}天" if days < 0 else ("今日到期" if days == 0 else f"剩{days}天")


def colour_reason(
    deadline: Deadline, today: date, thresholds: ColourThresholds = DEFAULT_THRESHOLDS, reopened: bool = False,
    completed_on: date | None = None, lapsed: bool = False,
) -> str:
    """Why `colour_for` gives this colour, in the supervisor's words (shown beside the colour)."""
    days_left = deadline.days_left(today)
    if reopened:
        return "案件被重新打开（回访不满意或派单被退回），未办结前一律红色督办"
    if completed_on is not None:
        return f"已于 {completed_on.isoformat()} 完成"
    if lapsed:
        return "申请期已过、当事人未申请，不再督办"
    if days_left > thresholds.blue_days_before:
        return f"距到期 {days_left} 天，超过 {thresholds.blue_days_before} 天的提醒线，暂不着色"
    if days_left > 0:
        return f"距到期 {days_left} 天，已进入到期前 {thresholds.blue_days_before} 天的蓝色提醒"
    if days_left == 0:
        return "今日到期，按黄色督办"
    if -days_left <= thresholds.yellow_days_overdue:
        return f"已超期 {-days_left} 天，在 {thresholds.yellow_days_overdue} 天以内为黄色"
    return f"已超期 {-days_left} 天，超过 {thresholds.yellow_days_overdue} 天为红色"


def met_on_time(deadline: Deadline, completed_on: date) -> bool:
    """Completed on or before the due date — for 按期办结率 statistics."""
    return completed_on <= deadline.due_date
