"""The sign-in dialog. It only collects input and shows the one message the service
gives back; checking passwords, lockout and the first-admin rule all live in models.accounts.

Wire them: `LoginDialog(lambda u, p: login(db.write, u, p, desk_id=...))`; `.signed_in` holds the
result after exec() accepts. On first run (models.accounts.needs_setup) desktop.sign_in shows the
first-run wizard (desktop.setup_wizard) first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.form_dialog import FormDialog


class LoginDialog(FormDialog):
    def __init__(self, authenticate: Callable[[str, str], Any]) -> None:
        super().__init__("登录调解工作台", intro="请输入用户名和密码")
        self.authenticate = authenticate
        self.username = self.field("用户名")
        self.password = self.field("密码", secret=True)
        self.signed_in: Any = None

    def submit(self) -> None:
        result = self.attempt(lambda: self.authenticate(self.username.text(), self.password.text()))
        self.password.clear()  # never keep the secret in the widget longer than needed
        if result is not None:
            self.signed_in = result
            self.accept()
