"""打印预览: a document's real pages inside the app (no outside viewer), paged through and zoomed,
printed with the system print dialog and saved.

The PDF comes from `load` (render a draft, or read a kept file), run off the GUI thread with the
first page, so the window opens at once and fills in; every other page is also rendered by a
`desktop.background.BackgroundOp` (PDFium through `desktop.pdf_pages`), and a few are cached.
What 打印 prints is what the caller's `before_print` returns: for a draft that is the document
issued at that moment (issued means kept), for a kept file the same stored bytes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import QRunnable, Qt
from PySide6.QtGui import QCloseEvent, QImage, QKeySequence, QPixmap, QResizeEvent, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.background import BackgroundOp, Job, Start
from desktop.pdf_pages import PdfPages, fit_printer, print_pages
from desktop.screen import fit_to_screen

FIT_WIDTH = 0.0  # the zoom box's "适合宽度"
ZOOMS = (FIT_WIDTH, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
SCREEN_DPI = 96.0  # 100 % shows an A4 page as wide as a real one on an ordinary monitor
CACHED_PAGES = 8


@dataclass(frozen=True)
class Opened:
    """What the loading job hands the window: the document and its first page, ready to show."""

    pages: PdfPages
    first: QImage
    scale: float


class PrintPreview(QDialog):
    """One document's pages. `before_print` (GUI thread) returns the bytes to print, or None when
    printing must not go on (it has shown why); `save` runs 另存为."""

    def __init__(self, parent: QWidget | None, title: str, load: Callable[[Job], bytes], *,
                 before_print: Callable[[bytes], bytes | None] | None = None,
                 save: Callable[[], object] | None = None, start_job: Start | None = None,
                 loading: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setWindowTitle(f"打印预览 — {title}")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        fit_to_screen(self, 900, 1000)
        self.load, self.before_print, self.save_action, self.start_job = load, before_print, save, start_job
        self.pages: PdfPages | None = None
        self.index, self.printed, self.printing = 0, 0, False
        self.shown: tuple[int, float] | None = None  # the (page, scale) on screen
        self.cache: OrderedDict[tuple[int, float], QImage] = OrderedDict()
        self.ops: set[BackgroundOp[object]] = set()
        self._build()
        self._set_ready(False)
        self.message.setText(loading or "正在生成预览…")
        self._open(loading)

    # --- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.previous = QPushButton("上一页", objectName="previewPrevious")
        self.next = QPushButton("下一页", objectName="previewNext")
        self.page_box = QSpinBox(objectName="previewPage", minimum=1, maximum=1)
        self.page_count = QLabel("/ 共 0 页", objectName="previewPageCount")
        self.zoom = QComboBox(objectName="previewZoom")
        for zoom in ZOOMS:
            self.zoom.addItem("适合宽度" if zoom == FIT_WIDTH else f"{zoom:.0%}", zoom)
        self.zoom.setCurrentIndex(ZOOMS.index(1.0))
        self.print_button = QPushButton("打印…", objectName="previewPrint")
        self.save_button = QPushButton("另存为…", objectName="previewSave")
        self.save_button.setVisible(self.save_action is not None)
        self.page_view = QLabel(objectName="previewPageImage", alignment=Qt.AlignmentFlag.AlignCenter)
        self.scroller = QScrollArea(objectName="previewScroll", widgetResizable=True)
        self.scroller.setWidget(self.page_view)
        self.scroller.setStyleSheet("QScrollArea { background: #808080; } QLabel { background: #808080; }")
        self.message = QLabel(objectName="previewMessage", wordWrap=True)
        bar = QHBoxLayout()
        for widget in (self.previous, self.next, QLabel("第"), self.page_box, self.page_count, QLabel("缩放"),
                       self.zoom):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroller, 1)
        layout.addWidget(self.message)
        self.previous.clicked.connect(lambda: self.go_to(self.index - 1))
        self.next.clicked.connect(lambda: self.go_to(self.index + 1))
        self.page_box.valueChanged.connect(lambda value: self.go_to(value - 1))
        self.zoom.currentIndexChanged.connect(lambda _i: self._show_page())
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self._save)
        for keys, step in ((QKeySequence.StandardKey.MoveToNextPage, 1), (QKeySequence.StandardKey.MoveToPreviousPage, -1)):
            QShortcut(keys, self, lambda s=step: self.go_to(self.index + s))
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self._step_zoom(1))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self._step_zoom(-1))
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_document)

    def _set_ready(self, ready: bool) -> None:
        for widget in (self.previous, self.next, self.page_box, self.zoom, self.print_button, self.save_button):
            widget.setEnabled(ready)
        if ready:
            self.print_button.setEnabled(not self.printing)  # one print job at a time
            self.previous.setEnabled(self.index > 0)
            self.next.setEnabled(self.index < self.page_total - 1)

    @property
    def page_total(self) -> int:
        return len(self.pages) if self.pages is not None else 0

    # --- opening -------------------------------------------------------------------------------
    def _run(self, work: Callable[[Job], object], done: Callable[[object], None], *, label: str | None = None,
             on_cancel: Callable[[], object] | None = None,
             failed: Callable[[str], None] | None = None) -> QRunnable:
        """Start `work` off the GUI thread; the op stays referenced until its answer arrives."""
        op: BackgroundOp[object]

        def finished(handler: Callable[..., object]) -> Callable[..., None]:
            def run(*args: object) -> None:
                self.ops.discard(op)
                handler(*args)
            return run

        op = BackgroundOp(self, work, finished(done)).failure(finished(failed or self._failed), prefix="预览失败")
        if label is not None:
            op.with_progress(label, on_cancel=finished(on_cancel) if on_cancel is not None else None)
        self.ops.add(op)
        return op.run_in_background(self.start_job)

    def _open(self, loading: str | None) -> None:
        """Load (a long one, e.g. a ledger, with a cancellable progress dialog) and draw page 1."""
        zoom_scale = self.scale_for(None)
        room = self._room()

        def work(job: Job) -> Opened:
            pages = PdfPages(self.load(job))
            if not len(pages):
                return Opened(pages, QImage(), 0.0)
            scale = round(zoom_scale or room / pages.sizes[0][0] * self.devicePixelRatioF(), 4)
            return Opened(pages, pages.image(0, scale), scale)

        self._run(work, self._opened, label=loading, on_cancel=self.close)

    def _opened(self, opened: object) -> None:
        assert isinstance(opened, Opened)
        self.pages = opened.pages
        self.destroyed.connect(opened.pages.close)  # a window deleted with its parent never gets closeEvent
        self.page_box.blockSignals(True)
        self.page_box.setMaximum(max(1, len(opened.pages)))
        self.page_box.blockSignals(False)
        self.page_count.setText(f"/ 共 {len(opened.pages)} 页")
        self.message.setText("")
        if len(opened.pages):
            self._remember((0, opened.scale), opened.first)
        self._set_ready(len(opened.pages) > 0)
        self._show_page()

    def _failed(self, message: str) -> None:
        self.message.setText(message)
        self.message.setStyleSheet("color: #b00020;")
        self._set_ready(self.pages is not None)

    # --- paging and zoom -----------------------------------------------------------------------
    def go_to(self, index: int) -> None:
        if self.pages is None or not 0 <= index < len(self.pages) or (index == self.index and self.shown):
            return
        self.index = index
        self._show_page()

    def _step_zoom(self, step: int) -> None:
        self.zoom.setCurrentIndex(max(1, min(self.zoom.count() - 1, self.zoom.currentIndex() + step)))

    def _room(self) -> float:
        """The width a page may take (before the window is first laid out, its planned width)."""
        width = self.scroller.viewport().width() if self.isVisible() else self.width() - 40
        return float(max(200, width - 24))

    def scale_for(self, index: int | None) -> float:
        """Pixels per point for the page at the chosen zoom (0.0 before the page size is known)."""
        zoom = float(self.zoom.currentData())
        ratio = self.devicePixelRatioF()
        if zoom != FIT_WIDTH:
            return zoom * SCREEN_DPI / 72.0 * ratio
        if index is None or self.pages is None:
            return 0.0
        return self._room() / self.pages.sizes[index][0] * ratio

    def _show_page(self) -> None:
        if self.pages is None or not len(self.pages):
            return
        index = self.index
        key = (index, round(self.scale_for(index), 4))
        self.page_box.blockSignals(True)
        self.page_box.setValue(index + 1)
        self.page_box.blockSignals(False)
        self._set_ready(True)
        cached = self.cache.get(key) or self._near(index, key[1])
        if cached is not None:
            self._display(key, cached)
            if key in self.cache:
                return
        pages = self.pages
        self._run(lambda _job: (key, pages.image(index, key[1])), self._rendered)

    def _near(self, index: int, scale: float) -> QImage | None:
        """The page at another scale, shown stretched until the sharp one arrives (no blank flash)."""
        return next((image for (i, s), image in self.cache.items() if i == index and abs(s - scale) < scale), None)

    def _rendered(self, result: object) -> None:
        key, image = cast(tuple[tuple[int, float], QImage], result)  # what _show_page's job returns
        self._remember(key, image)
        if key[0] == self.index:
            self._display(key, image)

    def _remember(self, key: tuple[int, float], image: QImage) -> None:
        self.cache[key] = image
        self.cache.move_to_end(key)
        while len(self.cache) > CACHED_PAGES:
            self.cache.popitem(last=False)

    def _display(self, key: tuple[int, float], image: QImage) -> None:
        pixmap = QPixmap.fromImage(image)
        wanted = self.scale_for(key[0]) or key[1]
        if abs(key[1] - wanted) > 1e-3 and key[1]:  # a stand-in at another scale: stretch it for now
            pixmap = pixmap.scaledToWidth(round(image.width() * wanted / key[1]))
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.page_view.setPixmap(pixmap)
        self.shown = key

    @property
    def shown_page(self) -> int:
        """1-based number of the page on screen (0 before the first is drawn)."""
        return self.shown[0] + 1 if self.shown else 0

    # --- printing and saving -------------------------------------------------------------------
    def print_document(self) -> None:
        """Ask the system print dialog for a printer, then print in the background."""
        if self.pages is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        fit_printer(printer, self.pages)
        printer.setDocName(self.windowTitle().removeprefix("打印预览 — "))
        if self.choose_printer(printer):
            self.print_to(printer, fit=False)  # keep what the user chose in the dialog

    def choose_printer(self, printer: QPrinter) -> bool:
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(1, self.page_total))
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_to(self, printer: QPrinter, *, fit: bool = True) -> bool:
        """Print on an already chosen `printer` (a PDF file printer in tests), on the document's
        own paper and orientation unless `fit` is off; False when refused."""
        if self.pages is None:
            return False
        if fit:
            fit_printer(printer, self.pages)
        data = self.pages.data
        if self.before_print is not None:
            chosen = self.before_print(data)
            if chosen is None:
                return False
            data = chosen
        shown = self.pages

        def work(job: Job) -> int:
            if data == shown.data:
                return print_pages(shown, printer, progress=job.report, cancelled=job.cancelled)
            pages = PdfPages(data)  # the issued bytes, when they differ from the draft on screen
            try:
                return print_pages(pages, printer, progress=job.report, cancelled=job.cancelled)
            finally:
                pages.close()

        self.printing = True
        self.print_button.setEnabled(False)
        self.message.setText("正在打印…")
        self._run(work, self._printed, label="正在打印…", on_cancel=self._print_cancelled, failed=self._print_failed)
        return True

    def _printed(self, count: object) -> None:
        self.printed = cast(int, count)  # the job returns the page count
        self.printing = False
        self.print_button.setEnabled(True)
        self.message.setStyleSheet("color: #1a7f37;")
        self.message.setText(f"已送出打印：{self.printed} 页")

    def _print_failed(self, message: str) -> None:
        self.printing = False
        self._failed(message)

    def _print_cancelled(self) -> None:
        self.printing = False
        self.print_button.setEnabled(True)
        self.message.setText("已取消打印")

    def _save(self) -> None:
        if self.save_action is not None:
            self.save_action()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.pages is not None and float(self.zoom.currentData()) == FIT_WIDTH:
            self._show_page()  # the stretched page at once, the sharp one from the worker

    def closeEvent(self, event: QCloseEvent) -> None:
        for op in list(self.ops):
            op.cancel()
        if self.pages is not None:
            self.pages.close()  # a page job still running then ends with a quiet failure
        super().closeEvent(event)
