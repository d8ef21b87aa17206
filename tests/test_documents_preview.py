"""打印预览 and printing inside the app (issue #12): the preview shows a PDF's real pages (PDFium),
pages through and zooms, and prints to a QPrinter (a PDF file here, offscreen); the document
dialog, the ledger export and the case's 已出具文书 list open it, and what they print or save is
what the register keeps."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRunnable
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.app import build_main_window
from desktop.document_dialog import DocumentDialog
from desktop.ledger_export_dialog import LedgerExportDialog
from desktop.main_window import MainWindow
from desktop.print_preview import PrintPreview
from models.cases.agreements import IssuedDocument
from models.documents.service import issue
from models.dto import Actor
from models.files.store import get_blob
from models.org.entities import Role
from templates import samples
from templates.render import render
from tests.support.desktop import RecordingDialogs, dialogs, window
from tests.support.documents import pdf_text, written_case
from tests.support.security import make_users

__all__ = ["dialogs", "window"]  # fixtures used by name below


def _immediately(job: QRunnable) -> None:
    job.run()


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def _preview(qtbot: QtBot, data: bytes, **options) -> PrintPreview:
    preview = PrintPreview(None, "测试", lambda _job: data, start_job=_immediately, **options)
    qtbot.addWidget(preview)
    preview.show()
    return preview


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    """A mediation record long enough for several pages."""
    context = samples.mediation_record()
    longer = dataclasses.replace(context.sessions[0], record="\n".join([context.sessions[0].record] * 12))
    return render("mediation-record", dataclasses.replace(context, sessions=(longer,)), "pdf")


# --- the window -----------------------------------------------------------------------------------

def test_preview_opens_with_the_right_page_count_and_pages_through(qtbot: QtBot, long_pdf: bytes) -> None:
    preview = _preview(qtbot, long_pdf)
    total = _pages(long_pdf)
    assert total >= 3 and preview.page_total == total
    assert preview.page_count.text() == f"/ 共 {total} 页" and preview.shown_page == 1
    assert not preview.previous.isEnabled() and preview.next.isEnabled()
    first = preview.page_view.pixmap().toImage()
    preview.next.click()
    assert preview.shown_page == 2 and preview.page_box.value() == 2 and preview.previous.isEnabled()
    assert preview.page_view.pixmap().toImage() != first  # another page is drawn
    preview.page_box.setValue(total)
    assert preview.shown_page == total and not preview.next.isEnabled()
    preview.go_to(total + 5)  # past the end: stays
    assert preview.shown_page == total
    preview.previous.click()
    assert preview.shown_page == total - 1


def test_zoom_redraws_the_page_larger(qtbot: QtBot, long_pdf: bytes) -> None:
    preview = _preview(qtbot, long_pdf)
    width = preview.page_view.pixmap().width()
    preview.zoom.setCurrentIndex(preview.zoom.findData(2.0))
    assert preview.page_view.pixmap().width() == pytest.approx(2 * width, rel=0.02)
    preview.zoom.setCurrentIndex(preview.zoom.findData(0.0))  # 适合宽度
    assert preview.page_view.pixmap().width() <= preview.scroller.viewport().width()


def test_a_file_that_is_not_a_pdf_is_one_line_and_no_crash(qtbot: QtBot) -> None:
    preview = _preview(qtbot, b"PK\x03\x04 a docx")
    assert preview.page_total == 0 and "无法读取该 PDF" in preview.message.text()
    assert not preview.print_button.isEnabled()


def test_printing_to_a_pdf_printer_prints_every_page(qtbot: QtBot, long_pdf: bytes, tmp_path: Path) -> None:
    preview = _preview(qtbot, long_pdf)
    target = tmp_path / "printed.pdf"
    assert preview.print_to(_pdf_printer(target))
    assert preview.printed == _pages(long_pdf) == _pages(target.read_bytes())
    assert "已送出打印" in preview.message.text()
    page = PdfReader(target).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4, true size


def test_printing_a_page_range(qtbot: QtBot, long_pdf: bytes, tmp_path: Path) -> None:
    preview = _preview(qtbot, long_pdf)
    printer = _pdf_printer(tmp_path / "two.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert preview.print_to(printer) and _pages((tmp_path / "two.pdf").read_bytes()) == 2


def test_printing_prints_what_before_print_returns_or_nothing(qtbot: QtBot, long_pdf: bytes, tmp_path: Path) -> None:
    one_page = render("intake-form", samples.intake(), "pdf")
    preview = _preview(qtbot, long_pdf, before_print=lambda shown: one_page)
    assert preview.print_to(_pdf_printer(tmp_path / "issued.pdf"))
    assert _pages((tmp_path / "issued.pdf").read_bytes()) == _pages(one_page)
    refused = _preview(qtbot, long_pdf, before_print=lambda shown: None)
    assert not refused.print_to(_pdf_printer(tmp_path / "refused.pdf")) and not (tmp_path / "refused.pdf").exists()


def test_pages_are_rendered_off_the_gui_thread(qtbot: QtBot, long_pdf: bytes) -> None:
    """With the real thread pool the window opens empty and the first page arrives later."""
    preview = PrintPreview(None, "后台", lambda _job: long_pdf)
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: preview.shown_page == 1, timeout=30_000)
    preview.next.click()
    qtbot.waitUntil(lambda: preview.shown_page == 2, timeout=30_000)


# --- where it opens -----------------------------------------------------------------------------

def _count(window: MainWindow) -> int:
    with window.ctx.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(IssuedDocument)) or 0)


def test_document_dialog_previews_a_draft_and_printing_issues_it(qtbot: QtBot, window: MainWindow,
                                                                 tmp_path: Path) -> None:
    case = written_case(window.ctx.db)
    dialog = DocumentDialog(window.ctx, case.id, case.number, window, start_job=_immediately)
    qtbot.addWidget(dialog)
    dialog.choose("agreement", "docx")
    preview = dialog.open_preview()
    assert preview.page_total >= 1 and "未出具" in preview.windowTitle() and _count(window) == 0
    target = tmp_path / "printed.pdf"
    assert preview.print_to(_pdf_printer(target))
    with window.ctx.db.read() as s:
        row = s.scalars(select(IssuedDocument)).one()
        assert row.kind == "agreement" and row.file_format == "docx" and row.pdf_twin_sha256
        twin = get_blob(s, row.pdf_twin_sha256)
    assert _pages(target.read_bytes()) == _pages(twin)  # what was printed is the issued twin
    assert "已出具并送出打印" in dialog.message.text()


def test_ledger_preview_shows_pages_and_printing_files_that_pdf(qtbot: QtBot, window: MainWindow,
                                                               tmp_path: Path) -> None:
    dialog = LedgerExportDialog(window.ctx, window, start_job=_immediately)
    qtbot.addWidget(dialog)
    preview = dialog.open_preview()
    assert preview is not None and preview.page_total >= 1
    shown = preview.pages.data
    printer = _pdf_printer(tmp_path / "ledger.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(1, 1)  # the demo ledger has dozens of pages; one shows the path
    assert preview.print_to(printer)
    page = PdfReader(tmp_path / "ledger.pdf").pages[0]
    assert page.mediabox.width > page.mediabox.height  # the landscape ledger prints landscape
    with window.ctx.db.read() as s:
        row = s.scalars(select(IssuedDocument).where(IssuedDocument.kind == "ledger")).one()
        assert row.sha256 == hashlib.sha256(shown).hexdigest() and get_blob(s, row.sha256) == shown


@pytest.fixture
def issued_agreement(window: MainWindow) -> tuple[int, bytes]:
    case = written_case(window.ctx.db)
    with window.ctx.db.write.begin() as s:
        data, view = issue(s, "agreement", case.id, "docx", Actor())
    window.select_case(case.id)
    return view.id, data


def _issued_tab(window: MainWindow):  # the case detail's 已出具文书 tab, run synchronously
    view = window.detail.issued
    view.start_job = _immediately
    window.detail.tabs.setCurrentWidget(view)
    return view


def test_the_issued_list_opens_prints_and_saves_the_kept_file(qtbot: QtBot, window: MainWindow, dialogs,
                                                               issued_agreement, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    issued_id, data = issued_agreement
    view = _issued_tab(window)
    assert [k.view.id for k in view.kept] == [issued_id] and view.selected().view.id == issued_id
    assert view.model.rows[0][6] == "已留存" and "PDF 副本" in view.model.rows[0][3]
    preview = view.open_selected()
    qtbot.addWidget(preview)
    with window.ctx.db.read() as s:
        twin = get_blob(s, s.get(IssuedDocument, issued_id).pdf_twin_sha256)
    assert preview.pages.data == twin and preview.page_total == _pages(twin)
    printed = tmp_path / "reprint.pdf"

    def choose(self: PrintPreview, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(PrintPreview, "choose_printer", choose)
    reprint = view.print_selected()
    qtbot.addWidget(reprint)
    assert reprint.printed == _pages(twin) == _pages(printed.read_bytes())
    dialogs.answers = [str(tmp_path / "另存")]
    saved = view.save_selected()
    assert saved == tmp_path / "另存.docx" and saved.read_bytes() == data  # byte for byte, same SHA-256


def test_the_issued_list_refuses_a_role_without_the_permission(qtbot: QtBot, demo_db, issued_agreement) -> None:
    issued_id, _data = issued_agreement
    grid_worker = make_users(demo_db)[Role.GRID_WORKER]
    dialogs = RecordingDialogs()
    other = build_main_window(demo_db, dialogs, grid_worker.user_id)
    qtbot.addWidget(other)
    other.show()
    other.select_case(written_case(demo_db).id)
    view = _issued_tab(other)
    assert [k.view.id for k in view.kept] == [issued_id]
    assert view.open_selected() is None and "完整证件号" in dialogs.texts


def test_printing_an_issued_document_twice_gives_the_same_pages(qtbot: QtBot, window: MainWindow,
                                                               issued_agreement, tmp_path: Path) -> None:
    """Reprints come from the store: the two printouts' text is the same, and the register
    records no new document."""
    view = _issued_tab(window)
    before = _count(window)
    outputs: list[bytes] = []
    for n in range(2):
        preview = view.open_selected()
        qtbot.addWidget(preview)
        path = tmp_path / f"{n}.pdf"
        assert preview.print_to(_pdf_printer(path))
        outputs.append(path.read_bytes())
    assert _count(window) == before and _pages(outputs[0]) == _pages(outputs[1])


def test_printing_issued_text_matches_the_register(window: MainWindow, issued_agreement) -> None:
    issued_id, _data = issued_agreement
    with window.ctx.db.read() as s:
        row = s.get(IssuedDocument, issued_id)
        assert row.number in pdf_text(get_blob(s, row.pdf_twin_sha256))
