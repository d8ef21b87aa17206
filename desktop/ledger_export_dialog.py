"""导出台账: filters (period, desk, level, type, stage), format, reporter and an optional unmasked
export; the render runs off the GUI thread as a desktop.background.BackgroundOp, with a
cancellable progress dialog that appears only when the export takes longer than 600 ms.

The worker opens its own read session, so the rows stream from the database while the window
stays responsive; the finished file is then recorded in the register and written atomically in
one short unit of work on the GUI thread. Tests pass an immediate `start_job`.

A DOCX ledger is kept with its PDF twin, rendered in the same job. 预览/打印… shows the ledger's PDF
pages (desktop/print_preview.py); printing or saving from there records that very PDF in the
register first (issued means kept)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRunnable, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.background import BackgroundOp, Job, Start
from desktop.context import DeskContext
from desktop.document_files import ask_save_path, open_file, suggested_name
from desktop.spec_form import ERROR_STYLE
from forms.values import validate_date
from models import clock
from models.cases.agreements import IssuedView
from models.cases.queries import list_desks, list_dispute_types
from models.cases.stages import Stage
from models.db import Database
from models.documents.service import (
    LedgerFilter,
    UnmaskGrant,
    authorize_unmask,
    ledger_context,
    pdf_twin_of,
    record_ledger_issue,
    render_ledger,
    save_bytes,
)
from models.org.entities import OrgUnit, User
from templates.context import LedgerContext

if TYPE_CHECKING:
    from desktop.print_preview import PrintPreview


@dataclass(frozen=True)
class LedgerRequest:
    flt: LedgerFilter
    reporter: str
    fmt: str
    unmask: UnmaskGrant | None = None
    paper: str = "A4"


@dataclass(frozen=True)
class BuiltLedger:
    context: LedgerContext
    data: bytes
    pdf_twin: bytes | None = None


def build_ledger(db: Database, request: LedgerRequest, job: Job) -> BuiltLedger:
    """Build and render the ledger, and a DOCX's PDF twin (in a worker, with its own read session
    so rows stream)."""
    with db.read() as session:
        context = ledger_context(session, request.flt, request.reporter, unmask=request.unmask, paper=request.paper)
        data = render_ledger(context, request.fmt, progress=job.report,  # type: ignore[arg-type]  # fmt is the combo's "pdf"/"docx"/"xlsx"
                             cancelled=job.cancelled)
        twin = pdf_twin_of("ledger", context, request.fmt, progress=job.report, cancelled=job.cancelled)
    return BuiltLedger(context, data, twin)


def _combo(name: str, entries: list[tuple[str, Any]]) -> QComboBox:
    box = QComboBox(objectName=name)
    box.addItem("全部", None)
    for text, value in entries:
        box.addItem(text, value)
    return box


def _unit_entries(db: Database) -> list[tuple[str, int]]:
    """Level units in tree order, indented by depth (县 → 乡镇 → 村 → 网格)."""
    with db.read() as session:
        rows = session.execute(select(OrgUnit.id, OrgUnit.name, OrgUnit.level, OrgUnit.parent_id).order_by(OrgUnit.id)).all()
    children: dict[int | None, list[Any]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    found: list[tuple[str, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in children.get(parent, []):
            found.append((f"{'　' * depth}{row.name}（{row.level}）", row.id))
            walk(row.id, depth + 1)

    walk(None, 0)
    return found


class LedgerExportDialog(QDialog):
    exported = Signal(int)  # register id of the exported ledger

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None,
                 start_job: Start | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.start_job = start_job  # None: the global thread pool; tests run the job at once
        self.setWindowTitle("导出矛盾纠纷排查调处台账")
        self.op: BackgroundOp[BuiltLedger] | None = None
        self.target: Path | None = None
        self.last_result: str = ""
        self._build_fields()
        self._lay_out()

    def _build_fields(self) -> None:
        db = self.ctx.db
        with db.read() as session:
            desks, types = list_desks(session), list_dispute_types(session)
            user = session.get(User, self.ctx.user_id) if self.ctx.user_id is not None else None
        self.date_from = QLineEdit(objectName="field_date_from", placeholderText="如 2025-01-01；不填为不限")
        self.date_to = QLineEdit(objectName="field_date_to", placeholderText="如 2025-03-31；不填为不限")
        self.desk = _combo("field_desk", [(name, desk_id) for desk_id, name in desks])
        self.level = _combo("field_level", _unit_entries(db))
        self.type = _combo("field_type", [(("　" if parent else "") + f"{code} {name}", code) for code, name, parent in types])
        self.stage = _combo("field_stage", [(s.value, s.value) for s in Stage])
        self.reporter = QLineEdit(user.display_name if user else "", objectName="field_reporter")
        self.format = QComboBox(objectName="field_format")
        self.format.addItem("PDF", "pdf")
        self.format.addItem("Word（DOCX）", "docx")
        self.format.addItem("Excel（XLSX，每项一列）", "xlsx")
        self.paper = QComboBox(objectName="field_paper")
        self.paper.addItem("A4 横向（常用列）", "A4")
        self.paper.addItem("A3 横向（每项一列）", "A3")
        self.format.currentIndexChanged.connect(
            lambda _i: self.paper.setEnabled(self.format.currentData() != "xlsx"))
        self.unmasked = QCheckBox("打印完整证件号和电话（须有权限并填写理由，记入审计日志）", objectName="field_unmasked")
        self.open_after = QCheckBox("导出后打开", checked=True, objectName="openAfterExport")
        self.message = QLabel(objectName="ledgerMessage", wordWrap=True)
        self.message.hide()

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        period = QHBoxLayout()
        period.addWidget(self.date_from)
        period.addWidget(QLabel("至"))
        period.addWidget(self.date_to)
        form.addRow("受理期间", period)
        for label, widget in (("窗口", self.desk), ("层级", self.level), ("纠纷类型", self.type),
                              ("阶段", self.stage), ("填报人", self.reporter), ("格式", self.format),
                              ("纸张", self.paper)):
            form.addRow(label, widget)
        form.addRow("", self.unmasked)
        layout.addLayout(form)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_after, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button = buttons.addButton("导出…", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setObjectName("exportLedger")
        self.export_button.clicked.connect(self.export)
        self.preview_button = buttons.addButton("预览/打印…", QDialogButtonBox.ButtonRole.ActionRole)
        self.preview_button.setObjectName("previewLedger")
        self.preview_button.clicked.connect(self.open_preview)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # --- filters -------------------------------------------------------------------------------
    def ledger_filter(self) -> LedgerFilter | None:
        """The chosen filter, or None with the problem shown inline (typed text is kept)."""
        dates: list[date | None] = []
        for label, edit in (("开始日期", self.date_from), ("结束日期", self.date_to)):
            if not edit.text().strip():
                dates.append(None)
                continue
            result = validate_date(edit.text())
            if not result.ok:
                self._show(f"{label}：{result.message}", error=True)
                return None
            dates.append(result.value)
        if dates[0] and dates[1] and dates[0] > dates[1]:
            self._show("开始日期不能晚于结束日期", error=True)
            return None
        return LedgerFilter(date_from=dates[0], date_to=dates[1], desk_id=self.desk.currentData(),
                            org_unit_id=self.level.currentData(), dispute_type_code=self.type.currentData(),
                            stage=self.stage.currentData())

    def _show(self, text: str, *, error: bool = False) -> None:
        self.last_result = text
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "color: #1a7f37;")
        self.message.setVisible(bool(text))

    # --- exporting -----------------------------------------------------------------------------
    def export(self) -> bool:
        """Ask where to save, then start the render in the background; False when not started."""
        flt = self.ledger_filter()
        if flt is None:
            return False
        fmt = str(self.format.currentData())
        target = ask_save_path(self.ctx.dialogs, "导出台账", suggested_name(f"台账-{clock.today():%Y%m%d}", fmt), fmt)
        if target is None:
            return False
        grant = self._unmask_grant(flt) if self.unmasked.isChecked() else None
        if self.unmasked.isChecked() and grant is None:
            return False
        self.target = target
        self._start(LedgerRequest(flt, self.reporter.text().strip(), fmt, grant, str(self.paper.currentData())))
        return True

    def _unmask_grant(self, flt: LedgerFilter) -> UnmaskGrant | None:
        reason = self.ctx.dialogs.ask_text("导出完整号码", "请填写导出完整证件号和电话的理由（记入审计日志）：")
        if not reason or not reason.strip():
            return None
        outcome = self.ctx.runner.run(lambda s: authorize_unmask(s, self.ctx.actor(), flt, reason), title="导出台账")
        return outcome.value if outcome.ok else None

    def _start(self, request: LedgerRequest) -> QRunnable:
        self.op = (BackgroundOp(self, lambda job: build_ledger(self.ctx.db, request, job),
                                self._finished)
                   .with_progress("正在生成台账…", on_cancel=self._cancelled)
                   .failure(self._failed, prefix="导出失败"))
        self.export_button.setEnabled(False)
        self._show("正在生成台账…")
        return self.op.run_in_background(self.start_job)

    @property
    def progress(self) -> QProgressDialog | None:
        """The export's progress dialog while one runs (it shows itself after 600 ms)."""
        return self.op.progress if self.op is not None else None

    def cancel_export(self) -> None:
        if self.op is not None:
            self.op.cancel()  # the renderer checks between pages and raises RenderCancelled

    def reject(self) -> None:
        """Closing the dialog cancels a running export: no file appears after the user left."""
        self.cancel_export()
        super().reject()

    def _finished(self, built: BuiltLedger) -> None:
        self.export_button.setEnabled(True)
        target, fmt = self.target, str(self.format.currentData())
        context, data = built.context, built.data

        def work(session: Session) -> IssuedView:
            view = record_ledger_issue(session, context, fmt, data, self.ctx.actor(),  # type: ignore[arg-type]  # fmt is the combo's "pdf"/"docx"/"xlsx"
                                       pdf_twin=built.pdf_twin)
            assert target is not None  # set by export() before the job starts
            save_bytes(target, data)
            return view

        outcome = self.ctx.runner.run(work, quiet=True)
        if outcome.error is not None or outcome.value is None:
            self._show(outcome.error.message if outcome.error else "保存失败", error=True)
            return
        self._show(f"已导出 {len(context.rows)} 件：{target}（登记簿第 {outcome.value.id} 号）")
        self.exported.emit(outcome.value.id)
        if self.open_after.isChecked() and target is not None:
            open_file(self.ctx.dialogs, target)

    def _failed(self, message: str) -> None:
        self.export_button.setEnabled(True)
        self._show(message, error=True)

    def _cancelled(self) -> None:
        self.export_button.setEnabled(True)
        self._show("已取消导出，未生成文件")

    # --- preview and printing ------------------------------------------------------------------
    def open_preview(self) -> PrintPreview | None:
        """The ledger's PDF pages with the chosen filter (rendered off the GUI thread)."""
        from desktop.print_preview import PrintPreview

        flt = self.ledger_filter()
        if flt is None:
            return None
        grant = self._unmask_grant(flt) if self.unmasked.isChecked() else None
        if self.unmasked.isChecked() and grant is None:
            return None
        request = LedgerRequest(flt, self.reporter.text().strip(), "pdf", grant)
        built: list[BuiltLedger] = []

        def load(job: Job) -> bytes:
            built.append(build_ledger(self.ctx.db, request, job))
            return built[-1].data

        preview = PrintPreview(self, f"台账 {clock.today():%Y-%m-%d}", load, start_job=self.start_job,
                               before_print=lambda data: self._record_shown(built[-1], data),
                               save=lambda: self._save_shown(built[-1]), loading="正在生成台账…")
        preview.show()
        return preview

    def _record_shown(self, built: BuiltLedger, data: bytes) -> bytes | None:
        """Printing the previewed ledger files exactly that PDF in the register first."""
        outcome = self.ctx.runner.run(
            lambda s: record_ledger_issue(s, built.context, "pdf", data, self.ctx.actor()), title="打印台账")
        if not outcome.ok or outcome.value is None:
            return None
        self._show(f"已登记并送出打印（登记簿第 {outcome.value.id} 号）")
        self.exported.emit(outcome.value.id)
        return data

    def _save_shown(self, built: BuiltLedger) -> Path | None:
        target = ask_save_path(self.ctx.dialogs, "保存台账", suggested_name(f"台账-{clock.today():%Y%m%d}", "pdf"), "pdf")
        if target is None:
            return None

        def work(session: Session) -> IssuedView:
            view = record_ledger_issue(session, built.context, "pdf", built.data, self.ctx.actor())
            save_bytes(target, built.data)
            return view

        outcome = self.ctx.runner.run(work, title="保存台账")
        if not outcome.ok or outcome.value is None:
            return None
        self._show(f"已导出 {len(built.context.rows)} 件：{target}（登记簿第 {outcome.value.id} 号）")
        self.exported.emit(outcome.value.id)
        return target
