"""A PDF's pages as images, drawn by PDFium through pypdfium2 (docs/DECISIONS.md, "Print preview
and printing": the same engine QtPdf wraps, without PySide6-Addons' ~440 MB).

PDFium is not thread-safe, so every call into it holds one process-wide lock; the pages are then
`QImage`s, which may be made on a worker thread (a QPixmap may not). The preview window and the
printing job both call `image` from `desktop.background.BackgroundOp` workers."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QRect, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from models.errors import DomainError

_PDFIUM = threading.Lock()
POINTS_PER_INCH = 72.0
PRINT_DPI = 300  # sharp text on paper; the page bitmap stays ~35 MB (A4) while it is drawn


class NotAPdf(DomainError):
    pass


class PdfPages:
    """One open PDF: its page count and sizes, and any page rendered at a scale (1.0 = 72 dpi)."""

    def __init__(self, data: bytes) -> None:
        import pypdfium2 as pdfium  # ~0.4 s: loaded by the first preview, never at start-up

        try:
            with _PDFIUM:
                self._pdf = pdfium.PdfDocument(data)
                self.sizes: list[tuple[float, float]] = [self._pdf.get_page_size(i) for i in range(len(self._pdf))]
        except pdfium.PdfiumError as exc:
            raise NotAPdf(f"无法读取该 PDF 文件（{exc}）") from exc
        self.data = data  # PDFium reads from this buffer for as long as the document is open
        self.closed = False

    def __len__(self) -> int:
        return len(self.sizes)

    def image(self, index: int, scale: float) -> QImage:
        """Page `index` (0-based) as an opaque white image at `scale` × 72 dpi."""
        with _PDFIUM:
            if self.closed:
                raise DomainError("预览窗口已关闭")
            page = self._pdf[index]
            try:
                bitmap = page.render(scale=scale, prefer_bgrx=True, rev_byteorder=True)  # RGBX, Qt's own order
                image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                               QImage.Format.Format_RGBX8888).copy()  # copy: the bitmap's buffer is freed below
                bitmap.close()
            finally:
                page.close()
        return image

    def close(self) -> None:
        """Close under the lock (never left to a finalizer running beside another render)."""
        with _PDFIUM:
            if not self.closed:
                self.closed = True
                self._pdf.close()


def fit_printer(printer: QPrinter, pages: PdfPages) -> None:
    """Paper and orientation from the document's first page (A4 portrait, an A4/A3 landscape
    ledger), before the print dialog opens, so the user only confirms; drawing uses the whole
    sheet, so the document's own margins print where they were set."""
    if not len(pages):
        return
    width, height = pages.sizes[0]
    portrait = (min(width, height), max(width, height))
    printer.setPageSize(QPageSize(QSizeF(*portrait), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch))
    landscape = width > height
    printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)


def print_pages(pages: PdfPages, printer: QPrinter, *, progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> int:
    """Draw every page (or the range the print dialog chose) on `printer`, each rendered at the
    printer's resolution; returns the pages printed. QPainter may paint on a QPrinter from a worker
    thread, so this runs in a BackgroundOp."""
    first, last = _page_range(printer, len(pages))
    if last < first:
        raise DomainError("没有可打印的页面")
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise DomainError("无法开始打印：打印机不可用或输出文件无法写入")
    try:
        for number, index in enumerate(range(first, last + 1)):
            if cancelled is not None and cancelled():
                printer.abort()
                raise DomainError("已取消打印")
            if number and not printer.newPage():
                raise DomainError("打印中断：打印机拒绝了下一页")
            _draw_page(painter, printer, pages, index)
            if progress is not None:
                progress(number + 1, last - first + 1)
    finally:
        painter.end()
    return last - first + 1


def _page_range(printer: QPrinter, count: int) -> tuple[int, int]:
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        return printer.fromPage() - 1, min(printer.toPage(), count) - 1
    return 0, count - 1


def _draw_page(painter: QPainter, printer: QPrinter, pages: PdfPages, index: int) -> None:
    """The page at its true size (1 pt = 1/72 inch: GB/T 9704's margins stay exact), centred on the
    sheet; shrunk to fit only when the chosen paper is smaller than the page. Rendered at most at
    `PRINT_DPI` and scaled up by the printer (a 1200 dpi A4 bitmap would be 550 MB a page)."""
    sheet = printer.pageLayout().fullRectPixels(printer.resolution())
    width_pt, height_pt = pages.sizes[index]
    device = min(printer.resolution() / POINTS_PER_INCH, sheet.width() / width_pt, sheet.height() / height_pt)
    image = pages.image(index, min(device, PRINT_DPI / POINTS_PER_INCH))
    target = QRect(0, 0, round(width_pt * device), round(height_pt * device))
    target.moveCenter(QRect(0, 0, sheet.width(), sheet.height()).center())
    painter.drawImage(target, image)
