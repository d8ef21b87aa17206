"""The value every validator returns: accepted with a cleaned value, or rejected with a Chinese
message a form can show next to the field. Validators never raise on any string input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Result:
    """Outcome of validating one typed value.

    value: the cleaned, typed value (str, date, Decimal, int) when ok, else None.
    message: why it was rejected (empty when ok).
    warning: something worth showing that does not block saving (e.g. a 15-digit ID converted).
    sex, birth_date: derived from an ID number; None for every other validator.
    """

    ok: bool
    value: Any = None
    message: str = ""
    warning: str = ""
    sex: str | None = None
    birth_date: date | None = None

    def __post_init__(self) -> None:
        # A rejection without a message would leave the user guessing; fail loudly in development.
        if not self.ok and not self.message:
            raise ValueError("rejected Result needs a message")


def accept(value: Any, *, warning: str = "", sex: str | None = None, birth_date: date | None = None) -> Result:
    return Result(ok=True, value=value, warning=warning, sex=sex, birth_date=birth_date)


def reject(message: str) -> Result:
    return Result(ok=False, message=message)
