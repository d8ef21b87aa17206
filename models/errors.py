"""Known errors the user can act on; each carries a Chinese message shown as-is by the CLI and GUI.
Anything else is a bug and goes to the crash handler."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every expected, user-facing failure."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DatabaseUnavailable(DomainError):
    pass


class NotFound(DomainError):
    pass


class ValidationFailed(DomainError):
    """Input rejected; `fields` maps field keys to messages so a form can show them inline."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}


class TransitionRefused(DomainError):
    def __init__(self, label: str, blockers: list[str]) -> None:
        super().__init__(f"不能{label}：" + "；".join(blockers))
        self.blockers = blockers


class EditConflict(DomainError):
    """Someone else saved the record first (optimistic locking); the user's edits are kept."""
