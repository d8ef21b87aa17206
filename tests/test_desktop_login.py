"""Start-up as a person meets it: first-run setup, sign-in with one message for every refusal and a
visible lockout, the window acting as the signed-in user, the idle lock keeping typed input,
drafts surviving a crash, the daily backup, and the non-interactive --password-stdin path."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop import app as desktop_app
from desktop.app import offer_drafts, open_ready_database, open_session, run_gui
from desktop.cli import main
from desktop.events import EventHub
from desktop.intake_dialog import DRAFT_FORM
from desktop.login_dialog import LoginDialog
from desktop.main_window import MainWindow
from desktop.remote_changes import listen_for_changes
from desktop.setup_wizard import SetupWizard
from desktop.sign_in import SetupRequired, sign_in
from models.cases.queries import case_detail
from models.cases.service import register_case
from models.db import Database, open_database
from models.demo.cases import DEMO_PASSWORD, set_demo_passwords
from models.dto import Actor
from models.org.entities import Role, User
from models.security.accounts import (
    LOGIN_FAILED,
    LoginFailed,
    SignedIn,
    add_user,
    login,
    needs_setup,
    setup_first_admin,
)
from models.security.anchors import load_anchors
from models.security.audit import AuditEntry
from tests.conftest import PG_ENV, fresh_pg_database
from tests.support import factories
from tests.support.desktop import RecordingDialogs
from tests.test_desktop_intake import fill_case, fill_party
from tests.test_desktop_setup_wizard import complete_wizard

ADMIN_PASSWORD = "Strong-Pass-2026"
NEVER = 10**8  # ms: a start-up backup that must not start during the test


class Script:
    """Plays the person at the start-up dialogs: each step fills one dialog and submits it."""

    def __init__(self, *steps: Callable[[QDialog], None]) -> None:
        self.steps = list(steps)
        self.seen: list[QDialog] = []

    def __call__(self, dialog: QDialog) -> bool:
        self.seen.append(dialog)
        if not self.steps:
            return False  # nothing more to type: the person presses 取消
        self.steps.pop(0)(dialog)
        return dialog.result() == QDialog.DialogCode.Accepted


def create_admin(dialog: QDialog) -> None:
    """The first-run wizard, completed: a new centre and its three administrators (admin, sec, aud)."""
    assert isinstance(dialog, SetupWizard)
    complete_wizard(dialog, ADMIN_PASSWORD)


def attempts(*tries: tuple[str, str], messages: list[str] | None = None) -> Callable[[QDialog], None]:
    """Several sign-in tries in the same dialog; the message after each is collected."""
    def play(dialog: QDialog) -> None:
        assert isinstance(dialog, LoginDialog)
        for username, password in tries:
            dialog.username.setText(username)
            dialog.password.setText(password)
            dialog.submit()
            if messages is not None:
                messages.append(dialog.error.text())
    return play


@pytest.fixture
def fresh_db(db_url: str) -> Iterator[Database]:
    database = open_ready_database(db_url)
    yield database
    database.engine.dispose()


@pytest.fixture
def demo_signed(demo_db: Database, fast_hasher: None) -> SignedIn:
    with demo_db.write.begin() as session:
        set_demo_passwords(session)
    signed = sign_in(demo_db, username="tj00", password=DEMO_PASSWORD)
    assert signed is not None
    return signed


@pytest.fixture
def session_window(qtbot: QtBot, demo_db: Database, demo_signed: SignedIn,
                   tmp_path: Path) -> Iterator[MainWindow]:
    window, guards = open_session(demo_db, demo_signed, RecordingDialogs(), tmp_path, backup_delay_ms=NEVER)
    qtbot.addWidget(window)
    window.show()
    window.guards = guards  # type: ignore[attr-defined]  # the fixture keeps the guards with the window
    yield window
    guards.stop()


def test_first_run_creates_the_admin_then_signs_in(qtbot: QtBot, fresh_db: Database, fast_hasher: None) -> None:
    messages: list[str] = []
    script = Script(create_admin, attempts(("admin", "wrong-password-1"), ("admin", ADMIN_PASSWORD),
                                           messages=messages))
    signed = sign_in(fresh_db, show=script)
    assert signed is not None and signed.username == "admin" and signed.role == Role.SYSTEM_ADMIN
    assert [type(d) for d in script.seen] == [SetupWizard, LoginDialog]
    assert messages[0] == LOGIN_FAILED and not signed.must_change_password
    again = Script(attempts(("admin", ADMIN_PASSWORD)))
    assert sign_in(fresh_db, show=again) is not None
    assert [type(d) for d in again.seen] == [LoginDialog]  # setup is asked only once


def test_cancelling_setup_or_sign_in_signs_nobody_in(qtbot: QtBot, fresh_db: Database, fast_hasher: None) -> None:
    assert sign_in(fresh_db, show=Script()) is None
    with fresh_db.read() as session:
        assert needs_setup(session)
    assert sign_in(fresh_db, show=Script(create_admin)) is None  # admin made, then 取消 at sign-in
    with fresh_db.read() as session:
        assert not needs_setup(session)


def test_cancel_at_sign_in_exits_cleanly(monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path) -> None:
    monkeypatch.setattr(desktop_app, "sign_in", lambda db, **_: None)
    assert run_gui(db_url, dialogs=RecordingDialogs(), data_dir=tmp_path) == 0


def test_refusals_share_one_message_and_lockout_holds_the_right_password(
        qtbot: QtBot, fresh_db: Database, fast_hasher: None) -> None:
    with fresh_db.write.begin() as session:
        setup_first_admin(session, "admin", "王管理", ADMIN_PASSWORD)
        user_id = add_user(session, Actor(), "wang", "王芳", Role.MEDIATOR, "Initial-Pass-2026")
    messages: list[str] = []
    tries = [("nobody", "whatever-123")] + [("wang", f"wrong-{i}-password") for i in range(5)]
    tries.append(("wang", "Initial-Pass-2026"))
    signed = sign_in(fresh_db, show=Script(attempts(*tries, messages=messages)))
    assert signed is None  # still locked when the right password came
    assert set(messages) == {LOGIN_FAILED}  # an unknown name reads exactly like a wrong password
    assert "锁定" in LOGIN_FAILED
    with fresh_db.read() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(user_id))).all()
    assert "account_locked" in actions and actions[-1] == "login_refused"


def test_window_acts_as_the_signed_in_user(qtbot: QtBot, session_window: MainWindow, demo_signed: SignedIn) -> None:
    window = session_window
    assert window.ctx.actor() == Actor(demo_signed.user_id, demo_signed.desk_id)
    assert demo_signed.display_name in window.windowTitle() and "调解员" in window.windowTitle()
    assert "调解员" in window.findChild(QLabel, "signedInLabel").text()
    dialog = window.open_intake()
    fill_case(dialog, qtbot)
    fill_party(dialog.parties[0], "欧阳娜娜", qtbot)
    fill_party(dialog.parties[1], "李四", qtbot)
    assert dialog.save(), dialog.form_message.text()
    with window.ctx.db.read() as session:
        saved = case_detail(session, case_id=dialog.created.id)
    assert saved.first_handler == demo_signed.display_name
    assert saved.events[0].user == demo_signed.display_name


def test_idle_lock_keeps_the_intake_and_unlocks_only_with_the_password(
        qtbot: QtBot, session_window: MainWindow) -> None:
    dialog = session_window.open_intake()
    fill_case(dialog, qtbot)
    lock = session_window.guards.lock  # type: ignore[attr-defined]  # the fixture keeps the guards with the window
    session_window.findChild(QAction, "lockAction").trigger()  # Ctrl+L
    assert not dialog.isVisible() and lock.panel is not None
    lock.panel.password.setText("not-the-password")
    lock.panel.password.returnPressed.emit()
    assert lock.is_locked and not dialog.isVisible()
    lock.panel.password.setText(DEMO_PASSWORD)
    lock.panel.password.returnPressed.emit()
    assert not lock.is_locked and dialog.isVisible()
    assert dialog.case_form.values()["summary"] == "借款到期未还，双方对利息有争议"


def test_a_draft_outlives_a_crash_and_is_discarded_once_saved(
        qtbot: QtBot, demo_db: Database, demo_signed: SignedIn, tmp_path: Path) -> None:
    first, guards = open_session(demo_db, demo_signed, RecordingDialogs(), tmp_path, backup_delay_ms=NEVER)
    qtbot.addWidget(first)
    guards.stop()
    typed = first.open_intake()
    fill_case(typed, qtbot)
    fill_party(typed.parties[0], "欧阳娜娜", qtbot, phone="13812345678")
    typed.parties[1].kind.setCurrentText("组织")
    typed.add_party("第三方")
    typed.autosave()
    payload = typed.draft_payload()
    # crash: the dialog is never saved or cancelled; a new session over the same folders starts
    dialogs = RecordingDialogs()
    dialogs.answers.append("重新打开")
    second, guards = open_session(demo_db, demo_signed, dialogs, tmp_path, backup_delay_ms=NEVER)
    qtbot.addWidget(second)
    guards.stop()
    assert offer_drafts(second) and second.intake is not None
    restored = second.intake
    assert restored.draft_payload() == payload
    assert restored.parties[0].person.values()["name"] == "欧阳娜娜" and len(restored.parties) == 3
    assert restored.parties[1].kind.currentText() == "组织"
    drafts = second.ctx.drafts
    assert drafts is not None and drafts.load(demo_signed.user_id, DRAFT_FORM) is not None
    restored.parties[1].kind.setCurrentText("自然人")
    fill_party(restored.parties[1], "李四", qtbot)
    restored.remove_party(restored.parties[2])
    assert restored.save(), restored.form_message.text()
    assert drafts.load(demo_signed.user_id, DRAFT_FORM) is None


def test_a_refused_save_keeps_a_draft(qtbot: QtBot, session_window: MainWindow, demo_signed: SignedIn) -> None:
    dialog = session_window.open_intake()
    fill_case(dialog, qtbot)  # parties left empty: validation refuses
    assert not dialog.save()
    drafts = session_window.ctx.drafts
    assert drafts is not None
    kept = drafts.load(demo_signed.user_id, DRAFT_FORM)
    assert kept is not None and kept.reason == "未通过校验"
    assert kept.payload["case"]["summary"] == "借款到期未还，双方对利息有争议"
    session_window.ctx.dialogs.answers.append("不保留，直接关闭")  # type: ignore[attr-defined]
    dialog.reject()  # 取消, then "give it up" when asked
    assert drafts.load(demo_signed.user_id, DRAFT_FORM) is None


def test_daily_backup_runs_at_start_up_and_reports_in_the_status_bar(
        qtbot: QtBot, demo_db: Database, demo_signed: SignedIn, tmp_path: Path) -> None:
    window, guards = open_session(demo_db, demo_signed, RecordingDialogs(), tmp_path, backup_delay_ms=0)
    qtbot.addWidget(window)
    guards.stop()
    qtbot.waitUntil(lambda: "今日自动备份" in window.statusBar().currentMessage(), timeout=20000)
    assert "已完成" in window.statusBar().currentMessage()
    assert list((tmp_path / "backups").glob("*/daily-*.db"))


def test_password_stdin_reaches_the_gui_and_nothing_else(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[str | None, str | None]] = []

    def run_gui(url: str | None, *, username: str | None = None, password: str | None = None) -> int:
        started.append((username, password))
        return 0

    monkeypatch.setattr(desktop_app, "run_gui", run_gui)
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret pass\nnext line\n"))
    assert main(["--db", "sqlite:///x.db", "--user", "tj00", "--password-stdin"]) == 0
    assert started == [("tj00", "s3cret pass")]
    with pytest.raises(SystemExit):
        main(["--password-stdin"])  # no user named
    with pytest.raises(SystemExit):
        main(["--user", "tj00", "cases", "list"])  # a sub-command's user goes after it


def test_non_interactive_sign_in_opens_the_window_or_exits_with_a_message(
        qtbot: QtBot, demo_template: Path, tmp_path: Path, fast_hasher: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'gui.db'}"
    (tmp_path / "gui.db").write_bytes(demo_template.read_bytes())
    database = open_database(url)
    with database.write.begin() as session:
        set_demo_passwords(session)
    database.engine.dispose()
    assert run_gui(url, username="tj00", password="wrong-password", data_dir=tmp_path) == desktop_app.EXIT_SIGN_IN_FAILED
    assert LOGIN_FAILED in capsys.readouterr().err
    shown: list[str] = []

    def look_at_the_window() -> int:
        qtbot.waitUntil(lambda: any(isinstance(w, MainWindow) and w.isVisible() for w in QApplication.topLevelWidgets()))
        shown.extend(w.windowTitle() for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        return 0

    assert run_gui(url, username="tj00", password=DEMO_PASSWORD, data_dir=tmp_path, dialogs=RecordingDialogs(),
                   event_loop=look_at_the_window) == 0
    assert any("tj00" in title and "调解员" in title for title in shown)
    reopened = open_database(url)
    anchors, _ = load_anchors(reopened)
    reopened.engine.dispose()
    assert anchors and anchors[-1].place == "启动"  # the GUI's sign-in anchors the chain, as the CLI's does


def test_non_interactive_sign_in_needs_first_run_setup(fresh_db: Database) -> None:
    with pytest.raises(SetupRequired):
        sign_in(fresh_db, username="admin", password="anything-long")


def test_demo_prints_its_password_and_creates_no_admin(demo_template: Path, tmp_path: Path, fast_hasher: None,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "demo.db"
    target.write_bytes(demo_template.read_bytes())
    url = f"sqlite:///{target}"
    assert main(["--db", url, "demo"]) == 0
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "演示" in out and "tj00" in out
    database = open_database(url)
    try:
        assert login(database.write, "sd01", DEMO_PASSWORD).role == Role.LIAISON
        with database.read() as session:
            assert needs_setup(session)  # first-run setup still asks for an administrator
            assert session.scalar(select(User.id).where(User.role == Role.SYSTEM_ADMIN)) is None
        with pytest.raises(LoginFailed):
            login(database.write, "wg001", DEMO_PASSWORD)  # only the listed staff accounts got it
    finally:
        database.engine.dispose()


@pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set: no PostgreSQL server")
def test_other_desks_changes_reach_the_hub(qtbot: QtBot) -> None:
    with fresh_pg_database(os.environ[PG_ENV]) as url:
        database = open_ready_database(url)
        hub = EventHub()
        listener = listen_for_changes(url, hub)
        try:
            qtbot.waitUntil(lambda: listener.listening, timeout=5000)
            with database.write.begin() as session:
                committee_id = factories.committee(session)
            # "another desk" registers a case
            with qtbot.waitSignal(hub.case_changed, timeout=5000) as signal, database.write.begin() as session:
                ref = register_case(session, factories.draft(committee_id), Actor())
            assert signal.args == [ref.id]
        finally:
            listener.stop()
            database.engine.dispose()


def test_setup_admin_cli_works_on_a_demo_database(cli, demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Zq7#mediation-Lead\n"))
    code, _, err = cli("--db", demo_url, "setup-admin", "--username", "sysadm", "--name", "管理员", "--password-stdin")
    assert code == 0, err
    code, _, err = cli("--db", demo_url, "setup-admin", "--username", "other", "--name", "乙", "--password-stdin")
    assert code != 0 and "已完成初始化" in err
