"""The composition root: the only place that builds the database, the event hub, the dialog
wrapper and the command runner, and hands them to the main window. Nothing here is global, so a
test builds the same window over its own database with build_main_window().

run_gui is the whole start-up: open (and migrate) the database, first-run setup and sign-in
(desktop.sign_in), the main window acting as the signed-in user, then the session's guards: idle
lock, connection banner, other desks' changes (PostgreSQL), the daily backup (SQLite) and the
offer to reopen drafts left by a crash."""

from __future__ import annotations

import hashlib
import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_dir
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy.exc import DBAPIError

from desktop import admin_menu, connection_banner, idle_lock, localisation, navigation, session_views
from desktop.context import build_context
from desktop.dialogs import Dialogs
from desktop.intake_dialog import DRAFT_FORM
from desktop.main_window import MainWindow
from desktop.password_dialog import install as install_password_menu
from desktop.remote_changes import RemoteChanges, listen_for_changes
from desktop.runner import describe_driver_error
from desktop.sign_in import sign_in, window_title
from desktop.startup_backup import start_daily_backup
from desktop.workflow_panels import install as install_workflow_panels
from models.cases.drafts import DraftStore
from models.db import APP_NAME, Database, open_database
from models.errors import DomainError
from models.notify import reachable
from models.org.reference import ensure_reference_data
from models.security.accounts import SignedIn, current_policy, login
from models.security.anchors import anchor_now
from models.security.files import DATA_DIR_ENV, data_dir  # noqa: F401 - DATA_DIR_ENV: one home, re-exported
from models.security.guards import check_guards

EXIT_DATABASE_UNAVAILABLE = 2
EXIT_SIGN_IN_FAILED = 4

PROBE_INTERVAL_MS = 5000
BACKUP_DELAY_MS = 2000  # let the window paint before the copy starts competing for the disk
log = logging.getLogger(__name__)


def build_main_window(db: Database, dialogs: Dialogs | None = None, user_id: int | None = None, *,
                      desk_id: int | None = None, drafts: DraftStore | None = None) -> MainWindow:
    ctx = build_context(db, dialogs, user_id, desk_id=desk_id, drafts=drafts)
    window = MainWindow(ctx)
    if ctx.dialogs.parent is None:
        ctx.dialogs.parent = window
    window.workflow = install_workflow_panels(window)
    session_views.install(window)  # 今日调解安排 and 待回访 in the same dock
    navigation.install(window)  # 查看: next/previous case, Ctrl+P, a case in its own window; layout remembered
    return window


def open_ready_database(db_url: str | None) -> Database:
    """Open (and migrate) the database, refuse it when its audit guards are gone (anything written
    then could be rewritten unnoticed; the CLI refuses the same way), and make sure the reference
    tables are filled."""
    db = open_database(db_url)
    with db.engine.connect() as conn:
        check_guards(conn)
    with db.write.begin() as session:
        ensure_reference_data(session)
    return db


def data_folder() -> Path:
    """The data directory, 0700 (drafts, anchors, backups: see models.security.files)."""
    return data_dir()


def drafts_for(db: Database, data_dir: Path) -> DraftStore:
    """Drafts per database (user ids of two databases are unrelated) and, by key, per user."""
    address = db.engine.url.render_as_string(hide_password=True)
    return DraftStore(data_dir / "drafts" / hashlib.sha256(address.encode()).hexdigest()[:12])


# --- the signed-in session -------------------------------------------------------------------

@dataclass
class SessionGuards:
    lock: idle_lock.IdleLock
    monitor: connection_banner.ConnectionMonitor
    listener: RemoteChanges | None

    def stop(self) -> None:
        """Stop timers and the listener thread (before the window or the application goes)."""
        self.lock.timer.stop()
        self.monitor.timer.stop()
        if self.listener is not None:
            self.listener.stop()


def install_guards(window: MainWindow, signed: SignedIn, *, idle_minutes: float | None = None,
                   probe_ms: int = PROBE_INTERVAL_MS) -> SessionGuards:
    """Idle lock (the policy's minutes; unlocking re-checks the password like a sign-in, so failures
    count toward lockout), connection banner, and on PostgreSQL other desks' changes."""
    ctx = window.ctx
    if idle_minutes is None:
        with ctx.db.read() as session:
            idle_minutes = current_policy(session).idle_lock_minutes

    def unlock(password: str) -> bool:
        try:
            login(ctx.db.write, signed.username, password, desk_id=ctx.desk_id)
        except (DomainError, DBAPIError):
            return False
        return True

    lock = idle_lock.install(window, minutes=idle_minutes, unlock=unlock)
    lock_now = QAction("锁屏", window, objectName="lockAction", shortcut=QKeySequence("Ctrl+L"))
    lock_now.triggered.connect(lock.lock)  # leaving the desk: lock at once instead of waiting
    window.addAction(lock_now)
    monitor = connection_banner.install(window, probe=lambda: reachable(ctx.db.engine), interval_ms=probe_ms)
    listener = None
    if ctx.db.engine.dialect.name == "postgresql":
        listener = listen_for_changes(ctx.db.engine.url.render_as_string(hide_password=False), ctx.hub, window)
    return SessionGuards(lock, monitor, listener)


