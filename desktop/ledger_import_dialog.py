"""导入历史台账: pick an Excel file, see its first rows, map its columns to the case fields (guessed
from the headers), check (nothing written; every bad row listed with its reason), then import all
or nothing. Importing the same file again adds nothing."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from forms.ledger_import import ImportSummary, import_ledger, preview
from forms.ledger_rows import FIELDS, guess_mapping
from models.errors import DomainError

SKIP = "（不导入）"


class LedgerImportDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="ledgerImportDialog")
        self.ctx = ctx
        self.path: str | None = None
        self.imported = False
        self.setWindowTitle("导入历史台账")
        self.resize(1100, 680)
        self.file_label = QLabel("尚未选择文件", objectName="fileLabel")
        self.preview = QTableWidget(0, 0, objectName="previewTable")
        self.combos: dict[str, QComboBox] = {f: QComboBox(objectName=f"map_{f}") for f in FIELDS}
        self.report = QPlainTextEdit(objectName="importReport", readOnly=True)
        self.check_button = QPushButton("检查", objectName="checkButton", enabled=False)
        self.import_button = QPushButton("导入", objectName="importButton", enabled=False)
        self._lay_out()

    def _lay_out(self) -> None:
        choose = QPushButton("选择 Excel 文件…", objectName="chooseFile")
        choose.clicked.connect(self.ask_file)
        self.check_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(self.file_label, 1)
        form = QFormLayout()
        for field, (label, required, _) in FIELDS.items():
            form.addRow(f"{label}{' *' if required else ''}", self.combos[field])
        middle = QHBoxLayout()
        middle.addLayout(form)
        middle.addWidget(self.preview, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.report)
        layout.addLayout(buttons)

    def ask_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择台账文件", "", "Excel 工作簿 (*.xlsx)")
        if path:
            self.load(path)

    def load(self, path: str) -> bool:
        try:
            headers, rows = preview(path)
        except DomainError as exc:
            self.report.setPlainText(exc.message)
            return False
        self.path = path
        self.file_label.setText(path)
        self._fill_preview(headers, rows)
        guessed = guess_mapping(headers)
        for field, combo in self.combos.items():
            combo.clear()
            combo.addItems([SKIP, *(h for h in headers if h)])
            combo.setCurrentText(guessed.get(field, SKIP))
        self.check_button.setEnabled(True)
        self.import_button.setEnabled(True)
        self.report.setPlainText("请核对各列的对应关系，然后先“检查”。")
        return True

    def _fill_preview(self, headers: list[str], rows: list[tuple[Any, ...]]) -> None:
        self.preview.setColumnCount(len(headers))
        self.preview.setHorizontalHeaderLabels(headers)
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row[: len(headers)]):
                self.preview.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))

    def mapping(self) -> dict[str, str]:
        return {f: c.currentText() for f, c in self.combos.items() if c.currentText() not in ("", SKIP)}

    def run(self, *, dry_run: bool) -> ImportSummary | None:
        if self.path is None:
            return None
        try:
            summary = import_ledger(self.ctx.db, self.ctx.actor(), self.path, self.mapping(), dry_run=dry_run)
        except DomainError as exc:
            self.report.setPlainText(exc.message)
            return None
        self.report.setPlainText(summary.text())
        if not dry_run and summary.added:
            self.imported = True  # the main window reloads its list when the dialog closes
        return summary
