"""Write the ledger samples into docs/samples/: PDF (A4 and A3), DOCX, XLSX, first-page PNGs
(pdftoppm), and the DOCX as LibreOffice renders it (soffice --headless --convert-to pdf → PNG).

Run: .venv/bin/python bench/make_ledger_samples.py [outdir]
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from templates.render import render_to_file
from templates.samples import ledger


def _png(pdf: Path, stem: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run([pdftoppm, "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                       check=True)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    context = ledger(40)
    for fmt in ("pdf", "docx", "xlsx"):
        print(render_to_file("ledger", context, fmt, out / f"ledger.{fmt}"))
    _png(out / "ledger.pdf", out / "ledger")
    a3 = render_to_file("ledger", dataclasses.replace(context, paper="A3"), "pdf", out / "ledger-a3.pdf")
    _png(a3, out / "ledger-a3")
    soffice = shutil.which("soffice")
    if soffice:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                            "--outdir", tmp, str(out / "ledger.docx")], capture_output=True, check=False, timeout=300)
            converted = Path(tmp) / "ledger.pdf"
            if converted.exists():
                _png(converted, out / "ledger-docx-libreoffice")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs" / "samples")
