"""The small form dialog every sign-in, settings and workflow form shares: an optional intro line,
labelled fields, one inline error line (a refused save keeps everything typed), and 确定 / 取消.
Subclasses add rows to `form` (or use `field`) and implement `submit`, which calls `fail(message)`
or `accept()`. The first field has the focus when the dialog opens, whatever was created first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.spec_form import ERROR_STYLE
from models.errors import DomainError


class FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None, intro: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel(objectName="errorLabel", wordWrap=True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            layout.addWidget(QLabel(intro))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def field(self, label: str, *, secret: bool = False) -> QLineEdit:
        edit = QLineEdit(echoMode=QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal)
        self.form.addRow(label, edit)
        return edit

    def showEvent(self, event: QShowEvent) -> None:
        """Focus the first empty field (the user name, or the password when the name is filled in):
        the buttons were created before the fields, so Qt's own choice would be 确定, and a password
        typed at once would land in the wrong box. Done on the next turn of the event loop, after
        the window manager has activated the window (which focuses the first tab stop)."""
        super().showEvent(event)
        items = [self.form.itemAt(row, QFormLayout.ItemRole.FieldRole) for row in range(self.form.rowCount())]
        widgets = [w for w in (item.widget() for item in items if item is not None) if w is not None]
        empty = [w for w in widgets if isinstance(w, QLineEdit) and not w.text()]
        if empty or widgets:
            target = (empty or widgets)[0]
            QTimer.singleShot(0, target, target.setFocus)

    def fail(self, message: str) -> None:
        """Show why the save was refused; the fields keep what the user typed."""
        self.error.setText(message)

    def attempt(self, action: Callable[[], Any]) -> Any:
        """Run `action`; a refusal is shown inline and gives None."""
        try:
            return action()
        except DomainError as exc:
            self.fail(exc.message)
            return None

    def submit(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError
