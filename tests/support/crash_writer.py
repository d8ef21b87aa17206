"""The writer killed by the crash test and bench: saves continuously and reports each save only
after its transaction has committed (one line per acknowledged save, written straight to a file
so a SIGKILL cannot lose an acknowledgement that was already reported).

Lines: `c ID` a registered case; `v N` the edited case reached version N."""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path
from typing import Any

from models.cases.editing import save_case_edits
from models.cases.entities import Case
from models.cases.service import register_case
from models.db import open_database
from tests.support.factories import ACTOR, draft


def write_forever(url: str, ack_path: str, committee_id: int, case_id: int, ready: Any = None) -> None:
    db = open_database(url, upgrade=False)
    rng = random.Random(os.getpid())
    fd = os.open(ack_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    with db.read() as s:
        s.get(Case, case_id)  # connected: the kill timer starts now, not during start-up
    if ready is not None:
        ready.set()
    while True:
        if rng.random() < 0.5:
            with db.write.begin() as s:
                line = f"c {register_case(s, draft(committee_id), ACTOR).id}\n"
        else:
            with db.write.begin() as s:
                base = s.get(Case, case_id, populate_existing=True).version
                line = f"v {save_case_edits(s, case_id, base, {'facts': f'第{base}次修改'}, ACTOR)}\n"
        os.write(fd, line.encode())  # after commit: this save is acknowledged


def kill_rounds(url: str, ack_path: Path, committee_id: int, case_id: int, rounds: int,
                min_ms: float = 20, max_ms: float = 70, seed: int = 1) -> float:
    """Start a writer, SIGKILL it after a random moment, `rounds` times; returns seconds taken."""
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    rng = random.Random(seed)
    started = time.perf_counter()
    for _ in range(rounds):
        ready = ctx.Event()
        proc = ctx.Process(target=write_forever, args=(url, str(ack_path), committee_id, case_id, ready), daemon=True)
        proc.start()
        ready.wait(10)
        time.sleep(rng.uniform(min_ms, max_ms) / 1000)
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        proc.close()
    return time.perf_counter() - started


def read_acks(ack_path: Path) -> tuple[set[int], int]:
    """Acknowledged case ids and the highest acknowledged version (a torn last line is ignored)."""
    cases: set[int] = set()
    version = 0
    text = ack_path.read_text() if ack_path.exists() else ""
    for line in text.splitlines(keepends=True):
        if not line.endswith("\n"):
            continue
        kind, value = line.split()
        if kind == "c":
            cases.add(int(value))
        else:
            version = max(version, int(value))
    return cases, version


if __name__ == "__main__":
    write_forever(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
