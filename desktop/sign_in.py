"""Who is at the desk: first-run creation of the 系统管理员 (there is no default account or
password), then sign-in, either through the dialogs or non-interactively for automation
(`mediation-desk --user NAME --password-stdin`). All checking lives in models.accounts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.login_dialog import LoginDialog, SetupAdminDialog
from models.accounts import Credential, SignedIn, add_user, login, needs_setup, setup_first_admin
from models.db import Database
from models.dto import Actor
from models.errors import DomainError
from models.org import Role, User
from models.security import PermissionDenied

ShowDialog = Callable[[QDialog], bool]  # runs a dialog modally; True when it was accepted


class SetupRequired(DomainError):
    """Non-interactive sign-in on a database where nobody can sign in yet."""


def exec_dialog(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def admin_missing(session: Session) -> bool:
    """True on a new database, and on one seeded by `demo` (staff accounts but no administrator)."""
    if needs_setup(session):
        return True
    return session.scalar(select(User.id).where(User.role == Role.SYSTEM_ADMIN).limit(1)) is None


def create_first_admin(db: Database, username: str, display_name: str, password: str) -> int:
    """The 系统管理员 chosen at first run, with the password they typed (no change forced)."""
    with db.write.begin() as session:
        if needs_setup(session):
            return setup_first_admin(session, username, display_name, password)
        if not admin_missing(session):
            raise PermissionDenied("系统已有系统管理员，不能再次创建首个管理员")
        # demo database: staff can sign in already, but nobody administers accounts yet
        user_id = add_user(session, Actor(), username, display_name, Role.SYSTEM_ADMIN, password)
        credential = session.get(Credential, user_id)
        assert credential is not None
        credential.must_change = False  # they have just chosen it themselves
        return user_id


def sign_in(db: Database, *, username: str | None = None, password: str | None = None,
            show: ShowDialog = exec_dialog) -> SignedIn | None:
    """The signed-in user, or None when the user cancelled. With `password` given nothing is shown
    and a refusal raises (LoginFailed, SetupRequired)."""
    if password is not None:
        return _sign_in_quietly(db, username or "", password)
    with db.read() as session:
        first_run = admin_missing(session)
    if first_run and not show(SetupAdminDialog(lambda u, n, p: create_first_admin(db, u, n, p))):
        return None
    dialog = LoginDialog(lambda u, p: login(db.write, u, p))
    if username:
        dialog.username.setText(username)
        dialog.password.setFocus()
    return dialog.signed_in if show(dialog) else None


def _sign_in_quietly(db: Database, username: str, password: str) -> SignedIn:
    with db.read() as session:
        if needs_setup(session):
            raise SetupRequired("系统尚未创建任何账户：请先启动程序完成首次设置，或运行 mediation-desk setup-admin")
    return login(db.write, username, password)


def window_title(signed: SignedIn) -> str:
    return f"调解工作台 — {signed.display_name}（{signed.username}，{signed.role}）"
