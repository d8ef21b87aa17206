"""Re-export of models.validation.values: the validators live in models/ so the services check what
they store with the same rules and messages as the forms (one home, no copy)."""

from models.validation.values import (
    CENT,
    ETHNICITIES,
    ETHNICITY_ALIASES,
    MAX_AMOUNT,
    NAME_PUNCTUATION,
    validate_amount,
    validate_choice,
    validate_count,
    validate_date,
    validate_ethnicity,
    validate_name,
    validate_past_date,
    validate_text,
)

__all__ = [
    "CENT",
    "ETHNICITIES",
    "ETHNICITY_ALIASES",
    "MAX_AMOUNT",
    "NAME_PUNCTUATION",
    "validate_amount",
    "validate_choice",
    "validate_count",
    "validate_date",
    "validate_ethnicity",
    "validate_name",
    "validate_past_date",
    "validate_text",
]
