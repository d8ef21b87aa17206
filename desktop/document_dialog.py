"""生成文书: choose a document kind and format for one case, read its text, then preview its pages,
print it or save it.

The text pane shows the document's wording block by block (instant, while choosing). 预览/打印…
opens the real pages (desktop/print_preview.py), rendered off the GUI thread. Saving and printing
both issue: the document is rendered in a read session, then recorded in the register (the file
kept in the store) and, for saving, written, in one short unit of work (a failed write records
nothing). What is printed is the issued file (a DOCX's PDF twin), so paper and register agree."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

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

from desktop.background import Job, Start
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
    RenderedDocument,
    check_format,
    confirmation_courts,
    confirmation_window,
    document_context,
    document_problems,
    record_issue,
    render_for_issue,
    save_bytes,
)
from models.errors import DomainError
from templates.blocks import Document, Heading, KeyValueRows, Title, block_texts
from templates.render import build, render

if TYPE_CHECKING:
    from desktop.print_preview import PrintPreview


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

    def __init__(self, ctx: DeskContext, case_id: int, case_number: str, parent: QWidget | None = None,
                 start_job: Start | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_id, self.case_number, self.start_job = ctx, case_id, case_number, start_job
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
        self.preview_button = QPushButton("预览/打印…", objectName="previewDocument")
        self._lay_out()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.court.currentIndexChanged.connect(self.refresh_preview)
        self.save_button.clicked.connect(self.save)
        self.preview_button.clicked.connect(self.open_preview)
        self._kind_changed()

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("文书类型", self.kind)
        form.addRow("格式", self.format)
        form.addRow(self.court_label, self.court)
        layout.addLayout(form)
        layout.addWidget(self.window_note)
        note = QLabel("下方为文书文字内容；“预览/打印…”显示实际版面", styleSheet="color: #666;")
        layout.addWidget(note)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_after, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
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
            self.preview_button.setEnabled(False)
            return
        self.preview.setHtml(preview_html(build(self.current_kind(), context)))
        self._show("\n".join(problems), error=bool(problems))
        self.save_button.setEnabled(not problems)
        self.preview_button.setEnabled(True)

    def _show(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "color: #1a7f37;")
        self.message.setVisible(bool(text))

    # --- pages: preview and printing ----------------------------------------------------------
    def open_preview(self) -> PrintPreview:
        """The chosen document's pages, drawn from a draft PDF rendered off the GUI thread."""
        from desktop.print_preview import PrintPreview

        kind, db, case_id, court = self.current_kind(), self.ctx.db, self.case_id, self.current_court()

        def draft(_job: Job) -> bytes:
            with db.read() as session:
                context = document_context(session, kind, case_id, court=court)
            return render(kind, context, "pdf")

        preview = PrintPreview(self, f"{self.case_number} {KIND_TITLES[kind]}（未出具）", draft,
                               before_print=lambda _draft: self.issue_for_print(kind), save=self.save,
                               start_job=self.start_job)
        preview.show()
        return preview

    def issue_for_print(self, kind: str) -> bytes | None:
        """Printing issues: the document is recorded in the chosen format and its PDF (a DOCX's
        twin) is what goes to the printer; None, with the reason shown, when issuing is refused."""
        issued = self._issue(kind, self.current_format())
        if issued is None:
            self.ctx.dialogs.error("打印文书", self.message.text())
            return None
        rendered, view = issued
        self._show(f"已出具并送出打印（登记簿第 {view.id} 号）")
        return rendered.pdf_twin or rendered.data

    # --- saving --------------------------------------------------------------------------------
    def _issue(self, kind: str, fmt: str, path: Path | None = None) -> tuple[RenderedDocument, IssuedView] | None:
        """Render in a read session (no write lock held while rendering), then record — and write
        `path` — in one short unit of work. None, with the reason shown inline, when refused."""
        rendered = self._render(kind, fmt)
        if rendered is None:
            return None

        def work(session: Session) -> IssuedView:
            view = record_issue(session, rendered, self.ctx.actor())
            if path is not None:
                save_bytes(path, rendered.data)
            return view

        outcome = self.ctx.runner.run(work, quiet=True, changed_case=lambda _view: self.case_id)
        if outcome.error is not None or outcome.value is None:
            self._show(outcome.error.message if outcome.error else "保存失败", error=True)
            return None
        self.last_issued = outcome.value
        self.issued.emit(outcome.value.id)
        return rendered, outcome.value

    def _render(self, kind: str, fmt: str) -> RenderedDocument | None:
        """The issued rendering with the chosen court; characters no embedded font has are named
        and the user must confirm before 〓 stands in. None, with the reason shown, when refused."""
        accept_missing = False
        while True:
            try:
                with self.ctx.db.read() as session:
                    return render_for_issue(session, kind, self.case_id, check_format(fmt), self.ctx.actor(),
                                            court=self.current_court(), accept_missing=accept_missing)
            except MissingCharacters as missing:
                if accept_missing or not self._confirm_missing(missing):
                    self._show(missing.message, error=True)
                    return None
                accept_missing = True
            except DomainError as exc:
                self._show(exc.message, error=True)
                return None

    def save(self) -> bool:
        kind, fmt = self.current_kind(), self.current_format()
        name = suggested_name(f"{self.case_number}-{KIND_TITLES[kind]}", fmt)
        path = ask_save_path(self.ctx.dialogs, "保存文书", name, fmt)
        if path is None:
            return False
        issued = self._issue(kind, fmt, path)
        if issued is None:
            return False
        self.saved_path = path
        self._show(f"已保存：{path}（登记簿第 {issued[1].id} 号）")
        if self.open_after.isChecked():
            open_file(self.ctx.dialogs, path)
        return True

    def _confirm_missing(self, error: MissingCharacters) -> bool:
        """Name the characters no embedded font has; the user must confirm before 〓 stands in."""
        go_on = "仍然出具（缺字印为〓，出具后手写补正）"
        return self.ctx.dialogs.choose("缺字确认", error.message, [go_on]) == go_on
