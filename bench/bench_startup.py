"""Cold start to a usable window: time from launching a fresh Python process to the first paint
of the case list (first page loaded and the first case selected), and the RSS at that moment.

Usage: python bench/bench_startup.py DB_URL [RUNS]  (offscreen Qt unless QT_QPA_PLATFORM is set)"""

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
from desktop.app import build_main_window, open_ready_database
window = build_main_window(open_ready_database(sys.argv[1]))

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


def run_once(url: str) -> tuple[float, int, int]:
    started = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, url], capture_output=True, text=True, check=True).stdout
    painted, rss, rows = out.split()
    return float(painted) - started, int(rss), int(rows)


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    url, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    for _ in range(runs):
        seconds, rss, rows = run_once(url)
        print(f"first paint after {seconds:.2f} s, RSS {rss} MB, list of {rows:,} cases")


if __name__ == "__main__":
    main()
