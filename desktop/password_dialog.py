"""Changing one's own password: the dialog (original, new, repeat), the forced change after a
sign-in whose password is an administrator's one-time password or past the policy's age, and the
"账户 → 修改密码…" menu of the main window.

The dialog only collects input and shows the service's message next to the form; the checks
(original password, policy, "not the same as before") live in models.accounts.change_password.
A refused attempt keeps everything typed so the user corrects one field instead of retyping three."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QWidget
from sqlalchemy.exc import DBAPIError

from desktop.form_dialog import FormDialog
from desktop.main_window import MainWindow
from desktop.runner import describe_driver_error
from models.db import Database
from models.errors import DomainError
from models.security.accounts import PolicyValues, change_own_password, current_policy
from models.security.permissions import PermissionDenied

ChangePassword = Callable[[str, str], None]  # (original, new); raises DomainError when refused

TITLE = "修改密码"
FORCED_INTRO = "您的密码是管理员设置的初始密码，或已超过有效期。\n须先修改密码，才能继续使用调解工作台。"
VOLUNTARY_INTRO = "修改您自己的登录密码。"
CHANGED_MESSAGE = "密码已修改，下次登录请使用新密码"
MISMATCH = "两次输入的新密码不一致"
OLD_MISSING = "请输入原密码"


def policy_hint(policy: PolicyValues) -> str:
    """The centre's rules in one line, shown before the user types (the service has the final word)."""
    rules = [f"至少 {policy.min_length} 位"]
    if policy.required_classes:
        rules.append(f"含大写字母、小写字母、数字、符号中的至少 {policy.required_classes} 类")
    rules.append("不能是常见密码或包含用户名")
    if policy.max_age_days:
        rules.append(f"每 {policy.max_age_days} 天须更换")
    return "新密码要求：" + "，".join(rules)


class ChangePasswordDialog(FormDialog):
    """Accepted only once `change` succeeded; `changed` tells callers that it did."""

    def __init__(self, change: ChangePassword, *, hint: str = "", forced: bool = False,
                 parent: QWidget | None = None) -> None:
        intro = FORCED_INTRO if forced else VOLUNTARY_INTRO
        super().__init__(TITLE, parent, intro=f"{intro}\n{hint}" if hint else intro)
        self.setObjectName("changePasswordDialog")
        self.change = change
        self.old = self.field("原密码", secret=True)
        self.new = self.field("新密码", secret=True)
        self.repeat = self.field("再次输入新密码", secret=True)
        self.changed = False

    def submit(self) -> None:
        field, message = self._refusal()
        if field is not None:
            self.error.setText(message)
            field.setFocus()
            field.selectAll()  # typed text stays; selecting it makes retyping this one field quick
            return
        self.changed = True
        for edit in (self.old, self.new, self.repeat):
            edit.clear()  # the secrets leave the widgets as soon as they are no longer needed
        self.accept()

    def _refusal(self) -> tuple[QLineEdit | None, str]:
        """The field to correct and why, or (None, "") once the password was changed."""
        if not self.old.text():
            return self.old, OLD_MISSING
        if self.new.text() != self.repeat.text():
            return self.repeat, MISMATCH
        try:
            self.change(self.old.text(), self.new.text())
        except PermissionDenied as exc:  # the original password was wrong
            return self.old, exc.message
        except DomainError as exc:  # policy or "same as before"
            return self.new, exc.message
        except DBAPIError as exc:
            return self.new, describe_driver_error(exc)
        return None, ""


# --- wiring ----------------------------------------------------------------------------------

def changer(db: Database, user_id: int) -> ChangePassword:
    """The service call for `user_id`, each attempt in its own write transaction."""
    def change(old: str, new: str) -> None:
        change_own_password(db.write, user_id, old, new)
    return change


def change_password_dialog(db: Database, user_id: int, *, forced: bool = False,
                           parent: QWidget | None = None) -> ChangePasswordDialog:
    with db.read() as session:
        hint = policy_hint(current_policy(session))
    return ChangePasswordDialog(changer(db, user_id), hint=hint, forced=forced, parent=parent)


def open_change_password(window: MainWindow) -> ChangePasswordDialog | None:
    """Open the dialog over the main window (window-modal, not blocking); report success in the status bar."""
    ctx = window.ctx
    if ctx.user_id is None:
        ctx.dialogs.error(TITLE, "本机系统操作员没有登录密码，请以用户身份登录后再修改密码")
        return None
    dialog = change_password_dialog(ctx.db, ctx.user_id, parent=window)
    dialog.accepted.connect(lambda: window.statusBar().showMessage(CHANGED_MESSAGE, 15000))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def install(window: MainWindow) -> QAction:
    """Add the "账户" menu with "修改密码…" to a window acting as a signed-in user."""
    action = QAction("修改密码…", window, objectName="changePasswordAction")
    action.triggered.connect(lambda: open_change_password(window))
    window.menuBar().addMenu("账户").addAction(action)
    return action
