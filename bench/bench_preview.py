"""Print preview benchmark (issue #12; run on demand, not part of the tests).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_preview.py [--runs 5]

Target: the first page of an agreement's preview ≤ 0.5 s. Measured over the demo database, from
the 预览/打印 click to page 1 drawn: read the context, render the draft PDF, open it in PDFium,
render page 1 at 100 % (96 dpi) and show it (the PrintPreview window, its jobs run in place).
"cold" is the first preview of a fresh process (renderers, fonts and PDFium load then: the app
imports none of them at start-up); "warm" the following ones. Each stage is also timed alone, plus
printing the agreement to a PDF printer at 300 dpi and the first page of the demo ledger."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _demo(folder: Path) -> str:
    from models.db import open_database
    from models.demo.cases import seed_demo

    url = f"sqlite:///{folder / 'demo.db'}"
    db = open_database(url)
    with db.write.begin() as session:
        seed_demo(session)
    db.engine.dispose()
    return url


def child(url: str, runs: int) -> dict:
    """One process: the cold preview first, then warm ones and the stages."""
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from desktop.context import build_context
    from models.db import open_database

    db = open_database(url)
    ctx = build_context(db)
    case_id, number = _agreement_case(db)
    cold = _preview_once(ctx, case_id, number, app)
    figures: dict = {"cold_s": cold[0], "cold_cpu_s": cold[1]}
    warm = [_preview_once(ctx, case_id, number, app) for _ in range(runs)]
    walls, cpus = [w for w, _ in warm], [c for _, c in warm]
    figures["warm_s"] = {"median": statistics.median(walls), "min": min(walls), "max": max(walls)}
    figures["warm_cpu_s"] = {"median": statistics.median(cpus), "min": min(cpus), "max": max(cpus)}
    figures["stages_s"] = _stages(db, case_id)
    figures["print"] = _print(db, case_id)
    figures["ledger_first_page_s"] = _ledger_first_page(db)
    return figures


def _agreement_case(db: Any) -> tuple[int, str]:
    from sqlalchemy import select

    from models.cases.agreements import Agreement
    from models.cases.entities import Case

    with db.read() as s:
        row = s.execute(select(Case.id, Case.number).join(Agreement, Agreement.case_id == Case.id)
                        .where(Agreement.oral.is_(False)).order_by(Case.id)).first()
    assert row is not None
    return row.id, row.number


def _preview_once(ctx: Any, case_id: int, number: str, app: Any) -> tuple[float, float]:
    """The 预览/打印 click on the document dialog until page 1 is on screen: wall and CPU seconds
    (the jobs run in place, so CPU time is this path's own work, whatever the machine's load)."""
    from desktop.document_dialog import DocumentDialog

    dialog = DocumentDialog(ctx, case_id, number, start_job=lambda job: job.run())
    dialog.choose("agreement", "pdf")
    start, cpu = time.perf_counter(), time.process_time()
    preview = dialog.open_preview()
    app.processEvents()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert preview.shown_page == 1, preview.message.text()
    preview.close()
    dialog.deleteLater()
    app.processEvents()
    return round(elapsed, 3), round(cpu, 3)


def _timed(work: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = work()
    return round(time.perf_counter() - start, 4), value


def _stages(db: Any, case_id: int) -> dict:
    from desktop.pdf_pages import PdfPages
    from models.documents.service import document_context
    from templates.render import render

    def context() -> Any:
        with db.read() as s:
            return document_context(s, "agreement", case_id)

    t_context, ctx = _timed(context)
    t_render, data = _timed(lambda: render("agreement", ctx, "pdf"))
    t_open, pages = _timed(lambda: PdfPages(data))
    t_page, _ = _timed(lambda: pages.image(0, 96 / 72))
    t_page_300, _ = _timed(lambda: pages.image(0, 300 / 72))
    return {"context": t_context, "render_pdf": t_render, "pdfium_open": t_open, "page1_96dpi": t_page,
            "page1_300dpi": t_page_300, "pages": len(pages)}


def _print(db: Any, case_id: int) -> dict:
    from PySide6.QtPrintSupport import QPrinter

    from desktop.pdf_pages import PdfPages, fit_printer, print_pages
    from models.documents.service import document_context
    from templates.render import render

    with db.read() as s:
        data = render("agreement", document_context(s, "agreement", case_id), "pdf")
    pages = PdfPages(data)
    with tempfile.TemporaryDirectory() as folder:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(Path(folder) / "printed.pdf"))
        fit_printer(printer, pages)
        seconds, count = _timed(lambda: print_pages(pages, printer))
        size = (Path(folder) / "printed.pdf").stat().st_size
    return {"pages": count, "seconds": seconds, "per_page_s": round(seconds / max(1, count), 3),
            "pdf_mb": round(size / 1e6, 2)}


def _ledger_first_page(db: Any) -> dict:
    from desktop.pdf_pages import PdfPages
    from models.documents.service import LedgerFilter, ledger_context, render_ledger

    def render() -> tuple[int, bytes]:
        with db.read() as s:
            context = ledger_context(s, LedgerFilter(), "基准")
            return len(context.rows), render_ledger(context, "pdf")

    t_render, built = _timed(render)
    rows, data = built
    t_open, pages = _timed(lambda: PdfPages(data))
    t_page, _ = _timed(lambda: pages.image(0, 96 / 72))
    return {"rows": rows, "pages": len(pages), "render_pdf": t_render, "pdfium_open": t_open,
            "page1": t_page, "total": round(t_render + t_open + t_page, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", metavar="URL")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runs), ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory() as folder:
        url = _demo(Path(folder))
        out = subprocess.run([sys.executable, __file__, "--child", url, "--runs", str(args.runs)],
                             capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    print(f"agreement preview, first page: cold {figures['cold_s']} s (CPU {figures['cold_cpu_s']} s), warm median "
          f"{figures['warm_s']['median']} s (CPU {figures['warm_cpu_s']['median']} s; target 0.5 s); "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
