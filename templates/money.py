"""Chinese numerals for official documents: the capital money form (壹万贰仟元整) and small
counts in ordinary numerals (一式三份).

Lives in templates/ because documents need it and templates/ is the lowest layer; forms/ imports
it from here. Zero handling follows the payment-settlement rules (《支付结算办法》附件 and
《会计基础工作规范》第五十二条): one 零 for any run of zeros, 整 after 元, none after 角 or 分.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CAPITAL_UNITS = ("", "拾", "佰", "仟")
COMMON_DIGITS = "零一二三四五六七八九"
COMMON_UNITS = ("", "十", "百", "千")
# Four-digit groups; 万亿 rather than 兆 because 兆 is ambiguous (10^6 in modern usage).
SECTION_UNITS = ("", "万", "亿", "万亿")
MAX_WHOLE = 10 ** (4 * len(SECTION_UNITS))  # exclusive upper bound of the integer part
CENT = Decimal("0.01")


def _group_words(group: int, digits: str, units: tuple[str, ...]) -> str:
    """Spell one 1..9999 group, writing one 零 for each inner run of zeros."""
    words: list[str] = []
    pending_zero = False
    for position in range(3, -1, -1):
        digit = group // 10**position % 10
        if digit == 0:
            pending_zero = bool(words)
            continue
        if pending_zero:
            words.append(digits[0])
            pending_zero = False
        words.append(digits[digit] + units[position])
    return "".join(words)


def _integer_words(number: int, digits: str, units: tuple[str, ...]) -> str:
    """Spell a non-negative integer below MAX_WHOLE; zero groups collapse into a single 零."""
    if not 0 <= number < MAX_WHOLE:
        raise ValueError(f"数值超出可书写范围：{number}")
    if number == 0:
        return digits[0]
    groups = [number // 10 ** (4 * i) % 10_000 for i in range(len(SECTION_UNITS))]
    words: list[str] = []
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(words)
            continue
        # A group below 1000 after a higher one has a leading zero (10005 → 壹万零伍).
        if words and (pending_zero or group < 1000):
            words.append(digits[0])
        words.append(_group_words(group, digits, units) + SECTION_UNITS[index])
        pending_zero = False
    return "".join(words)


def _to_cents(amount: Decimal | int | str) -> int:
    value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError(f"金额不能为负数：{amount}")
    return int(value * 100)


def amount_in_words(amount: Decimal | int | str) -> str:
    """Capital money form without the 人民币 prefix: 12000 → 壹万贰仟元整, 10005.07 → 壹万零伍元零柒分.

    Rounds to the cent (half up). Raises ValueError for negative or over-large amounts.
    """
    cents = _to_cents(amount)
    whole, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    parts = [_integer_words(whole, CAPITAL_DIGITS, CAPITAL_UNITS) + "元"] if whole else []
    if jiao:
        parts.append(CAPITAL_DIGITS[jiao] + "角")
    elif fen and whole:
        parts.append("零")  # 元 then no 角 but some 分: 壹元零柒分
    if fen:
        parts.append(CAPITAL_DIGITS[fen] + "分")
    elif not jiao:
        parts.append("整")
    return "".join(parts)


def amount_figures(amount: Decimal | int | str) -> str:
    """Arabic figures with the yuan sign and thousands separators: ¥12,000.00."""
    cents = _to_cents(amount)
    return f"¥{cents // 100:,}.{cents % 100:02d}"


def amount_display(amount: Decimal | int | str) -> str:
    """Both forms as written in agreements: 人民币壹万贰仟元整（¥12,000.00）."""
    return f"人民币{amount_in_words(amount)}（{amount_figures(amount)}）"


def chinese_numeral(number: int) -> str:
    """Ordinary numerals for counts in running text: 3 → 三, 10 → 十, 12 → 十二, 105 → 一百零五.

    A leading 一十 is said 十 (一式十二份, 十万); inside a number it stays (一百一十).
    """
    words = _integer_words(number, COMMON_DIGITS, COMMON_UNITS)
    return words[1:] if words.startswith("一十") else words
