"""Document rendering benchmark (run on demand, not part of the tests).

    .venv/bin/python bench/bench_documents.py            # all measurements
    .venv/bin/python bench/bench_documents.py --quick    # skip the 50k run

Each ledger run happens in a fresh subprocess so peak RSS (ru_maxrss) belongs to that run alone.
Targets: 10k DOCX ≤ 5 s, 10k PDF ≤ 5 s, 50k PDF ≤ 30 s with RSS growing slower than rows,
agreement ≤ 0.3 s warm. Wall and CPU seconds are both printed: the dev VM is often shared.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {("ledger", "docx", 10_000): 5.0, ("ledger", "pdf", 10_000): 5.0, ("ledger", "pdf", 50_000): 30.0}


def measure(kind: str, fmt: str, rows: int) -> dict:
    """Runs inside the child process."""
    from templates.render import render
    from templates.samples import SAMPLES, ledger

    render(kind, SAMPLES[kind]() if kind != "ledger" else ledger(10), fmt)  # type: ignore[arg-type]  # fmt: "pdf"/"docx" from argv
    context = ledger(rows) if kind == "ledger" else SAMPLES[kind]()
    wall, cpu = time.perf_counter(), time.process_time()
    data = render(kind, context, fmt)  # type: ignore[arg-type]  # fmt: "pdf"/"docx" from argv
    return {
        "kind": kind,
        "fmt": fmt,
        "rows": rows,
        "wall_s": round(time.perf_counter() - wall, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
        "bytes": len(data),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_child(kind: str, fmt: str, rows: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, fmt, str(rows)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def libreoffice_comparison() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("LibreOffice: soffice not found, comparison skipped")
        return
    from templates.render import render_to_file
    from templates.samples import agreement

    with tempfile.TemporaryDirectory() as tmp:
        docx = render_to_file("agreement", agreement(), "docx", Path(tmp) / "agreement.docx")
        start = time.perf_counter()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(docx),
            ],
            capture_output=True,
            check=False,
            timeout=300,
        )
        print(f"LibreOffice agreement DOCX→PDF: {time.perf_counter() - start:.2f} s")


def main(quick: bool) -> None:
    plan = [("agreement", "pdf", 1), ("agreement", "docx", 1), ("ledger", "docx", 10_000), ("ledger", "pdf", 10_000)]
    if not quick:
        plan.append(("ledger", "pdf", 50_000))
    results = [run_child(*step) for step in plan]
    for result in results:
        target = TARGETS.get(
            (result["kind"], result["fmt"], result["rows"]), 0.3 if result["kind"] == "agreement" else None
        )
        verdict = "" if target is None else ("OK" if result["wall_s"] <= target else f"OVER target {target} s")
        print(json.dumps(result, ensure_ascii=False), verdict)
    pdf = {r["rows"]: r for r in results if r["kind"] == "ledger" and r["fmt"] == "pdf"}
    if 10_000 in pdf and 50_000 in pdf:
        growth = pdf[50_000]["peak_rss_mb"] / pdf[10_000]["peak_rss_mb"]
        print(f"RSS 10k→50k: ×{growth:.2f} for ×5 rows ({'OK' if growth < 5 else 'grows faster than rows'})")
    libreoffice_comparison()


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
    else:
        main(quick="--quick" in sys.argv)
