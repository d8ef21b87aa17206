"""The daily backup taken when a desk starts on the embedded SQLite file (models.backup.daily_backup:
one copy a day, the last KEEP_DAYS kept). It runs on a plain worker thread so a large file never delays
the window, and its outcome, good or bad, is only a status-bar message: a failed backup must not
stop anyone from working."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from models.db import Database
from models.security.backup import KEEP_DAYS, daily_backup


class _Report(QObject):
    done = Signal(str)


def backup_folder(data_dir: Path, database_file: Path) -> Path:
    """Each database file gets its own folder, so two files never share one day's backup name."""
    tag = hashlib.sha256(str(database_file.resolve()).encode()).hexdigest()[:8]
    return data_dir / "backups" / f"{database_file.stem}-{tag}"


def start_daily_backup(db: Database, data_dir: Path, parent: QObject, show: Callable[[str], None],
                       *, keep: int = KEEP_DAYS) -> threading.Thread | None:
    """Back up in the background; `show` gets a message on the GUI thread. None: not SQLite."""
    url = db.engine.url
    if db.engine.dialect.name != "sqlite" or not url.database or url.database == ":memory:":
        return None  # a PostgreSQL server is backed up on the server
    report = _Report(parent)  # a child: if the window is gone, the message is simply dropped
    report.done.connect(show)
    folder = backup_folder(data_dir, Path(url.database))
    worker = threading.Thread(target=_back_up, args=(db, folder, keep, report), name="daily-backup", daemon=True)
    worker.start()
    return worker


def _back_up(db: Database, folder: Path, keep: int, report: _Report) -> None:
    try:
        made = daily_backup(db, folder, keep=keep)
        text = f"已完成今日自动备份：{made}" if made else ""
    except Exception as exc:  # any failure is reported, never raised: start-up must go on
        text = f"今日自动备份未完成：{getattr(exc, 'message', None) or exc}"
    if text:
        with contextlib.suppress(RuntimeError):  # the window (and the report object with it) closed meanwhile
            report.done.emit(text)
