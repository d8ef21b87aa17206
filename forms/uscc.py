"""Re-export of models.validation.uscc: the validators live in models/ so the services check what
they store with the same rules and messages as the forms (one home, no copy)."""

from models.validation.uscc import (
    ALPHABET,
    DEPARTMENTS,
    ORG_WEIGHTS,
    WEIGHTS,
    check_char,
    org_check_char,
    validate_uscc,
)

__all__ = [
    "ALPHABET",
    "DEPARTMENTS",
    "ORG_WEIGHTS",
    "WEIGHTS",
    "check_char",
    "org_check_char",
    "validate_uscc",
]
