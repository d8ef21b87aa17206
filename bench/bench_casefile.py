"""The case file: how fast a 100-attachment case lists its files in the 卷宗 tab, and how long a
200-page dossier PDF takes and how much memory it needs (peak RSS above the start, sampled).

Usage: python bench/bench_casefile.py [OUT_DIR]   (offscreen Qt unless QT_QPA_PLATFORM is set).
Builds its own SQLite database in a temporary folder: one case with 100 distinct files (scans as
JPEG and multi-page PDFs), then dossiers of about 100 and 200 item pages, to show memory flat."""

from __future__ import annotations

import io
import os
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path


def _rss_mb() -> float:
    with open("/proc/self/statm") as stream:
        return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576


class PeakRss:
    """Samples the resident set every 20 ms while the block runs."""

    def __enter__(self) -> PeakRss:
        self.start, self.peak, self._stop = _rss_mb(), _rss_mb(), threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _scan(i: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (1240, 1754), 240 - i % 20)  # an A4 page at 150 dpi
    draw = ImageDraw.Draw(image)
    for y in range(120, 1650, 44):
        draw.line((100, y, 1100 - (y * i) % 300, y), fill=60, width=3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def _pdf(i: int, pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    for p in range(pages):
        page.setFont("Helvetica", 12)
        for line in range(40):
            page.drawString(72, 780 - line * 18, f"Exhibit {i} page {p + 1} line {line} " + "x" * 40)
        page.showPage()
    page.save()
    return out.getvalue()


def _case(db) -> int:
    from models.cases.service import register_case
    from models.dto import Actor, CaseDraft, PartyInput
    from models.org.entities import Committee, Desk
    from models.org.reference import ensure_reference_data

    with db.write.begin() as s:
        ensure_reference_data(s)
        code = f"基准{s.query(Committee).count() + 1}"
        desk = Desk(name=f"{code}窗口")
        s.add(desk)
        s.flush()
        committee = Committee(name=f"{code}人民调解委员会", kind="人民调解委员会", code=code, desk_id=desk.id)
        s.add(committee)
        s.flush()
        parties = (PartyInput(side="申请方", name="张三"), PartyInput(side="被申请方", name="李四"))
        draft = CaseDraft(committee_id=committee.id, source_channel="来访", dispute_type_code="02", summary="基准案件",
                          received_date=date(2026, 10, 8), parties=parties)
        return register_case(s, draft, Actor()).id


def _fill(db, case_id: int, files: int, pdf_pages: int) -> int:
    from models.casefile.attachments import add_attachment
    from models.dto import Actor

    pages = 0
    with db.write.begin() as s:
        for i in range(files):
            if i % 2:
                data, name = _pdf(i, pdf_pages), f"证据{i}.pdf"
            else:
                data, name = _scan(i), f"扫描{i}.jpg"
            pages += add_attachment(s, case_id, filename=name, data=data, category="证据材料", actor=Actor(),
                                    description=f"材料{i}").pages
    return pages


def main(out_dir: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.case_file_view import CaseFileView
    from desktop.context import build_context
    from models.casefile.dossier import build_dossier
    from models.db import open_database
    from models.dto import Actor

    app = QApplication.instance() or QApplication([])
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/bench.db")
        big = _case(db)
        _fill(db, big, 100, 3)
        pending: list = []
        view = CaseFileView(build_context(db), start=pending.append)
        view.show_case(big)  # warm-up (imports, first query)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            view.show_case(big)
            app.processEvents()
            times.append(time.perf_counter() - started)
        started = time.perf_counter()
        pending[-1].run()
        thumbs = time.perf_counter() - started
        print(f"100-attachment file list: best {min(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms "
              f"(thumbnails off the GUI thread: {thumbs:.2f} s)")
        for files in (34, 67):  # about 100 and 200 item pages (JPEG pages + 5-page PDFs)
            case_id = _case(db)
            pages = _fill(db, case_id, files, 5)
            with PeakRss() as rss, db.write.begin() as s:
                started = time.perf_counter()
                result = build_dossier(s, case_id, folder / f"dossier-{pages}.pdf", Actor())
                took = time.perf_counter() - started
            size = result.path.stat().st_size / 1048576
            print(f"dossier of {pages} item pages ({result.pages} in all, {size:.1f} MB): {took:.1f} s, "
                  f"peak RSS +{rss.peak - rss.start:.0f} MB")
        db.engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/out")
