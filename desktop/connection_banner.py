"""Connection-lost banner: a probe (models.notify.reachable) runs off the GUI thread every few
seconds; while the database cannot be reached a red bar says so and that typed input is kept as a
draft. The app keeps running; saves made meanwhile go to the draft store (models.cases.editing).

Wire it: `install(main_window, probe=lambda: reachable(db.engine))`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar, QWidget

from desktop.background import BackgroundOp

LOST_TEXT = "与数据库的连接已中断，正在重试……您填写的内容会保存为草稿，不会丢失。"


class ConnectionBanner(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(LOST_TEXT, parent)
        self.setStyleSheet("background: #b3261e; color: white; padding: 6px; font-weight: bold;")
        self.connected = True
        self.setVisible(False)

    def set_connected(self, connected: bool) -> None:
        self.connected = connected
        self.setVisible(not connected)
        bar = self.parentWidget()
        if isinstance(bar, QToolBar):
            bar.setVisible(not connected)


class ConnectionMonitor(QObject):
    def __init__(self, banner: ConnectionBanner, probe: Callable[[], bool], interval_ms: int) -> None:
        super().__init__(banner)
        self.banner, self.probe = banner, probe
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.check_now)
        self.timer.start()

    def check_now(self) -> None:
        """Probe off the GUI thread; a probe that raises means "not reachable", never a crash."""
        op = BackgroundOp(self, lambda _job: bool(self.probe()), self.banner.set_connected)
        op.failure(lambda _line: self.banner.set_connected(False)).run_in_background()


def install(window: QMainWindow, *, probe: Callable[[], bool], interval_ms: int = 5000) -> ConnectionMonitor:
    bar = QToolBar("连接状态", window)
    bar.setMovable(False)
    banner = ConnectionBanner(bar)
    bar.addWidget(banner)
    bar.setVisible(False)
    window.addToolBar(bar)
    return ConnectionMonitor(banner, probe, interval_ms)