def open_session(db: Database, signed: SignedIn, dialogs: Dialogs, data_dir: Path, *,
                 backup_delay_ms: int = BACKUP_DELAY_MS) -> tuple[MainWindow, SessionGuards]:
    """The main window acting as `signed` (every service call gets ctx.actor()), with its guards."""
    window = build_main_window(db, dialogs, signed.user_id, desk_id=signed.desk_id,
                               drafts=drafts_for(db, data_dir))
    window.setWindowTitle(window_title(signed))
    window.statusBar().addPermanentWidget(QLabel(f"当前用户：{signed.display_name}（{signed.role}）",
                                                 objectName="signedInLabel"))
    install_password_menu(window)  # 账户 → 修改密码…
    admin_menu.install(window, window.ctx, signed.role, data_dir)  # 管理 → the screens of this role
    guards = install_guards(window, signed)
    QTimer.singleShot(backup_delay_ms, window, lambda: start_daily_backup(
        db, data_dir, window, lambda text: window.statusBar().showMessage(text, 15000)))
    if signed.must_change_password:
        window.statusBar().showMessage("您的密码是初始密码或已过期，请尽快修改", 30000)
    return window, guards


def offer_drafts(window: MainWindow) -> bool:
    """After sign-in: offer to reopen an intake the user had not saved. True when reopened."""
    ctx = window.ctx
    if ctx.drafts is None:
        return False
    for draft in ctx.drafts.list(ctx.user_id):
        if draft.form != DRAFT_FORM:
            continue
        when = draft.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
        answer = ctx.dialogs.choose("恢复草稿", f"有一份未保存的“登记案件”草稿（{when}，{draft.reason}）。",
                                    ["重新打开", "删除草稿"])
        if answer == "重新打开":
            window.open_intake().restore_draft(draft.payload)
            return True
        if answer == "删除草稿":
            ctx.drafts.discard(ctx.user_id, DRAFT_FORM)
    return False


# --- start-up --------------------------------------------------------------------------------

def run_gui(db_url: str | None, *, dialogs: Dialogs | None = None, username: str | None = None,
            password: str | None = None, data_dir: Path | None = None,
            event_loop: Callable[[], int] | None = None) -> int:
    """Start the desktop application; a database that cannot be opened is explained in Chinese
    and the exit code is non-zero (no traceback). Cancelling sign-in exits with 0. With `password`
    (--password-stdin) nothing is asked and a refused sign-in exits with EXIT_SIGN_IN_FAILED.
    `event_loop` replaces app.exec (tests: a quit main loop cannot be entered again)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("调解工作台")
    localisation.install(app)
    dialogs = dialogs or Dialogs()
    try:
        db = open_ready_database(db_url)
    except DomainError as exc:
        dialogs.error("无法打开数据库", exc.message)
        return EXIT_DATABASE_UNAVAILABLE
    except DBAPIError as exc:
        dialogs.error("无法打开数据库", describe_driver_error(exc))
        return EXIT_DATABASE_UNAVAILABLE
    try:
        install_crash_handler(dialogs)
        return _run_session(event_loop or app.exec, db, dialogs, username, password, data_dir or data_folder())
    finally:
        db.engine.dispose()


def _run_session(event_loop: Callable[[], int], db: Database, dialogs: Dialogs, username: str | None, password: str | None,
                 data_dir: Path) -> int:
    try:
        signed = sign_in(db, username=username, password=password)
    except DomainError as exc:  # only the non-interactive path raises; the dialog shows its own
        print(f"登录失败：{exc.message}", file=sys.stderr)
        return EXIT_SIGN_IN_FAILED
    if signed is None:
        return 0
    with db.read() as session:  # each sign-in anchors the chain outside the database, as the CLI's
        anchor_now(db, session, "启动")
    window, guards = open_session(db, signed, dialogs, data_dir)
    window.show()
    panels = window.workflow
    assert panels is not None  # build_main_window installs them

    def after_first_paint() -> None:
        panels.show_due_on_start()
        offer_drafts(window)

    QTimer.singleShot(0, window, after_first_paint)
    try:
        return event_loop()
    finally:
        guards.stop()
        window.close()
        window.deleteLater()


def install_crash_handler(dialogs: Dialogs) -> None:
    """A bug (not a known error) is written to a log file and shown with that file's path."""
    log_file = Path(user_log_dir(APP_NAME, appauthor=False)) / "crash.log"

    def handle(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, DBAPIError):  # the server went away under a view: a known state, one line
            dialogs.error("无法连接数据库", describe_driver_error(exc))
            return
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a", encoding="utf-8") as out:
            out.write("".join(traceback.format_exception(kind, exc, tb)))
        dialogs.error("程序出错", f"程序遇到意外错误，已记录到日志：\n{log_file}\n\n{kind.__name__}: {exc}")

    sys.excepthook = handle
