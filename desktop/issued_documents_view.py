"""The 已出具文书 tab of the case detail: the case's register of issued documents, each opened,
printed or saved again from the file the register kept (models/documents/issued.py) — a reprint
is the issued file itself, with the same SHA-256. Every open, print and save is audited, and a
document with full ID numbers needs the same permission as issuing it.

The list is read when the tab is shown (or shown again after a change), so selecting cases with the
tab hidden costs nothing and the document modules load only when the register is first looked at."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.background import Start
from desktop.context import DeskContext
from desktop.document_files import ask_save_path, suggested_name
from desktop.rows_table_model import RowsTableModel
from models.errors import DomainError

if TYPE_CHECKING:  # imported on use: models.documents loads the renderers (~1 s), never at start-up
    from desktop.print_preview import PrintPreview
    from models.documents.issued import IssuedFile, KeptView

ISSUED_HEADERS = ("登记号", "文书", "文书编号", "格式", "出具时间", "SHA-256", "留存文件")


def issued_row(kept: KeptView) -> tuple[str, ...]:
    v = kept.view
    fmt = v.file_format.upper() + ("（另有 PDF 副本）" if v.pdf_twin_sha256 else "")
    title = kept.title.removesuffix(v.number).strip() + ("（更正）" if v.corrects_id else "")
    return (str(v.id), title, v.number, fmt, f"{v.issued_at.astimezone():%Y-%m-%d %H:%M}", v.sha256[:16],
            "已留存" if kept.kept else "未留存（出具于留存功能之前）")


class IssuedDocumentsView(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, start_job: Start | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.start_job = ctx, start_job
        self.case_id: int | None = None
        self.stale = False
        self.kept: list[KeptView] = []
        self.model = RowsTableModel(ISSUED_HEADERS, self)
        self.table = QTableView(objectName="issuedDocuments")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.message = QLabel(objectName="issuedMessage", wordWrap=True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for text, name, action in (("打开", "openIssued", self.open_selected), ("打印…", "printIssued", self.print_selected),
                                   ("另存为…", "saveIssued", self.save_selected)):
            button = QPushButton(text, objectName=name)
            button.clicked.connect(lambda _=False, a=action: a())
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self._enable()

    def show_case(self, case_id: int | None) -> None:
        """Called by the case detail whenever it shows or reloads a case (it follows case_changed)."""
        self.case_id = case_id
        if self.isVisible():
            self.refresh()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        from models.documents.issued import kept_documents

        self.stale = False
        self.kept = []
        self.message.setText("")
        if self.case_id is not None:
            try:
                with self.ctx.db.read() as session:
                    self.kept = kept_documents(session, self.ctx.actor(), self.case_id)
            except DomainError as exc:
                self.message.setText(exc.message)
        self.model.set_rows([issued_row(k) for k in self.kept])
        if self.kept:
            self.table.selectRow(len(self.kept) - 1)  # the newest: what one usually reprints
        self._enable()

    def select(self, issued_id: int) -> None:
        rows = [i for i, k in enumerate(self.kept) if k.view.id == issued_id]
        if rows:
            self.table.selectRow(rows[0])

    def selected(self) -> KeptView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.kept[rows[0].row()] if rows and rows[0].row() < len(self.kept) else None

    def _enable(self) -> None:
        chosen = self.selected()
        for button in self.buttons.values():
            button.setEnabled(chosen is not None and chosen.kept)

    # --- actions -------------------------------------------------------------------------------
    def _read(self, issued_id: int, purpose: str, *, as_pdf: bool) -> IssuedFile | None:
        """The kept file, audited; a refusal or a changed file is shown and gives None."""
        from models.documents.issued import open_issued

        outcome = self.ctx.runner.run(
            lambda s: open_issued(s, self.ctx.actor(), issued_id, as_pdf=as_pdf, purpose=purpose), title=f"{purpose}文书")
        return outcome.value if outcome.ok else None

    def open_selected(self) -> PrintPreview | None:
        """打开: the document's pages in the app (a DOCX shows its PDF twin)."""
        chosen = self.selected()
        if chosen is None or not chosen.kept:
            return None
        kept = self._read(chosen.view.id, "打开", as_pdf=True)
        if kept is None:
            return None
        from desktop.print_preview import PrintPreview

        issued_id = chosen.view.id
        preview = PrintPreview(self, f"{kept.title}（登记簿第 {issued_id} 号）", lambda _job: kept.data,
                               before_print=lambda _shown: self._reprint(issued_id),
                               save=lambda: self._save(issued_id), start_job=self.start_job)
        preview.show()
        return preview

    def _reprint(self, issued_id: int) -> bytes | None:
        """What 打印 prints: the kept bytes again, read and audited as a print."""
        kept = self._read(issued_id, "打印", as_pdf=True)
        return kept.data if kept is not None else None

    def print_selected(self) -> PrintPreview | None:
        """打印…: the preview, with the system print dialog over it."""
        preview = self.open_selected()
        if preview is not None and preview.pages is not None:
            preview.print_document()
        return preview

    def save_selected(self) -> Path | None:
        chosen = self.selected()
        return self._save(chosen.view.id) if chosen is not None and chosen.kept else None

    def _save(self, issued_id: int) -> Path | None:
        """另存为: the issued file itself (a DOCX stays a DOCX), byte for byte."""
        view = next((k for k in self.kept if k.view.id == issued_id), None)
        if view is None:
            return None
        from models.documents.issued import open_issued
        from models.documents.service import save_bytes

        fmt = view.view.file_format
        path = ask_save_path(self.ctx.dialogs, "另存文书", suggested_name(view.title, fmt), fmt)
        if path is None:
            return None

        def work(session: Session) -> IssuedFile:
            kept = open_issued(session, self.ctx.actor(), issued_id, purpose="另存为")
            save_bytes(path, kept.data)  # inside the unit of work: a failed write audits nothing
            return kept

        outcome = self.ctx.runner.run(work, title="另存文书")
        if not outcome.ok:
            return None
        self.message.setText(f"已另存：{path}")
        return path
