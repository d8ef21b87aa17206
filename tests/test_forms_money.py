"""templates.money: the capital amount form, the display form and small counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from templates.money import amount_display, amount_figures, amount_in_words, chinese_numeral


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("12000", "壹万贰仟元整"),
        ("12000.50", "壹万贰仟元伍角"),
        ("10005.07", "壹万零伍元零柒分"),
        ("10", "壹拾元整"),
        ("0.07", "柒分"),
        ("0.50", "伍角"),
        ("1.07", "壹元零柒分"),
        ("1010", "壹仟零壹拾元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("100000000", "壹亿元整"),
        ("100001000", "壹亿零壹仟元整"),
        ("110000000", "壹亿壹仟万元整"),
        ("1000000000000", "壹万亿元整"),
        ("120.56", "壹佰贰拾元伍角陆分"),
        ("6007.1", "陆仟零柒元壹角"),
    ],
)
def test_capital_form(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


def test_rounds_to_the_cent_and_accepts_int() -> None:
    assert amount_in_words(Decimal("0.005")) == "壹分"
    assert amount_in_words(3) == "叁元整"


def test_negative_and_too_large_are_refused() -> None:
    with pytest.raises(ValueError):
        amount_in_words(Decimal("-1"))
    with pytest.raises(ValueError):
        amount_in_words(10**16)


def test_display_form() -> None:
    assert amount_display(Decimal("12000")) == "人民币壹万贰仟元整（¥12,000.00）"
    assert amount_figures(Decimal("1234567.8")) == "¥1,234,567.80"


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (0, "零"),
        (3, "三"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (105, "一百零五"),
        (110, "一百一十"),
        (100000, "十万"),
        (20001, "二万零一"),
    ],
)
def test_chinese_numeral(count: int, words: str) -> None:
    assert chinese_numeral(count) == words
