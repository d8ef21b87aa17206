"""Idle lock: after a configurable time without keyboard or mouse input the window is covered by an
opaque lock panel and every other open window (dialogs, forms) is hidden, not closed, so that
unlocking with the signed-in user's password brings everything back exactly as it was.

Wire it from the composition root: `install(main_window, minutes=policy.idle_lock_minutes,
unlock=lambda pw: <True if pw signs the current user in>)` (use models.accounts.login so failed
unlock attempts count toward the lockout like any sign-in)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                          QEvent.Type.Wheel, QEvent.Type.TouchBegin})


class LockPanel(QWidget):
    """The opaque cover: no personal data shows through; asks for the password."""

    def __init__(self, parent: QWidget, on_submit: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setStyleSheet("LockPanel { background: #2b3340; } QLabel { color: white; font-size: 16px; }")
        self.message = QLabel("屏幕已锁定，请输入密码解锁")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password, placeholderText="密码")
        self.password.setMaximumWidth(260)
        button = QPushButton("解锁")
        layout = QVBoxLayout(self)
        layout.addStretch()
        for widget in (self.message, self.password, button):
            layout.addWidget(widget, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()
        button.clicked.connect(lambda: on_submit(self.password.text()))
        self.password.returnPressed.connect(lambda: on_submit(self.password.text()))


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: QWidget, timeout_ms: int, unlock: Callable[[str], bool]) -> None:
        super().__init__(window)
        self.window, self._unlock = window, unlock
        self._hidden: list[QWidget] = []
        self.panel: LockPanel | None = None
        self.timer = QTimer(self, singleShot=True, interval=timeout_ms)
        self.timer.timeout.connect(self.lock)
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]  # a QApplication exists before any window
        self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.panel is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and not self.is_locked:
            self.timer.start()  # restart the idle countdown
        return False

    def lock(self) -> None:
        if self.is_locked:
            return
        self._hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not self.window]
        for widget in self._hidden:
            widget.hide()  # hidden, not closed: their contents and state stay
        self.panel = LockPanel(self.window, self._try_unlock)
        self.panel.setGeometry(self.window.rect())
        self.panel.show()
        self.panel.raise_()
        self.panel.password.setFocus()
        self.locked.emit()

    def _try_unlock(self, password: str) -> None:
        assert self.panel is not None
        self.panel.password.clear()
        if not self._unlock(password):
            self.panel.message.setText("密码不正确，屏幕仍锁定")
            return
        self.panel.deleteLater()
        self.panel = None
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self.timer.start()
        self.unlocked.emit()


def install(window: QWidget, *, minutes: float, unlock: Callable[[str], bool]) -> IdleLock:
    return IdleLock(window, int(minutes * 60_000), unlock)
