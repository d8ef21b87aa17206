"""The small form dialog every settings and workflow form shares: labelled fields, one inline red
error line (a refused save keeps everything typed), and OK / Cancel. Subclasses add rows to
`form` and implement `submit`, which calls `fail(message)` or `accept()`."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget


class FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel(objectName="errorLabel", wordWrap=True)
        self.error.setStyleSheet("color: #c00000")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def fail(self, message: str) -> None:
        """Show why the save was refused; the fields keep what the user typed."""
        self.error.setText(message)

    def submit(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError
