"""Cold start to a usable window: time from launching a fresh Python process to the first paint
of the case list (first page loaded and the first case selected), and the RSS at that moment.

Usage: python bench/bench_startup.py DB_URL [RUNS] [USER PASSWORD]  (offscreen Qt unless QT_QPA_PLATFORM
is set). With USER and PASSWORD the child goes the real start-up way: sign-in (Argon2id), the window
acting as that user, idle lock, connection banner (and the LISTEN thread on PostgreSQL); the daily
backup is scheduled but starts only after the first paint."""

from __future__ import annotations

import os
import subprocess
import sys
import time

CHILD = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
import tempfile
from pathlib import Path
from desktop.app import build_main_window, open_ready_database, open_session
from desktop.dialogs import Dialogs
from desktop.sign_in import sign_in
db = open_ready_database(sys.argv[1])
if len(sys.argv) > 3:
    signed = sign_in(db, username=sys.argv[2], password=sys.argv[3])
    window, guards = open_session(db, signed, Dialogs(), Path(tempfile.mkdtemp(prefix="bench-startup-")))
else:
    window = build_main_window(db)

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and window.table.model().rowCount() > 0:
            rss = int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]) // 1024
            print(f"{time.time()} {rss} {window.table.model().rowCount()}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False

watcher = FirstPaint()
window.table.viewport().installEventFilter(watcher)
window.show()
app.exec()
"""


def run_once(url: str, sign_in: list[str]) -> tuple[float, int, int]:
    started = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, url, *sign_in], capture_output=True, text=True,
                         check=True).stdout
    painted, rss, rows = out.split()
    return float(painted) - started, int(rss), int(rows)


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    url, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    sign_in = sys.argv[3:5]
    for _ in range(runs):
        seconds, rss, rows = run_once(url, sign_in)
        print(f"first paint after {seconds:.2f} s, RSS {rss} MB, list of {rows:,} cases")


if __name__ == "__main__":
    main()
