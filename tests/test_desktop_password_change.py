"""Changing one's own password: forced after sign-in for an administrator's one-time password or an
expired one (等保 profile), the dialog's messages keeping what was typed, the 账户 → 修改密码… menu,
and `mediation-desk passwd`."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QMenu
from pytestqt.qtbot import QtBot

from desktop import app as desktop_app
from desktop.app import open_ready_database, open_session, run_gui
from desktop.login_dialog import LoginDialog
from desktop.password_dialog import (
    FORCED_INTRO,
    MISMATCH,
    ChangePasswordDialog,
    change_password_dialog,
    policy_hint,
)
from desktop.sign_in import PasswordChangeRequired, sign_in
from models.base import utcnow
from models.db import Database
from models.dto import Actor
from models.org.entities import Role
from models.security.accounts import (
    LOGIN_FAILED,
    PROFILES,
    Credential,
    LoginFailed,
    add_user,
    find_user,
    login,
    set_policy,
    setup_first_admin,
)
from tests.support.desktop import RecordingDialogs
from tests.test_desktop_login import Script, attempts

ADMIN_PASSWORD = "Strong-Pass-2026"
INITIAL = "Initial-Pass-2026"
CHOSEN = "Mediator-Own-2027"
NEVER = 10**8  # ms: no start-up backup during these tests


@pytest.fixture
def accounts_db(db_url: str, fast_hasher: None) -> Iterator[Database]:
    """An administrator and 王芳, whose account the administrator created (so must change)."""
    database = open_ready_database(db_url)
    with database.write.begin() as session:
        setup_first_admin(session, "admin", "王管理", ADMIN_PASSWORD)
        add_user(session, Actor(), "wang", "王芳", Role.MEDIATOR, INITIAL)
    yield database
    database.engine.dispose()


def type_passwords(dialog: ChangePasswordDialog, old: str, new: str, repeat: str | None = None) -> None:
    dialog.old.setText(old)
    dialog.new.setText(new)
    dialog.repeat.setText(new if repeat is None else repeat)
    dialog.submit()


def change(old: str, new: str, messages: list[str] | None = None) -> Callable[[QDialog], None]:
    """A Script step at the change-password dialog."""
    def play(dialog: QDialog) -> None:
        assert isinstance(dialog, ChangePasswordDialog)
        type_passwords(dialog, old, new)
        if messages is not None:
            messages.append(dialog.error.text())
    return play


def test_admin_created_user_must_change_before_the_window_opens(qtbot: QtBot, accounts_db: Database) -> None:
    script = Script(attempts(("wang", INITIAL)), change(INITIAL, CHOSEN))
    signed = sign_in(accounts_db, show=script)
    assert signed is not None and signed.username == "wang" and not signed.must_change_password
    assert [type(d) for d in script.seen] == [LoginDialog, ChangePasswordDialog]
    forced = script.seen[1]
    assert isinstance(forced, ChangePasswordDialog) and forced.changed and forced.new.text() == ""
    assert not login(accounts_db.write, "wang", CHOSEN).must_change_password
    with pytest.raises(LoginFailed):
        login(accounts_db.write, "wang", INITIAL)


def test_cancelling_the_forced_change_signs_nobody_in(qtbot: QtBot, accounts_db: Database) -> None:
    script = Script(attempts(("wang", INITIAL)))  # then 取消 at the change dialog
    assert sign_in(accounts_db, show=script) is None
    assert [type(d) for d in script.seen] == [LoginDialog, ChangePasswordDialog]
    assert login(accounts_db.write, "wang", INITIAL).must_change_password  # nothing changed


def test_cancelling_the_forced_change_exits_the_program_with_0(
        monkeypatch: pytest.MonkeyPatch, accounts_db: Database, db_url: str, tmp_path: Path) -> None:
    script = Script(attempts(("wang", INITIAL)))
    monkeypatch.setattr(desktop_app, "sign_in", lambda db, **kw: sign_in(db, **kw, show=script))
    opened: list[int] = []

    def event_loop() -> int:
        opened.append(1)
        return 0

    code = run_gui(db_url, dialogs=RecordingDialogs(), data_dir=tmp_path, event_loop=event_loop)
    assert code == 0 and not opened  # no main window loop was entered
    assert isinstance(script.seen[-1], ChangePasswordDialog)


def test_a_password_past_90_days_under_dengbao_must_be_changed(qtbot: QtBot, accounts_db: Database) -> None:
    with accounts_db.write.begin() as session:
        set_policy(session, Actor(), PROFILES["等保"])
    wang = login(accounts_db.write, "wang", INITIAL)
    with accounts_db.write.begin() as session:
        session.get(Credential, wang.user_id).must_change = False  # only age counts here
    assert not login(accounts_db.write, "wang", INITIAL).must_change_password
    assert login(accounts_db.write, "wang", INITIAL, now=utcnow() + timedelta(days=91)).must_change_password
    with accounts_db.write.begin() as session:  # the clock moves on: the password was set 100 days ago
        session.get(Credential, wang.user_id).password_changed_at = utcnow() - timedelta(days=100)
    messages: list[str] = []
    script = Script(attempts(("wang", INITIAL)), change(INITIAL, "lowercaseonly", messages))
    assert sign_in(accounts_db, show=script) is None  # a weak password is refused, then 取消
    dialog = script.seen[1]
    assert isinstance(dialog, ChangePasswordDialog)
    assert "至少 3 类" in messages[0] and "90 天" in dialog_intro(dialog)
    script = Script(attempts(("wang", INITIAL)), change(INITIAL, "Mediate-2027-ok"))
    assert sign_in(accounts_db, show=script) is not None
    assert not login(accounts_db.write, "wang", "Mediate-2027-ok").must_change_password


def test_wrong_original_password_is_named_and_nothing_typed_is_lost(qtbot: QtBot, accounts_db: Database) -> None:
    wang = find_user_id(accounts_db, "wang")
    dialog = change_password_dialog(accounts_db, wang, forced=True)
    qtbot.addWidget(dialog)
    type_passwords(dialog, "not-my-password", CHOSEN)
    assert dialog.error.text() == "原密码不正确" and not dialog.changed
    assert (dialog.old.text(), dialog.new.text(), dialog.repeat.text()) == ("not-my-password", CHOSEN, CHOSEN)
    type_passwords(dialog, INITIAL, CHOSEN, repeat=CHOSEN + "x")
    assert dialog.error.text() == MISMATCH and dialog.repeat.text() == CHOSEN + "x"
    type_passwords(dialog, INITIAL, INITIAL)
    assert "不能与原密码相同" in dialog.error.text()
    assert login(accounts_db.write, "wang", INITIAL).must_change_password  # still the one-time password


def test_policy_violation_lists_the_rule_and_keeps_the_typed_values(qtbot: QtBot, accounts_db: Database) -> None:
    dialog = change_password_dialog(accounts_db, find_user_id(accounts_db, "wang"), forced=True)
    qtbot.addWidget(dialog)
    type_passwords(dialog, INITIAL, "short1")
    assert dialog.error.text().startswith("密码不符合要求") and "至少 12 位" in dialog.error.text()
    assert (dialog.old.text(), dialog.new.text(), dialog.repeat.text()) == (INITIAL, "short1", "short1")
    type_passwords(dialog, INITIAL, "my-name-is-wang-ok")
    assert "包含用户名" in dialog.error.text()
    type_passwords(dialog, INITIAL, CHOSEN)
    assert dialog.changed and dialog.result() == QDialog.DialogCode.Accepted


def test_policy_hint_follows_the_profile() -> None:
    assert "12 位" in policy_hint(PROFILES["标准"]) and "天" not in policy_hint(PROFILES["标准"])
    dengbao = policy_hint(PROFILES["等保"])
    assert "8 位" in dengbao and "3 类" in dengbao and "90 天" in dengbao


def test_the_account_menu_changes_the_signed_in_users_password(qtbot: QtBot, accounts_db: Database,
                                                               tmp_path: Path) -> None:
    signed = sign_in(accounts_db, show=Script(attempts(("admin", ADMIN_PASSWORD))))
    assert signed is not None
    window, guards = open_session(accounts_db, signed, RecordingDialogs(), tmp_path, backup_delay_ms=NEVER)
    qtbot.addWidget(window)
    guards.stop()
    action = window.findChild(QAction, "changePasswordAction")
    assert action is not None and action.text() == "修改密码…"
    assert any(menu.title() == "账户" and action in menu.actions() for menu in window.menuBar().findChildren(QMenu))
    action.trigger()
    dialog = window.findChild(ChangePasswordDialog)
    assert dialog is not None and dialog.isVisible() and FORCED_INTRO not in dialog_intro(dialog)
    type_passwords(dialog, ADMIN_PASSWORD, "Centre-Lead-Pass-2027")
    assert dialog.changed and "密码已修改" in window.statusBar().currentMessage()
    assert login(accounts_db.write, "admin", "Centre-Lead-Pass-2027").username == "admin"
    with pytest.raises(LoginFailed):
        login(accounts_db.write, "admin", ADMIN_PASSWORD)


def test_non_interactive_sign_in_refuses_a_password_that_must_change(accounts_db: Database) -> None:
    with pytest.raises(PasswordChangeRequired, match="passwd --user wang"):
        sign_in(accounts_db, username="wang", password=INITIAL)


def test_cli_passwd_from_stdin(cli, accounts_db: Database, db_url: str,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{INITIAL}\nshort\n"))
    code, _, err = cli("--db", db_url, "passwd", "--user", "wang", "--password-stdin")
    assert code == 2 and "至少 12 位" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(f"wrong-password-1\n{CHOSEN}\n"))
    code, _, err = cli("--db", db_url, "passwd", "--user", "wang", "--password-stdin")
    assert code == 2 and LOGIN_FAILED in err
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{INITIAL}\n{CHOSEN}\n"))
    code, out, err = cli("--db", db_url, "passwd", "--user", "wang", "--password-stdin")
    assert code == 0, err
    assert "已修改 wang 的密码" in out
    assert not login(accounts_db.write, "wang", CHOSEN).must_change_password
    with pytest.raises(LoginFailed):
        login(accounts_db.write, "wang", INITIAL)


def test_cli_passwd_prompts_with_getpass(cli, accounts_db: Database, db_url: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    typed = iter([INITIAL, CHOSEN, CHOSEN + "?"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    code, _, err = cli("--db", db_url, "passwd", "--user", "wang")
    assert code == 2 and "不一致" in err
    typed = iter([INITIAL, CHOSEN, CHOSEN])
    code, _, err = cli("--db", db_url, "passwd", "--user", "wang")
    assert code == 0, err
    assert login(accounts_db.write, "wang", CHOSEN).username == "wang"


# --- helpers ---------------------------------------------------------------------------------

def find_user_id(db: Database, username: str) -> int:
    with db.read() as session:
        return find_user(session, username).id


def dialog_intro(dialog: ChangePasswordDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))
