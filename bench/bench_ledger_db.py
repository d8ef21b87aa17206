"""Ledger export from the database benchmark (run on demand, not part of the tests).

    .venv/bin/python bench/bench_ledger_db.py [--db bench/out/cases-1m.db] [--quick]

Exports the 台账 of ~10,000 and ~50,000 cases (a received-date range found by bisection on the
1M-case database) to PDF and DOCX through models.documents.service — rows streamed in keyset chunks — and
prints wall/CPU seconds and peak RSS. Each export runs in a fresh subprocess so ru_maxrss is its
own. Read-only: the database is opened without migrating and nothing is recorded.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

DEFAULT_DB = Path(__file__).parent / "out" / "cases-1m.db"


def _open(path: str):
    from models.db import open_database

    return open_database(f"sqlite:///{path}", upgrade=False)


def find_period(path: str, rows: int) -> tuple[date, date, int]:
    """The shortest period from the earliest received date holding at least `rows` cases."""
    from sqlalchemy import func, select

    from models.cases.entities import Case

    db = _open(path)
    with db.read() as s:
        first = s.scalar(select(func.min(Case.received_date)))
        last = s.scalar(select(func.max(Case.received_date)))

        def count(end: date) -> int:
            return int(s.scalar(select(func.count()).select_from(Case).where(Case.received_date.between(first, end))))

        low, high = 0, (last - first).days
        while low < high:
            middle = (low + high) // 2
            if count(first + timedelta(days=middle)) >= rows:
                high = middle
            else:
                low = middle + 1
        end = first + timedelta(days=low)
        return first, end, count(end)


def measure(path: str, fmt: str, start: str, end: str) -> dict:
    """Runs inside the child process."""
    from models.documents.service import LedgerFilter, ledger_context, render_ledger

    db = _open(path)
    flt = LedgerFilter(date_from=date.fromisoformat(start), date_to=date.fromisoformat(end))
    wall, cpu = time.perf_counter(), time.process_time()
    with db.read() as s:
        context = ledger_context(s, flt, "基准测试")
        data = render_ledger(context, fmt)  # type: ignore[arg-type]  # fmt: "pdf"/"docx" from argv
    return {
        "fmt": fmt,
        "rows": len(context.rows),
        "wall_s": round(time.perf_counter() - wall, 2),
        "cpu_s": round(time.process_time() - cpu, 2),
        "mb": round(len(data) / 1e6, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_child(path: str, fmt: str, start: date, end: date) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", path, fmt, start.isoformat(), end.isoformat()],
        capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(path: str, quick: bool) -> None:
    sizes = (10_000,) if quick else (10_000, 50_000)
    for rows in sizes:
        start, end, found = find_period(path, rows)
        print(f"period {start}..{end}: {found} cases")
        for fmt in ("pdf", "docx"):
            print(json.dumps(run_child(path, fmt, start, end), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])))
    else:
        args = sys.argv[1:]
        db_path = args[args.index("--db") + 1] if "--db" in args else str(DEFAULT_DB)
        main(db_path, quick="--quick" in args)
