"""Shared output helpers for CLI commands: JSON of dataclasses and aligned CJK text columns."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(type(value).__name__)


def print_json(value: Any) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    print(json.dumps(value, ensure_ascii=False, indent=2, default=_default))


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def print_table(headers: list[str], rows: list[list[str]], max_width: int = 40) -> None:
    cells = [[c if display_width(c) <= max_width else c[: max_width // 2 - 1] + "…" for c in r] for r in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    print("  ".join(pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
