"""生成文书: choose a document kind and format for one case, preview its text, then save it.

Saving renders the document, records it in the register of issued documents and writes the file
in one unit of work (a failed write records nothing). The preview shows the document's text, block
by block, in a read-only browser: PySide6-Essentials has no QtPdf and no light dependency renders
PDF pages to images, so the preview is the exact wording, not the page layout."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.context import DeskContext
from desktop.document_files import ask_save_path, open_file, suggested_name
from desktop.screen import fit_to_screen
from desktop.spec_form import ERROR_STYLE
from models import clock
from models.cases.agreements import IssuedView
from models.documents.service import (
    CASE_KINDS,
    KIND_TITLES,
    MissingCharacters,
    confirmation_courts,
    confirmation_window,
    document_context,
    document_problems,
    issue,
    save_bytes,
)
from models.errors import DomainError
from templates.blocks import Document, Heading, KeyValueRows, Title, block_texts
from templates.render import build


def preview_html(document: Document) -> str:
    """The document's printed strings as simple HTML: titles centred, tables as tables."""
    parts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Title):
            parts.append(f"<h2 align='center'>{escape(block.text)}</h2>")
        elif isinstance(block, Heading):
            parts.append(f"<p><b>{escape(block.text)}</b></p>")
        elif isinstance(block, KeyValueRows):
            rows = "".join("<tr>" + "".join(f"<td>{escape(c.text)}</td>" for c in row) + "</tr>" for row in block.rows)
            parts.append(f"<table border='1' cellspacing='0' cellpadding='4' width='100%'>{rows}</table>")
        else:
            parts.extend(f"<p>{escape(text)}</p>" for text in block_texts(block) if text)
    return "\n".join(parts)


class DocumentDialog(QDialog):
    issued = Signal(int)  # the register id of a saved document

    def __init__(self, ctx: DeskContext, case_id: int, case_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_id, self.case_number = ctx, case_id, case_number
        self.setWindowTitle(f"生成文书 — {case_number}")
        fit_to_screen(self, 820, 760)
        self.last_issued: IssuedView | None = None
        self.saved_path: Path | None = None
        self.kind = QComboBox(objectName="documentKind")
        for kind in CASE_KINDS:
            self.kind.addItem(KIND_TITLES[kind], kind)
        self.format = QComboBox(objectName="documentFormat")
        self.format.addItem("PDF", "pdf")
        self.format.addItem("Word（DOCX）", "docx")
        self.court = QComboBox(objectName="documentCourt")  # 司法确认申请书 only: the courts the law names
        self.court_label = QLabel("受理法院")
        self.window_note = QLabel(objectName="confirmationWindow", wordWrap=True)
        self.open_after = QCheckBox("保存后打开", checked=True, objectName="openAfterSave")
        self.preview = QTextBrowser(objectName="documentPreview")
        self.message = QLabel(objectName="documentMessage", wordWrap=True)
        self.save_button = QPushButton("生成并保存…", objectName="saveDocument")
        self._lay_out()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.court.currentIndexChanged.connect(self.refresh_preview)
        self.save_button.clicked.connect(self.save)
        self._kind_changed()

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("文书类型", self.kind)
        form.addRow("格式", self.format)
        form.addRow(self.court_label, self.court)
        layout.addLayout(form)
        layout.addWidget(self.window_note)
        note = QLabel("预览为文书文字内容（版式以保存的 PDF / Word 文件为准）", styleSheet="color: #666;")
        layout.addWidget(note)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_after, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def current_format(self) -> str:
        return str(self.format.currentData())

    def choose(self, kind: str, fmt: str = "pdf") -> None:
        self.format.setCurrentIndex(self.format.findData(fmt))
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def current_court(self) -> str | None:
        return str(self.court.currentText()) if self.court.count() else None

    # --- preview -------------------------------------------------------------------------------
    def _kind_changed(self) -> None:
        """For a 司法确认申请书: the courts to choose from and its 30-day window, shown before saving."""
        confirmation = self.current_kind() == "confirmation-application"
        self.court.blockSignals(True)
        self.court.clear()
        self.window_note.setText("")
        if confirmation:
            try:
                with self.ctx.db.read() as session:
                    self.court.addItems(confirmation_courts(session, self.case_id))
                    self.window_note.setText(confirmation_window(session, self.case_id).describe(clock.today()))
            except DomainError:
                pass  # refresh_preview shows why the document cannot be made
        self.court.blockSignals(False)
        for widget in (self.court, self.court_label):
            widget.setVisible(confirmation)
        self.window_note.setVisible(bool(self.window_note.text()))
        self.refresh_preview()

    def refresh_preview(self) -> None:
        """Build the chosen document from the database; a missing agreement or a check before
        issuing that fails (window passed, {amount} left …) shows inline and disables saving."""
        try:
            with self.ctx.db.read() as session:
                context = document_context(session, self.current_kind(), self.case_id, court=self.current_court())
                problems = document_problems(session, self.current_kind(), self.case_id, context, clock.today())
        except DomainError as exc:
            self.preview.setHtml("")
            self._show(exc.message, error=True)
            self.save_button.setEnabled(False)
            return
        self.preview.setHtml(preview_html(build(self.current_kind(), context)))
        self._show("\n".join(problems), error=bool(problems))
        self.save_button.setEnabled(not problems)

    def _show(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "color: #1a7f37;")
        self.message.setVisible(bool(text))

    # --- saving --------------------------------------------------------------------------------
    def save(self) -> bool:
        kind, fmt = self.current_kind(), self.current_format()
        name = suggested_name(f"{self.case_number}-{KIND_TITLES[kind]}", fmt)
        path = ask_save_path(self.ctx.dialogs, "保存文书", name, fmt)
        if path is None:
            return False

        court = self.current_court()

        def work(session: Session, accept_missing: bool = False) -> IssuedView:
            data, view = issue(session, kind, self.case_id, fmt, self.ctx.actor(),  # type: ignore[arg-type]  # fmt is the combo's "pdf"/"docx"
                               court=court, accept_missing=accept_missing)
            save_bytes(path, data)
            return view

        outcome = self.ctx.runner.run(work, quiet=True)
        if isinstance(outcome.error, MissingCharacters) and self._confirm_missing(outcome.error):
            outcome = self.ctx.runner.run(lambda session: work(session, accept_missing=True), quiet=True)
        if outcome.error is not None or outcome.value is None:
            self._show(outcome.error.message if outcome.error else "保存失败", error=True)
            return False
        self.last_issued, self.saved_path = outcome.value, path
        self._show(f"已保存：{path}（登记簿第 {outcome.value.id} 号）")
        self.issued.emit(outcome.value.id)
        if self.open_after.isChecked():
            open_file(self.ctx.dialogs, path)
        return True

    def _confirm_missing(self, error: MissingCharacters) -> bool:
        """Name the characters no embedded font has; the user must confirm before 〓 stands in."""
        go_on = "仍然出具（缺字印为〓，出具后手写补正）"
        return self.ctx.dialogs.choose("缺字确认", error.message, [go_on]) == go_on
