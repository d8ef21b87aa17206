"""Write every document kind as PDF + DOCX into docs/samples/, plus a first-page PNG (pdftoppm).

Run: .venv/bin/python bench/make_samples.py [outdir]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from templates.render import render_to_file
from templates.samples import SAMPLES


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    for kind, make_context in SAMPLES.items():
        for fmt in ("pdf", "docx"):
            path = render_to_file(kind, make_context(), fmt, out_dir / f"{kind}.{fmt}")
            print(path)
        if pdftoppm:
            subprocess.run(
                [
                    pdftoppm,
                    "-r",
                    "60",
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(out_dir / f"{kind}.pdf"),
                    str(out_dir / kind),
                ],
                check=True,
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs" / "samples")
