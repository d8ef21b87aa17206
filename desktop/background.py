"""Background work in one pattern, after Anki's `QueryOp`: the work runs off the GUI thread, a
progress dialog appears only when it takes longer than 600 ms, a failure arrives as one Chinese
line, and success (or the failure line) is handed back on the GUI thread.

    BackgroundOp(parent, work, success).with_progress("正在生成台账…").failure(show).run_in_background()

`work` gets a `Job`: `job.report(done, total)` moves the progress bar, `job.cancelled()` tells it
the user pressed 取消 (the work then raises anything — e.g. RenderCancelled — and the `cancelled`
handler runs instead of `failure`). Results reach the handlers through a QObject child of `parent`,
so a window closed meanwhile simply drops them. Tests pass `start=` to run the job synchronously."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from models.errors import DomainError

T = TypeVar("T")
PROGRESS_DELAY_MS = 600  # quicker work never flashes a dialog (Anki's figure)
Start = Callable[[QRunnable], None]


def one_line(exc: BaseException, failed: str = "操作未完成") -> str:
    """A known error's own message, or `failed：<type>: <text>` for a bug — always a single line."""
    text = exc.message if isinstance(exc, DomainError) else f"{failed}：{type(exc).__name__}: {exc}"
    return " ".join(str(text).split())


class Job:
    """What the work sees of its operation: progress to report and whether it was cancelled."""

    def __init__(self, relay: OpSignals) -> None:
        self._relay = relay
        self._stop = threading.Event()

    def report(self, done: int, total: int) -> None:
        with contextlib.suppress(RuntimeError):  # the receiving window is gone
            self._relay.progress.emit(done, total)

    def cancel(self) -> None:
        self._stop.set()

    def cancelled(self) -> bool:
        return self._stop.is_set()


class OpSignals(QObject):
    """Signals from the worker thread, received by this object's own slots: it lives on the GUI
    thread, so Qt queues every delivery there (a bare function as the receiver would run on the
    worker)."""

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject, op: BackgroundOp[Any]) -> None:
        super().__init__(parent)
        self.op = op
        self.succeeded.connect(self._on_succeeded)
        self.failed.connect(self._on_failed)
        self.cancelled.connect(self._on_cancelled)
        self.progress.connect(self._on_progress)

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.op.progressed(done, total)

    @Slot(object)
    def _on_succeeded(self, value: object) -> None:
        self.op.finish(self.op.success, value)

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self.op.finish(self.op.on_failure, text)

    @Slot()
    def _on_cancelled(self) -> None:
        self.op.finish(self.op.on_cancel)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Job], Any], job: Job, signals: OpSignals, failed: str) -> None:
        super().__init__()
        self.work, self.job, self.signals, self.failed_text = work, job, signals, failed

    def run(self) -> None:
        try:
            value = self.work(self.job)
        except Exception as exc:  # a worker thread has no crash handler: report it, never lose it
            self._emit(self.signals.cancelled) if self.job.cancelled() else self._emit(
                self.signals.failed, one_line(exc, self.failed_text))
        else:
            self._emit(self.signals.succeeded, value)

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the parent (and the signals object with it) was deleted
            signal.emit(*args)


class BackgroundOp(Generic[T]):
    """One long job: configure with the builder methods, then `run_in_background()` once."""

    def __init__(self, parent: QObject, work: Callable[[Job], T], success: Callable[[T], None]) -> None:
        self.parent, self.work, self.success = parent, work, success
        self.on_failure: Callable[[str], None] | None = None
        self.on_cancel: Callable[[], None] | None = None
        self._label: str | None = None
        self._failed_text = "操作未完成"
        self.progress: QProgressDialog | None = None
        self.job: Job | None = None

    def failure(self, handler: Callable[[str], None], *, prefix: str = "操作未完成") -> BackgroundOp[T]:
        """`handler` gets the one-line message; `prefix` starts the line for an unexpected error."""
        self.on_failure, self._failed_text = handler, prefix
        return self

    def with_progress(self, label: str, *, on_cancel: Callable[[], None] | None = None) -> BackgroundOp[T]:
        """Show a progress dialog after 600 ms; with `on_cancel` it has a 取消 button."""
        self._label, self.on_cancel = label, on_cancel
        return self

    def run_in_background(self, start: Start | None = None) -> _Runnable:
        """Start the work (on the global thread pool unless `start` says otherwise)."""
        signals = OpSignals(self.parent, self)
        self.job = Job(signals)
        runnable = _Runnable(self.work, self.job, signals, self._failed_text)
        runnable.setAutoDelete(False)  # the op keeps it, and its signals, alive until done
        if self._label is not None:
            self.progress = self._progress_dialog(self._label)
        self._signals, self._runnable = signals, runnable
        (start or QThreadPool.globalInstance().start)(runnable)
        return runnable

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _progress_dialog(self, label: str) -> QProgressDialog:
        parent = self.parent if isinstance(self.parent, QWidget) else None
        dialog = QProgressDialog(label, "取消" if self.on_cancel else "", 0, 0, parent, objectName="opProgress")
        if not self.on_cancel:
            dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)  # starts Qt's own timer: the dialog shows itself after the delay
        return dialog

    def progressed(self, done: int, total: int) -> None:
        dialog = self.progress
        if dialog is not None and total > 0:
            dialog.setLabelText(f"{self._label} {done}/{total}")
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))  # a modal dialog processes events here: the op may finish

    def finish(self, handler: Callable[..., None] | None, *args: Any) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self._signals.deleteLater()  # one op, one delivery: a periodic job leaves no children behind
        if handler is not None:
            handler(*args)
