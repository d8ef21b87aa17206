"""The daily backup taken when a desk starts on the embedded SQLite file (models.backup.daily_backup:
one copy a day, the last KEEP_DAYS kept). It runs as a desktop.background.BackgroundOp so a large
file never delays the window, and its outcome, good or bad, is only a status-bar message: a failed
backup must not stop anyone from working."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable

from desktop.background import BackgroundOp, Start
from models.db import Database
from models.security.backup import KEEP_DAYS, daily_backup

FAILED = "今日自动备份未完成"


def backup_folder(data_dir: Path, database_file: Path) -> Path:
    """Each database file gets its own folder, so two files never share one day's backup name."""
    tag = hashlib.sha256(str(database_file.resolve()).encode()).hexdigest()[:8]
    return data_dir / "backups" / f"{database_file.stem}-{tag}"


def start_daily_backup(db: Database, data_dir: Path, parent: QObject, show: Callable[[str], None],
                       *, keep: int = KEEP_DAYS, start: Start | None = None) -> QRunnable | None:
    """Back up in the background; `show` gets a message on the GUI thread. None: not SQLite.
    The results go through a child of `parent`: if the window is gone, the message is dropped."""
    url = db.engine.url
    if db.engine.dialect.name != "sqlite" or not url.database or url.database == ":memory:":
        return None  # a PostgreSQL server is backed up on the server
    folder = backup_folder(data_dir, Path(url.database))

    def done(made: Path | None) -> None:
        if made:
            show(f"已完成今日自动备份：{made}")

    def failed(line: str) -> None:  # a known error's line does not name the backup yet
        show(line if line.startswith(FAILED) else f"{FAILED}：{line}")

    op = BackgroundOp(parent, lambda _job: daily_backup(db, folder, keep=keep), done)
    return op.failure(failed, prefix=FAILED).run_in_background(start)
