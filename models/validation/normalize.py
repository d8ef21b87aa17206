"""Input clean-up shared by every validator: what people type is normalised, not rejected.

Full-width digits and letters (１２３, ＡＢＣ), the ideographic space U+3000 and invisible
format characters pasted from Word or WeChat are all common in Chinese data entry. NFKC
folds the full-width forms to ASCII; whitespace and control/format characters are dropped
from codes and collapsed in free text.
"""

from __future__ import annotations

import re
import unicodedata

# Categories never meant to be part of typed data: controls, format chars (zero-width space,
# BOM, bidi marks), unassigned code points and lone surrogates.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Cs"})
# Dots people type between the parts of an ethnic-minority or foreign name; the ID card uses U+00B7.
NAME_DOTS = "·•‧・･∙⋅"
# Full stops are typed as name dots too, but in a Latin-script name ("J. Smith") they are initials.
NAME_STOPS = ".．。"
NAME_DOT = "·"
_WHITESPACE_RUN = re.compile(r"\s+")


def halfwidth(raw: str) -> str:
    """Fold full-width digits, letters and punctuation to ASCII (NFKC)."""
    return unicodedata.normalize("NFKC", raw)


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) in INVISIBLE_CATEGORIES


def compact(raw: str) -> str:
    """NFKC, then drop every whitespace and invisible character: for codes and numbers."""
    return "".join(c for c in halfwidth(raw) if not c.isspace() and not _is_invisible(c))


def normalize_code(raw: str) -> str:
    """compact() and uppercase: ID numbers, credit codes, passport numbers (lowercase x → X)."""
    return compact(raw).upper()


def strip_invisible(raw: str) -> str:
    """Remove control and format characters but keep every visible character unchanged."""
    if raw.isprintable():  # the usual case: no control or format character at all (fast path)
        return raw
    return "".join(c for c in raw if not _is_invisible(c) or c in "\t\n\r")


def clean_text(raw: str) -> str:
    """Free text on one line: invisible characters removed, whitespace runs collapsed, trimmed.

    Deliberately not NFKC: that would rewrite CJK compatibility ideographs and full-width
    punctuation that belong in Chinese prose.
    """
    return _WHITESPACE_RUN.sub(" ", strip_invisible(raw)).strip()


def clean_multiline(raw: str) -> str:
    """Free text keeping line breaks: each line cleaned, outer blank lines dropped."""
    lines = (_WHITESPACE_RUN.sub(" ", line).strip() for line in strip_invisible(raw).splitlines())
    return "\n".join(lines).strip("\n")


def clean_name(raw: str) -> str:
    """A person's name: clean_text, name dots unified to U+00B7, no spaces around the dot."""
    text = clean_text(raw)
    latin = re.search(r"[A-Za-z]", text) is not None
    for dot in NAME_DOTS if latin else NAME_DOTS + NAME_STOPS:
        text = text.replace(dot, NAME_DOT)
    if not latin:
        return text.replace(" ", "")  # "王 五" is a spacing habit, not part of the name
    return re.sub(r"\s*·\s*", NAME_DOT, text)
