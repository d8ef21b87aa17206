"""The 诉调对接 register load: statements sent and time, per-row views (before: one referral_view per
row, as list_register did until issue 11) against the batched list_register (after).

Builds the demo (320 cases) in a temporary SQLite file, or uses the database given.
Usage: python bench/bench_liaison_register.py [sqlite:///path.db]"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from models.db import Database, open_database
from models.demo.cases import seed_demo
from models.liaison.service import list_register, referral_view
from models.workflow.entities import CourtReferral

REPEAT = 5


def per_row(session: Any) -> list[Any]:
    """The old register load: the ids, then every row's view on its own (3–7 statements a row)."""
    ids = session.scalars(select(CourtReferral.case_id).order_by(CourtReferral.referred_on.desc(),
                                                                 CourtReferral.id.desc()))
    return [referral_view(session, case_id) for case_id in ids]


def measure(db: Database, load: Callable[[Any], list[Any]]) -> tuple[int, int, float]:
    counted = [0]

    def count(*_args: Any) -> None:
        counted[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    with db.read() as session:
        rows = len(load(session))
    event.remove(db.engine, "before_cursor_execute", count)
    times = []
    for _ in range(REPEAT):
        with db.read() as session:
            started = time.perf_counter()
            load(session)
            times.append(time.perf_counter() - started)
    return rows, counted[0], min(times)


def main(url: str | None) -> None:
    if url is None:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench-liaison.db'}"
        db = open_database(url)
        with db.write.begin() as session:
            seed_demo(session)
    else:
        db = open_database(url)
    for name, load in (("before (per row)", per_row), ("after (batched)", lambda s: list_register(s))):
        rows, statements, seconds = measure(db, load)
        print(f"{name:18} rows={rows:4}  statements={statements:5}  best of {REPEAT}: {seconds * 1000:7.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
