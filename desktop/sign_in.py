"""Who is at the desk: on a database with no administrator, the first-run wizard (the centre and
its three administrators; there is no default account or password), then sign-in, either through the dialogs or non-interactively for automation
(`mediation-desk --user NAME --password-stdin`). A password that must be changed (an
administrator's one-time password, or older than the policy allows) is changed here, before any
window opens; the non-interactive path refuses instead. All checking lives in models.accounts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import QDialog

from desktop.login_dialog import LoginDialog
from desktop.password_dialog import change_password_dialog
from desktop.setup_wizard import SetupWizard
from models.db import Database
from models.errors import DomainError
from models.security.accounts import SignedIn, has_accounts, login, needs_setup

ShowDialog = Callable[[QDialog], bool]  # runs a dialog modally; True when it was accepted


class SetupRequired(DomainError):
    """Non-interactive sign-in on a database where nobody can sign in yet."""


class PasswordChangeRequired(DomainError):
    """Non-interactive sign-in with a password that must be changed first (nobody is there to change it)."""


def exec_dialog(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted



def sign_in(db: Database, *, username: str | None = None, password: str | None = None,
            show: ShowDialog = exec_dialog) -> SignedIn | None:
    """The signed-in user, or None when the user cancelled. With `password` given nothing is shown
    and a refusal raises (LoginFailed, SetupRequired, PasswordChangeRequired). Cancelling the
    required password change also gives None: nobody proceeds with a password that must change."""
    if password is not None:
        return _sign_in_quietly(db, username or "", password)
    with db.read() as session:
        first_run = needs_setup(session)
    if first_run and not show(SetupWizard(db)):
        return None
    dialog = LoginDialog(lambda u, p: login(db.write, u, p))
    if username:
        dialog.username.setText(username)  # the dialog then opens with the cursor in 密码
    signed: SignedIn | None = dialog.signed_in if show(dialog) else None
    if signed is None or not signed.must_change_password:
        return signed
    return _change_before_entering(db, signed, show)


def _change_before_entering(db: Database, signed: SignedIn, show: ShowDialog) -> SignedIn | None:
    if not show(change_password_dialog(db, signed.user_id, forced=True)):
        return None
    return replace(signed, must_change_password=False)


def _sign_in_quietly(db: Database, username: str, password: str) -> SignedIn:
    with db.read() as session:
        if not has_accounts(session):
            raise SetupRequired("系统尚未创建任何账户：请先启动程序完成首次设置，或运行 mediation-desk setup-admin")
    signed = login(db.write, username, password)
    if signed.must_change_password:
        raise PasswordChangeRequired(f"账户 {signed.username} 的密码是初始密码或已过期，须先修改：请不带 --password-stdin "
                                     f"启动后按提示修改，或运行 mediation-desk passwd --user {signed.username}")
    return signed


def window_title(signed: SignedIn) -> str:
    return f"调解工作台 — {signed.display_name}（{signed.username}，{signed.role}）"
