"""Masking of personal data printed on lists (台账): ID numbers and phone numbers.

Single documents addressed to the parties (协议书, 司法确认申请书) print numbers in full; lists
shown to many readers mask them unless an authorised user asks otherwise.
"""

from __future__ import annotations

_MOBILE_LENGTH = 11


def mask_id(number: str) -> str:
    """Keep the first 6 and last 4 characters: 620981********1236.

    Shorter numbers (passports, old 15-digit IDs are still ≥ 11) keep only the last 4.
    """
    value = (number or "").strip()
    if len(value) >= 11:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) > 4:
        return "*" * (len(value) - 4) + value[-4:]
    return "*" * len(value)


def mask_phone(number: str) -> str:
    """Mask a phone number 3-4-4 style: 138****5678; landlines keep their last 4 digits."""
    value = (number or "").strip()
    digits = [ch for ch in value if ch.isdigit()]
    if len(digits) == _MOBILE_LENGTH and value.isdigit():
        return value[:3] + "****" + value[-4:]
    if len(value) > 4:
        return (
            value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) >= 8 else "*" * (len(value) - 4) + value[-4:]
        )
    return "*" * len(value)
