"""Write document kinds as PDF + DOCX into docs/samples/, a PNG of every PDF page (pdftoppm), and
the DOCX as LibreOffice renders it (`soffice --headless --convert-to pdf`, then its pages as PNG).

Run: .venv/bin/python bench/make_samples.py [--kinds agreement,rights-notice] [outdir]
Without --kinds every kind is written. Missing tools (pdftoppm, soffice) are skipped with a note.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from templates.render import render_to_file
from templates.samples import SAMPLES


def pages_to_png(pdf: Path, stem: Path) -> None:
    """stem-1.png, stem-2.png … (pdftoppm numbers the pages itself)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm not found: no PNGs")
        return
    for old in stem.parent.glob(f"{stem.name}-*.png"):
        old.unlink()
    subprocess.run([pdftoppm, "-r", "60", "-png", str(pdf), str(stem)], check=True)


def docx_as_libreoffice_renders_it(docx: Path, out_dir: Path, kind: str) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not found: no LibreOffice rendering")
        return
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", work, str(docx)],
                       check=True, capture_output=True, timeout=300)
        converted = out_dir / f"{kind}.docx.pdf"
        shutil.move(str(Path(work) / f"{docx.stem}.pdf"), converted)
    pages_to_png(converted, out_dir / f"{kind}.docx")


def main(out_dir: Path, kinds: list[str]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for kind in kinds:
        make_context = SAMPLES[kind]
        for fmt in ("pdf", "docx"):
            print(render_to_file(kind, make_context(), fmt, out_dir / f"{kind}.{fmt}"))
        pages_to_png(out_dir / f"{kind}.pdf", out_dir / kind)
        docx_as_libreoffice_renders_it(out_dir / f"{kind}.docx", out_dir, kind)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kinds", help="comma-separated kinds (default: all)")
    parser.add_argument("out_dir", nargs="?", type=Path,
                        default=Path(__file__).resolve().parent.parent / "docs" / "samples")
    args = parser.parse_args()
    main(args.out_dir, args.kinds.split(",") if args.kinds else list(SAMPLES))
