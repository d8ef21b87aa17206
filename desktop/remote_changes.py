"""Other desks' changes on a shared PostgreSQL server: a worker thread LISTENs (models.notify) and
re-announces each changed case id on the GUI thread through the event hub, so open lists and
details refresh themselves. A lost server is retried quietly; the connection banner says so."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal

from desktop.events import EventHub
from models.notify import CaseChangeListener

WAIT_SECONDS = 1.0  # how long one wait blocks: also how fast stop() is honoured
RETRY_MS = 5000


class RemoteChanges(QThread):
    """Emits case_changed(id) (queued onto the GUI thread) for every notified case."""

    case_changed = Signal(int)

    def __init__(self, url: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.listening = False

    def run(self) -> None:
        while not self.isInterruptionRequested():
            listener = self._connect()
            if listener is None:
                self._pause(RETRY_MS)
                continue
            try:
                self._relay(listener)
            finally:
                listener.close()
                self.listening = False

    def _connect(self) -> CaseChangeListener | None:
        try:
            listener = CaseChangeListener(self.url)
        except Exception:  # server down or unreachable: the banner reports it, we retry
            return None
        self.listening = True
        return listener

    def _relay(self, listener: CaseChangeListener) -> None:
        while not self.isInterruptionRequested():
            try:
                changed = listener.wait(WAIT_SECONDS)
            except Exception:  # the connection broke: reconnect from run()
                return
            for case_id in sorted(changed):
                self.case_changed.emit(case_id)

    def _pause(self, ms: int) -> None:
        for _ in range(ms // 100):  # in short steps, so stop() need not wait the whole retry delay
            if self.isInterruptionRequested():
                return
            self.msleep(100)

    def stop(self) -> None:
        """Ask the thread to end and wait for it (at most a connect timeout)."""
        self.requestInterruption()
        self.wait()


def listen_for_changes(url: str, hub: EventHub, parent: QObject | None = None) -> RemoteChanges:
    """Start the listener; call .stop() before the application quits."""
    worker = RemoteChanges(url, parent)
    worker.case_changed.connect(hub.case_changed)  # cross-thread, so Qt queues it onto the GUI thread
    worker.start()
    return worker
