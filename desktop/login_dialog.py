"""Sign-in and first-run dialogs. They only collect input and show the one message the service
gives back; checking passwords, lockout and the first-admin rule all live in models.accounts.

Wire them: `LoginDialog(lambda u, p: login(db.write, u, p, desk_id=...))`; `.signed_in` holds the
result after exec() accepts. On first run (models.accounts.needs_setup) show
`SetupAdminDialog(lambda u, n, p: <setup_first_admin in a write session>)` first."""

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


class SetupAdminDialog(FormDialog):
    def __init__(self, create: Callable[[str, str, str], Any]) -> None:
        super().__init__("首次使用：创建系统管理员", intro="本系统没有默认账户。请创建第一个系统管理员；\n"
                         "之后再用它创建安全管理员和审计管理员（三权分立，各用一个账户）。")
        self.create = create
        self.username = self.field("用户名")
        self.display_name = self.field("姓名")
        self.password = self.field("密码", secret=True)
        self.repeat = self.field("再次输入密码", secret=True)

    def submit(self) -> None:
        if self.password.text() != self.repeat.text():
            self.error.setText("两次输入的密码不一致")
            return
        done = self.attempt(lambda: self.create(self.username.text(), self.display_name.text(), self.password.text())
                             or True)
        self.password.clear()
        self.repeat.clear()
        if done:
            self.accept()
