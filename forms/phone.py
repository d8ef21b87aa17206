"""Re-export of models.validation.phone: the validators live in models/ so the services check what
they store with the same rules and messages as the forms (one home, no copy)."""

from models.validation.phone import (
    SERVICE_NUMBERS,
    validate_mobile,
    validate_phone,
)

__all__ = [
    "SERVICE_NUMBERS",
    "validate_mobile",
    "validate_phone",
]
