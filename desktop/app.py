"""The composition root: the only place that builds the database, the event hub, the dialog
wrapper and the command runner, and hands them to the main window. Nothing here is global, so a
test builds the same window over its own database with build_main_window()."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_dir
from PySide6.QtWidgets import QApplication
from sqlalchemy.exc import DBAPIError

from desktop.context import build_context
from desktop.dialogs import Dialogs
from desktop.main_window import MainWindow
from desktop.runner import describe_driver_error
from models.db import APP_NAME, Database, open_database
from models.errors import DomainError
from models.reference import ensure_reference_data

EXIT_DATABASE_UNAVAILABLE = 2
log = logging.getLogger(__name__)


def build_main_window(db: Database, dialogs: Dialogs | None = None, user_id: int | None = None) -> MainWindow:
    ctx = build_context(db, dialogs, user_id)
    window = MainWindow(ctx)
    if ctx.dialogs.parent is None:
        ctx.dialogs.parent = window
    return window


def open_ready_database(db_url: str | None) -> Database:
    """Open (and migrate) the database and make sure the reference tables are filled."""
    db = open_database(db_url)
    with db.write.begin() as session:
        ensure_reference_data(session)
    return db


def run_gui(db_url: str | None, *, dialogs: Dialogs | None = None) -> int:
    """Start the desktop application; a database that cannot be opened is explained in Chinese
    and the exit code is non-zero (no traceback)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("调解工作台")
    dialogs = dialogs or Dialogs()
    try:
        db = open_ready_database(db_url)
    except DomainError as exc:
        dialogs.error("无法打开数据库", exc.message)
        return EXIT_DATABASE_UNAVAILABLE
    except DBAPIError as exc:
        dialogs.error("无法打开数据库", describe_driver_error(exc))
        return EXIT_DATABASE_UNAVAILABLE
    window = build_main_window(db, dialogs)
    install_crash_handler(dialogs)
    window.show()
    try:
        return app.exec()
    finally:
        db.engine.dispose()


def install_crash_handler(dialogs: Dialogs) -> None:
    """A bug (not a known error) is written to a log file and shown with that file's path."""
    log_file = Path(user_log_dir(APP_NAME, appauthor=False)) / "crash.log"

    def handle(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a", encoding="utf-8") as out:
            out.write("".join(traceback.format_exception(kind, exc, tb)))
        dialogs.error("程序出错", f"程序遇到意外错误，已记录到日志：\n{log_file}\n\n{kind.__name__}: {exc}")

    sys.excepthook = handle
