"""Re-export of models.validation.result: the validators live in models/ so the services check what
they store with the same rules and messages as the forms (one home, no copy)."""

from models.validation.result import (
    Result,
    accept,
    reject,
)

__all__ = [
    "Result",
    "accept",
    "reject",
]
