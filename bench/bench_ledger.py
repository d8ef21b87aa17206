"""Ledger (台账) rendering against its floors (run on demand, not part of the tests).

    .venv/bin/python bench/bench_ledger.py            # 10k PDF/DOCX/XLSX, floors, 50k PDF
    .venv/bin/python bench/bench_ledger.py --quick    # skip the 50k run

Targets (issue #12): 10,000 rows PDF ≤ 5 s and ≤ 2× a drawing floor measured in the same run
(reportlab's canvas drawing the same cell lines at fixed positions, no layout); DOCX ≤ 2 s and
≤ 2× writing the same table XML directly; XLSX ≤ 3 s; 50,000 rows PDF ≤ 30 s with peak RSS flat
in the rows. Every measurement runs in a fresh subprocess so ru_maxrss is its own. Rows are
the generated sample rows (templates.samples), 2–4 parties each, IDs and phones masked.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import cast
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGETS = {("pdf", 10_000): 5.0, ("docx", 10_000): 2.0, ("xlsx", 10_000): 3.0, ("pdf", 50_000): 30.0}


def _context(rows: int):
    from templates.context import LedgerContext, LedgerRow
    from templates.samples import LazyRows, ledger_row

    class Rows(LazyRows):
        def __getitem__(self, index):
            if isinstance(index, slice):
                return [self[i] for i in range(*index.indices(self.count))]
            if not 0 <= index < self.count:
                raise IndexError(index)
            row = ledger_row(index)
            extra = index % 3  # 2 to 4 parties, an ID and phone for some of them
            names = (*row.parties, *(f"第三人{index % 71}之{k}" for k in range(extra)))
            return replace(row, parties=names, id_numbers=row.id_numbers + ("",) * extra,
                           phones=row.phones + tuple(f"1380000{k:04d}" for k in range(extra)))

    return LedgerContext(reporting_unit="玉门市社会治理服务中心", reporter="孙丽", report_date=None,
                         rows=cast(Sequence[LedgerRow], Rows(rows)), filter_description="期间：不限至不限")


def _cells(rows: int):
    """The ledger's printed cells (A4 set), as the renderers get them."""
    from templates import blocks as b
    from templates.kinds.ledger import build

    table = next(x for x in build(_context(rows)).blocks if isinstance(x, b.LedgerTable))
    return table


def floor_lines(rows: int) -> list[list[list[str]]]:
    """The cell lines the ledger prints (its own layout, computed before the floor's clock starts)."""
    from reportlab.lib.pagesizes import A4, landscape

    from templates.fonts import get_fontset
    from templates.ledger_pdf import MARGINS, LedgerState

    page = landscape(A4)
    state = LedgerState(_cells(rows), get_fontset(), page[0] - MARGINS["left"] - MARGINS["right"], 500.0)
    found = []
    for index in range(rows):
        found.append(state.row(index)[0])
        state.cache.pop(index, None)
    return found


def pdf_floor(lines: list[list[list[str]]]) -> bytes:
    """reportlab's canvas drawing those same lines at fixed positions: no breaking, no measuring."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    from templates.fonts import get_fontset

    fonts = get_fontset()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4))
    x_step = 700 / len(lines[0])
    y = 540.0
    text = canvas.beginText()
    text.setFont(fonts.primary, 9)
    for row in lines:
        height = max(len(cell) for cell in row)
        if y - height * 11.7 < 60:
            canvas.drawText(text)
            canvas.showPage()
            text = canvas.beginText()
            text.setFont(fonts.primary, 9)
            y = 540.0
        for column, cell in enumerate(row):
            line_y = y
            for line in cell:
                if line:
                    text.setTextOrigin(40 + column * x_step, line_y)
                    text.textOut(line)
                line_y -= 11.7
        y -= height * 11.7
    canvas.drawText(text)
    canvas.save()
    return buffer.getvalue()


def docx_floor(rows: int) -> bytes:
    """The same table as bare WordprocessingML, written directly into a zip: no styles, no merging."""
    from templates.kinds.ledger import cell_text

    table = _cells(rows)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("word/document.xml", "w") as stream:
        stream.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                     b"<w:body><w:tbl>")
        for start in range(0, len(table.rows), 1000):
            chunk = table.rows[start : start + 1000]
            stream.write("".join(
                "<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(cell_text(v))}</w:t></w:r></w:p></w:tc>" for v in row)
                + "</w:tr>" for row in chunk).encode())
        stream.write(b"</w:tbl></w:body></w:document>")
    return out.getvalue()


def measure(what: str, rows: int) -> dict:
    """Runs inside the child process."""
    from templates.render import render

    render("ledger", _context(20), "pdf")  # fonts and modules loaded before the clock starts
    lines = floor_lines(rows) if what == "pdf-floor" else []
    wall, cpu = time.perf_counter(), time.process_time()
    if what == "pdf-floor":
        data = pdf_floor(lines)
    elif what == "docx-floor":
        data = docx_floor(rows)
    else:
        data = render("ledger", _context(rows), what)  # type: ignore[arg-type]  # pdf/docx/xlsx from argv
    return {"what": what, "rows": rows, "wall_s": round(time.perf_counter() - wall, 3),
            "cpu_s": round(time.process_time() - cpu, 3), "bytes": len(data),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def run_child(what: str, rows: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", what, str(rows)], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(quick: bool) -> None:
    plan = [("pdf", 10_000), ("pdf-floor", 10_000), ("docx", 10_000), ("docx-floor", 10_000), ("xlsx", 10_000)]
    if not quick:
        plan.append(("pdf", 50_000))
    results = {(what, rows): run_child(what, rows) for what, rows in plan}
    for (what, rows), result in results.items():
        target = TARGETS.get((what, rows))
        verdict = "" if target is None else ("OK" if result["wall_s"] <= target else f"OVER target {target} s")
        print(json.dumps(result, ensure_ascii=False), verdict)
    for fmt in ("pdf", "docx"):
        ratio = results[(fmt, 10_000)]["cpu_s"] / results[(f"{fmt}-floor", 10_000)]["cpu_s"]
        print(f"{fmt} 10k ÷ its floor (CPU): ×{ratio:.2f} ({'OK' if ratio <= 2 else 'over 2×'})")
    if ("pdf", 50_000) in results:
        growth = results[("pdf", 50_000)]["peak_rss_mb"] / results[("pdf", 10_000)]["peak_rss_mb"]
        print(f"PDF peak RSS 10k→50k: ×{growth:.2f} for ×5 rows ({'flat' if growth < 1.5 else 'grows'})")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], int(sys.argv[3]))))
    else:
        main(quick="--quick" in sys.argv)
