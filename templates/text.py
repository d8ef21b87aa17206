"""Text utilities shared by both renderers: sanitising, dates, and CJK line breaking (禁则).

The line breaker implements the Chinese typesetting rules the PDF renderer must obey: closing
punctuation never starts a line, opening brackets never end one, and runs of Latin letters or
digits (amounts, ID numbers) are kept together when they fit on a line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date

# Characters that must not begin a line (行首禁则).
CANNOT_START = frozenset(
    "。，、；：？！）》」』】〕〉〗”’…—·‧%‰℃°′″,.;:?!)]}>ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々"
)
# Characters that must not end a line (行尾禁则).
CANNOT_END = frozenset("（《「『【〔〈〖“‘([{<¥￥$")
# Characters that glue to their neighbours inside Latin/number runs ("12,000.00", "620981****").
_WORD_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,:-/_*%")
_KEEP_CONTROLS = frozenset("\n")
BLANK_DATE = "    年  月  日"


def clean_text(text: object) -> str:
    """Return printable text: control/format characters removed, tabs turned into spaces.

    Lone surrogates and non-characters are dropped too, because they are invalid in XML (DOCX)
    and unencodable in PDF strings.
    """
    if text is None:
        return ""
    raw = str(text)
    if raw.isprintable():  # fast path: no control, format, separator-other-than-space characters
        return raw
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in raw if _printable(ch))


def _printable(ch: str) -> bool:
    if ch in _KEEP_CONTROLS:
        return True
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return False
    return (ord(ch) & 0xFFFE) != 0xFFFE


def cn_date(value: date | None) -> str:
    """Format a date the GB/T 9704 way (Arabic numerals, no padding); blanks for a fill-in form."""
    if value is None:
        return BLANK_DATE
    return f"{value.year}年{value.month}月{value.day}日"


def can_break_between(before: str, after: str) -> bool:
    """True when a line may end after `before` and the next start with `after`."""
    if after in CANNOT_START or before in CANNOT_END:
        return False
    return not (before in _WORD_CHARS and after in _WORD_CHARS)


def break_lines(text: str, width: float, char_width: Callable[[str], float], first_indent: float = 0.0) -> list[str]:
    """Break `text` into lines no wider than `width`, obeying the 禁则 rules.

    Hard newlines start new lines; `first_indent` narrows only the very first line.
    A single unbreakable run wider than the line is cut where it overflows (nothing better exists).
    """
    lines: list[str] = []
    for index, paragraph in enumerate(text.split("\n")):
        lines.extend(_break_paragraph(paragraph, width, char_width, first_indent if index == 0 else 0.0))
    return lines


def _break_paragraph(text: str, width: float, char_width: Callable[[str], float], indent: float) -> list[str]:
    lines: list[str] = []
    start, position, used, limit = 0, 0, 0.0, width - indent
    while position < len(text):
        advance = char_width(text[position])
        if used + advance <= limit + 0.01 or position == start:
            used += advance
            position += 1
            continue
        cut = _break_point(text, start, position)
        lines.append(text[start:cut].rstrip(" "))
        start = _skip_spaces(text, cut)
        position, used, limit = start, 0.0, width
    if start < len(text) or not lines:
        lines.append(text[start:])
    return lines


def _break_point(text: str, start: int, overflow: int) -> int:
    """The latest legal break at or before `overflow`; `overflow` itself when there is none."""
    cut = overflow
    while cut > start + 1 and not can_break_between(text[cut - 1], text[cut]):
        cut -= 1
    if can_break_between(text[cut - 1], text[cut]) or text[cut] == " ":
        return cut
    return overflow


def _skip_spaces(text: str, index: int) -> int:
    while index < len(text) and text[index] == " ":
        index += 1
    return index
