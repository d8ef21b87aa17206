"""Connection-lost banner: a probe (models.notify.reachable) runs off the GUI thread every few
seconds; while the database cannot be reached a red bar says so and that typed input is kept as a
draft. The app keeps running; saves made meanwhile go to the draft store (models.cases.editing).

Wire it: `install(main_window, probe=lambda: reachable(db.engine))`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar, QWidget

from desktop.background import BackgroundOp
from models import clock

LOST_TEXT = "无法连接数据库服务器（自 {since} 起），正在自动重试……您填写的内容会保存为草稿，不会丢失。"


class ConnectionBanner(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(LOST_TEXT.format(since="—"), parent)
        self.setStyleSheet("background: #b3261e; color: white; padding: 6px 12px; font-weight: bold;")
        # a full-width line of its own: squeezed beside other toolbars it was a red sliver with no text
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._fit()
        self.connected = True
        self.setVisible(False)

    def needed_width(self) -> int:
        bold = QFont(self.font())
        bold.setBold(True)
        return QFontMetrics(bold).horizontalAdvance(self.text()) + 30  # text plus the padding

    def _fit(self) -> None:
        self.setMinimumWidth(self.needed_width())

    def set_connected(self, connected: bool) -> None:
        if not connected and self.connected:  # say since when, once per outage
            self.setText(LOST_TEXT.format(since=clock.local_now().strftime("%H:%M:%S")))
            self._fit()
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
    bar.setObjectName("connectionToolbar")  # saveState needs a name to remember the window layout
    bar.setMovable(False)
    banner = ConnectionBanner(bar)
    bar.addWidget(banner)
    bar.setVisible(False)
    window.addToolBarBreak()
    window.addToolBar(bar)
    return ConnectionMonitor(banner, probe, interval_ms)
