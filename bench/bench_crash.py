"""Crash bench: 1,000 SIGKILL rounds (default) against a writer doing continuous saves, then the
same checks as tests/test_security_crash.py, with figures.

Run from the repository root: .venv/bin/python -m bench.bench_crash [ROUNDS] [DB_URL]"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from models.db import open_database
from models.org.reference import ensure_reference_data
from tests.support.crash_writer import kill_rounds
from tests.test_security_crash import check_after_crashes, prepare


def main(rounds: int = 1000, url: str | None = None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="crash-bench-"))
    url = url or f"sqlite:///{folder / 'crash.db'}"
    db = open_database(url)
    with db.write.begin() as session:
        ensure_reference_data(session)
    committee_id, case_id = prepare(db)
    ack = folder / "acks.txt"
    seconds = kill_rounds(url, ack, committee_id, case_id, rounds)
    started = time.perf_counter()
    figures = check_after_crashes(db, ack, committee_id, case_id)
    print(f"rounds={rounds} kill_seconds={seconds:.1f} ms_per_round={1000 * seconds / rounds:.0f} "
          f"acknowledged_saves={figures['acknowledged']} cases={figures['cases']} audit_rows={figures['audit_rows']} "
          f"lost=0 integrity=ok chain=ok check_seconds={time.perf_counter() - started:.1f} db={url}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, sys.argv[2] if len(sys.argv) > 2 else None)
