"""Re-export of models.validation.normalize: the validators live in models/ so the services check what
they store with the same rules and messages as the forms (one home, no copy)."""

from models.validation.normalize import (
    INVISIBLE_CATEGORIES,
    NAME_DOT,
    NAME_DOTS,
    NAME_STOPS,
    clean_multiline,
    clean_name,
    clean_text,
    compact,
    halfwidth,
    normalize_code,
    strip_invisible,
)

__all__ = [
    "INVISIBLE_CATEGORIES",
    "NAME_DOT",
    "NAME_DOTS",
    "NAME_STOPS",
    "clean_multiline",
    "clean_name",
    "clean_text",
    "compact",
    "halfwidth",
    "normalize_code",
    "strip_invisible",
]
