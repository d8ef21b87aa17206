"""The event hub: one QObject whose signals say what changed, so views refresh themselves
instead of windows calling each other (ARCHITECTURE.md pattern 3)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class EventHub(QObject):
    """Built once by the composition root and handed to every view that needs to know."""

    case_changed = Signal(int)  # a case (by id) was registered, moved or had a fact recorded
    database_replaced = Signal()  # a backup was restored: every view reloads from scratch
    settings_changed = Signal()  # the organisation, limits, colours or calendar changed (deadlines recounted)
