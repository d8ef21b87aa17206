"""The main window's refresh after a stage change: the time from `case_changed` (what the command
runner emits once a move is committed) until every view that listens has refreshed.

Usage: python bench/bench_refresh.py DEMO_DB_FILE [RUNS]   (offscreen Qt unless QT_QPA_PLATFORM is
set). The file is not changed: each layout works on its own copy, and each run moves one of the
copy's 诊 cases on to 调 (the demo has five, so RUNS ≤ 5; repeat the command for more samples).

Two layouts are measured: the window as it opens when nothing is due (the 督办 dock closed), and
with the dock open on its 督办 tab (as start-up opens it when something is due). The move itself
is committed before the clock starts, so the figure is the refresh alone."""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select


def _movable_cases(db, limit: int) -> list[int]:
    from models.cases.entities import Case

    with db.read() as session:
        return list(session.scalars(select(Case.id).where(Case.stage == "诊").order_by(Case.id)))[:limit]


def _refresh_ms(app, window, db, case_id: int) -> float:
    from models.cases.service import advance_stage
    from models.dto import Actor

    with db.write.begin() as session:
        advance_stage(session, case_id, "refer_mediation", Actor(), "基准测试")
    app.processEvents()
    started = time.perf_counter()
    window.ctx.hub.case_changed.emit(case_id)
    app.processEvents()
    return (time.perf_counter() - started) * 1000


def _layout(app, source: Path, runs: int, dock_open: bool) -> list[float]:
    from desktop.app import build_main_window, open_ready_database

    copy = Path(tempfile.mkdtemp(prefix="bench-refresh-")) / "demo.db"
    shutil.copy(source, copy)
    db = open_ready_database(f"sqlite:///{copy}")
    cases = _movable_cases(db, runs)
    if len(cases) < runs:
        raise SystemExit(f"only {len(cases)} cases in 诊: use fewer runs")
    window = build_main_window(db)
    window.show()
    assert window.workflow is not None
    window.workflow.dock.setVisible(dock_open)
    window.select_row(0)
    app.processEvents()
    times = [_refresh_ms(app, window, db, case_id) for case_id in cases]
    window.close()
    db.engine.dispose()
    return times


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    source, runs = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5
    for label, dock_open in (("dock closed", False), ("dock open (督办 tab)", True)):
        times = _layout(app, source, runs, dock_open)
        print(f"{label}: median {statistics.median(times):.1f} ms, mean {statistics.mean(times):.1f} ms, "
              f"min {min(times):.1f} ms over {runs} stage changes")


if __name__ == "__main__":
    main()
