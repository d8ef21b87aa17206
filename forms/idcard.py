"""Re-export of models.validation.idcard: the validators live in models/ so the services check what
they store with the same rules and messages as the forms (one home, no copy)."""

from models.validation.idcard import (
    CHECK_CHARS,
    EARLIEST_BIRTH_YEAR,
    FOREIGN_RESIDENT_PREFIX,
    PROVINCES,
    WEIGHTS,
    age_on,
    check_char,
    upgrade_fifteen,
    validate_id_card,
)

__all__ = [
    "CHECK_CHARS",
    "EARLIEST_BIRTH_YEAR",
    "FOREIGN_RESIDENT_PREFIX",
    "PROVINCES",
    "WEIGHTS",
    "age_on",
    "check_char",
    "upgrade_fifteen",
    "validate_id_card",
]
