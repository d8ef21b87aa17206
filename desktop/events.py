"""The event hub: one QObject whose signals say what changed, so views refresh themselves
instead of windows calling each other (docs/ARCHITECTURE.md, "Units of work and events")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget


class EventHub(QObject):
    """Built once by the composition root and handed to every view that needs to know."""

    case_changed = Signal(int)  # a case (by id) was registered, moved or had a fact recorded
    database_replaced = Signal()  # a backup was restored: every view reloads from scratch
    settings_changed = Signal()  # the organisation, limits, colours or calendar changed (deadlines recounted)


class ChangeFollower(QObject):
    """Keeps one view in step with `case_changed` without wasted work: a change the view says does
    not concern it is ignored, and a hidden view (a dock tab not on top, a closed dock) only notes
    that it is stale and refreshes when it is next shown."""

    def __init__(self, view: QWidget, hub: EventHub, refresh: Callable[[], None],
                 concerns: Callable[[int], bool] | None = None) -> None:
        super().__init__(view)
        self.view, self.refresh, self.concerns = view, refresh, concerns
        self.stale = False
        hub.case_changed.connect(self._case_changed)
        view.installEventFilter(self)

    def _case_changed(self, case_id: int) -> None:
        if self.concerns is not None and not self.concerns(case_id):
            return
        if self.view.isVisible():
            self.refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self.refresh()
        return False
