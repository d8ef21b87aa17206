"""The 卷宗 tab of a case: its files as thumbnails in archival order, a preview of the selected one,
the archive checklist, and the actions — add files (dialog or drag-and-drop), record the signed
copy of the agreement, build the dossier PDF.

The list is one metadata query (no file bytes), so a case with a hundred files opens at once;
thumbnails are made off the GUI thread (desktop/background.BackgroundOp) and arrive when ready.
An ID-card scan shows no thumbnail and opens only for a user allowed to unmask, with a reason
that goes to the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.background import BackgroundOp, Job
from desktop.context import DeskContext
from desktop.pdf_pages import PdfPages
from models.casefile.attachments import AttachmentView, add_attachment, attachment_content, list_attachments
from models.casefile.categories import BY_KEY, CATEGORIES
from models.casefile.checklist import checklist
from models.casefile.content import IMAGE_TYPES, PDF
from models.cases.service import load_case
from models.errors import DomainError
from models.security.permissions import PermissionDenied

if TYPE_CHECKING:
    from desktop.signing_dialog import SigningDialog

THUMB = 96
PREVIEW = 520
FILE_FILTER = "卷宗材料 (*.jpg *.jpeg *.png *.pdf *.docx);;所有文件 (*)"
TYPE_BADGES = {"jpeg": "图片", "png": "图片", "pdf": "PDF", "docx": "Word"}


def pdf_first_page(data: bytes, width: int) -> QImage:
    """The first page of a PDF as an image `width` pixels wide (off the GUI thread: PdfPages holds
    the one lock PDFium needs, desktop/pdf_pages.py)."""
    pages = PdfPages(data)
    try:
        return pages.image(0, width / pages.sizes[0][0])
    finally:
        pages.close()


def picture_of(media_type: str, data: bytes, size: int) -> QImage | None:
    """A picture of the file at most `size` pixels wide/high, or None for a Word file."""
    if media_type in IMAGE_TYPES:
        image = QImage.fromData(data)
    elif media_type == PDF:
        image = pdf_first_page(data, size)
    else:
        return None
    if image.isNull():
        return None
    return image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class AttachDialog(QDialog):
    """Category, description and party for the files being added."""

    def __init__(self, names: list[str], parties: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("添加卷宗材料")
        form = QFormLayout(self)
        form.addRow("文件：", QLabel("、".join(Path(n).name for n in names), wordWrap=True))
        self.category = QComboBox(objectName="attachCategory")
        self.category.addItems(CATEGORIES)
        self.category.setCurrentText("证据材料")
        self.description = QLineEdit(objectName="attachDescription", placeholderText="如：现场照片、收条")
        self.party = QComboBox(objectName="attachParty")
        self.party.addItem("（不涉及特定当事人）", None)
        for party_id, name in parties:
            self.party.addItem(name, party_id)
        form.addRow("材料类别：", self.category)
        form.addRow("说明：", self.description)
        form.addRow("涉及当事人：", self.party)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class CaseFileView(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, *,
                 ask_details: Callable[[list[str], list[tuple[int, str]]], tuple[str, str, int | None] | None]
                 | None = None, start: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.start = ctx, start
        self.ask_details = ask_details or self._ask_details
        self.case_id: int | None = None
        self.views: list[AttachmentView] = []
        self.thumbnail_op: BackgroundOp[Any] | None = None
        self.setAcceptDrops(True)
        self.setMinimumHeight(480)  # the detail pane scrolls; the files need room to be seen
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.add_button = QPushButton("添加材料…", objectName="addAttachment", clicked=self.choose_files)
        self.dossier_button = QPushButton("生成卷宗 PDF…", objectName="buildDossier", clicked=self.build_dossier)
        self.sign_button = QPushButton("登记协议签字本…", objectName="recordSigning", clicked=self.open_signing)
        self.hint = QLabel("可将图片、PDF、Word 文件直接拖到此处")
        for widget in (self.add_button, self.sign_button, self.dossier_button, self.hint):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        split = QSplitter()
        self.files = QListWidget(objectName="attachmentList")
        self.files.setViewMode(QListView.ViewMode.IconMode)
        self.files.setIconSize(QSize(THUMB, THUMB))
        self.files.setGridSize(QSize(THUMB + 56, THUMB + 52))
        self.files.setResizeMode(QListView.ResizeMode.Adjust)
        self.files.setMovement(QListView.Movement.Static)
        self.files.setWordWrap(True)
        self.files.currentRowChanged.connect(self._preview_row)
        self.files.itemDoubleClicked.connect(lambda _item: self.reveal_selected())
        split.addWidget(self.files)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        self.preview = QLabel("选择材料查看预览", objectName="attachmentPreview", alignment=Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(240, 240)
        self.caption = QLabel(wordWrap=True, objectName="attachmentCaption")
        self.checklist = QLabel(wordWrap=True, objectName="dossierChecklist", textFormat=Qt.TextFormat.RichText)
        side_layout.addWidget(self.preview, 3)
        side_layout.addWidget(self.caption)
        side_layout.addWidget(self.checklist, 1)
        split.addWidget(side)
        split.setSizes([520, 360])
        layout.addWidget(split, 1)

    # --- showing ---------------------------------------------------------------------------------
    def show_case(self, case_id: int | None) -> None:
        self.case_id = case_id
        self.files.clear()
        self.views, items = [], []
        self.preview.setText("选择材料查看预览")
        self.caption.clear()
        if case_id is None:
            self.checklist.clear()
            return
        try:
            with self.ctx.db.read() as session:
                self.views = list_attachments(session, case_id, self.ctx.actor())
                items = checklist(session, load_case(session, case_id))
        except PermissionDenied as refused:  # e.g. an administrator's window: no case work, no case files
            self.checklist.clear()
            self.preview.setText(refused.message)
            return
        for view in self.views:
            self.files.addItem(self._item(view))
        self._show_checklist(items)
        self._load_thumbnails()

    def _item(self, view: AttachmentView) -> QListWidgetItem:
        text = f"{view.category}\n{view.description or view.filename}"
        item = QListWidgetItem(self._placeholder(view), text)
        item.setToolTip(f"{view.filename}（{TYPE_BADGES.get(view.media_type, '')}，{view.pages} 页，{view.size:,} 字节）"
                        + (f"\n涉及当事人：{view.party}" if view.party else ""))
        item.setData(Qt.ItemDataRole.UserRole, view.id)
        return item

    def _placeholder(self, view: AttachmentView) -> QIcon:
        image = QPixmap(THUMB, THUMB)
        image.fill(Qt.GlobalColor.lightGray if not view.restricted else Qt.GlobalColor.darkGray)
        return QIcon(image)

    def _show_checklist(self, items: list[tuple[str, bool]]) -> None:
        lines = [f"<span style='color:{'#2e7d32' if ok else '#c62828'}'>{'✓' if ok else '✗ 缺少'}　{label}</span>"
                 for label, ok in items]
        ready = all(ok for _label, ok in items)
        head = "<b>归档检查：卷宗齐全</b>" if ready else "<b>归档检查：尚有缺项，不能归档</b>"
        self.checklist.setText("<br>".join([head, *lines]))

    def _load_thumbnails(self) -> None:
        # personal-data scans get no thumbnail even for those who may open them: opening is audited
        wanted = [(v.id, v.sha256, v.media_type) for v in self.views
                  if not BY_KEY[v.category].personal and v.media_type != "docx"]
        if not wanted:
            return
        db, case_id = self.ctx.db, self.case_id

        def work(job: Job) -> tuple[int | None, dict[int, QImage]]:
            from models.files.store import get_blob

            found: dict[int, QImage] = {}
            with db.read() as session:
                for index, (attachment_id, key, media_type) in enumerate(wanted):
                    if job.cancelled():
                        break
                    try:
                        image = picture_of(media_type, get_blob(session, key), THUMB)
                    except (DomainError, OSError, ValueError, RuntimeError):
                        image = None  # a changed or unreadable file keeps its placeholder (audit verify reports it)
                    if image is not None:
                        found[attachment_id] = image
                    job.report(index + 1, len(wanted))
            return case_id, found

        self.thumbnail_op = BackgroundOp(self, work, self._set_thumbnails).failure(lambda _text: None)
        self.thumbnail_op.run_in_background(self.start)

    def _set_thumbnails(self, result: tuple[int | None, dict[int, QImage]]) -> None:
        case_id, images = result
        if case_id != self.case_id:
            return  # another case is shown by now
        for row in range(self.files.count()):
            item = self.files.item(row)
            image = images.get(item.data(Qt.ItemDataRole.UserRole))
            if image is not None:
                item.setIcon(QIcon(QPixmap.fromImage(image)))

    def _preview_row(self, row: int) -> None:
        if not 0 <= row < len(self.views):
            return
        view = self.views[row]
        self.caption.setText(f"{view.category}：{view.description or view.filename}"
                             + (f"（{view.party}）" if view.party else "") + f"　{view.pages} 页")
        if view.restricted:
            self.preview.setText("身份证明材料：仅限有权查看完整证件号的人员查看")
            return
        if BY_KEY[view.category].personal:
            self.preview.setText("个人身份材料：双击并填写理由后查看（记入审计日志）")
            return
        outcome = self.ctx.runner.run(lambda s: attachment_content(s, view.id, self.ctx.actor())[1], title="不能预览")
        if outcome.ok and outcome.value is not None:
            self._show_picture(view.media_type, outcome.value)

    def _show_picture(self, media_type: str, data: bytes) -> None:
        try:
            image = picture_of(media_type, data, max(120, min(PREVIEW, self.preview.width(), self.preview.height())))
        except (OSError, ValueError, RuntimeError):
            image = None
        if image is None:
            self.preview.setText("Word 文件无预览，可在生成的卷宗中查看" if media_type == "docx" else "无法预览该文件")
        else:
            self.preview.setPixmap(QPixmap.fromImage(image))

    def reveal_selected(self) -> None:
        """An ID-card scan, for a reason written to the audit trail."""
        row = self.files.currentRow()
        if not 0 <= row < len(self.views):
            return
        view = self.views[row]
        if not BY_KEY[view.category].personal or view.restricted:
            return
        reason = self.ctx.dialogs.ask_line("查看身份证明材料", "请填写查看理由（记入审计日志）：")
        if not reason or not reason.strip():
            return
        outcome = self.ctx.runner.run(lambda s: attachment_content(s, view.id, self.ctx.actor(), reason=reason)[1],
                                      title="不能查看")
        if outcome.ok and outcome.value is not None:
            self._show_picture(view.media_type, outcome.value)

    # --- adding ----------------------------------------------------------------------------------
    def choose_files(self) -> None:
        chosen = self.ctx.dialogs.ask_open_path("添加卷宗材料", FILE_FILTER)
        if chosen:
            self.add_files([chosen])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.case_id is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> bool:
        """Add the files in one unit of work: all of them, or — on the first refusal — none."""
        if self.case_id is None:
            return False
        case_id = self.case_id
        try:
            contents = [(Path(p).name, Path(p).read_bytes()) for p in paths]
        except OSError as exc:
            self.ctx.dialogs.error("添加材料", f"无法读取文件：{exc.filename}（{exc.strerror}）")
            return False
        with self.ctx.db.read() as session:
            parties = [(p.id, p.name) for p in load_case(session, case_id).parties]
        details = self.ask_details(paths, parties)
        if details is None:
            return False
        category, description, party_id = details

        def work(session: Any) -> int:
            for name, data in contents:
                add_attachment(session, case_id, filename=name, data=data, category=category, actor=self.ctx.actor(),
                               description=description, party_id=party_id)
            return case_id

        outcome = self.ctx.runner.run(work, changed_case=lambda c: c, title="添加材料未完成")
        if outcome.ok:
            self.show_case(case_id)
        return outcome.ok

    def _ask_details(self, paths: list[str], parties: list[tuple[int, str]]) -> tuple[str, str, int | None] | None:
        dialog = AttachDialog(paths, parties, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.category.currentText(), dialog.description.text(), dialog.party.currentData()

    def open_signing(self) -> SigningDialog | None:
        if self.case_id is None:
            return None
        from desktop.signing_dialog import SigningDialog

        dialog = SigningDialog(self.ctx, self.case_id, self)
        dialog.open()
        return dialog

    # --- the dossier -----------------------------------------------------------------------------
    def build_dossier(self, target: str | None = None) -> None:
        if self.case_id is None:
            return
        path = target or self.ctx.dialogs.ask_save_path("生成卷宗 PDF", "卷宗.pdf", "pdf")
        if not path:
            return
        db, case_id, actor = self.ctx.db, self.case_id, self.ctx.actor()

        def work(job: Job) -> Path:
            from models.casefile.dossier import build_dossier

            with db.write.begin() as session:
                return build_dossier(session, case_id, path, actor, progress=job.report).path

        op = (BackgroundOp(self, work, self._dossier_built).with_progress("正在生成卷宗…")
              .failure(lambda text: self.ctx.dialogs.error("生成卷宗", text), prefix="生成卷宗失败"))
        op.run_in_background(self.start)
        self.dossier_op = op

    def _dossier_built(self, path: Path) -> None:
        self.ctx.dialogs.inform("生成卷宗", f"卷宗已生成：{path}")
