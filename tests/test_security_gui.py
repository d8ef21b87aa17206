"""GUI pieces: the idle lock hides everything without closing open forms and keeps their input;
the login dialog shows the service's single message; the banner follows the connection probe."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QLineEdit, QMainWindow

from desktop import connection_banner, idle_lock
from desktop.login_dialog import LoginDialog
from models.security.accounts import LOGIN_FAILED, LoginFailed


def test_idle_lock_hides_open_forms_and_unlocking_restores_them(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    form = QDialog()
    qtbot.addWidget(form)
    typed = QLineEdit(form)
    typed.setText("张三，邻里排水纠纷，尚未保存")
    form.show()
    lock = idle_lock.install(window, minutes=0.002, unlock=lambda pw: pw == "right-one")  # ~120 ms
    qtbot.waitUntil(lambda: lock.is_locked, timeout=2000)
    assert not form.isVisible() and lock.panel is not None and lock.panel.isVisible()
    lock.panel.password.setText("wrong")
    lock.panel.password.returnPressed.emit()
    assert lock.is_locked and "不正确" in lock.panel.message.text()
    lock.panel.password.setText("right-one")
    lock.panel.password.returnPressed.emit()
    assert not lock.is_locked and form.isVisible() and typed.text() == "张三，邻里排水纠纷，尚未保存"


def test_input_postpones_the_idle_lock(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    lock = idle_lock.install(window, minutes=0.005, unlock=lambda pw: True)  # 300 ms
    for _ in range(5):
        qtbot.wait(120)
        qtbot.keyClick(window, "a")
    assert not lock.is_locked
    qtbot.waitUntil(lambda: lock.is_locked, timeout=2000)


def test_login_dialog_shows_the_service_message_and_clears_the_password(qtbot) -> None:
    def authenticate(username: str, password: str) -> str:
        if password != "ok-password":
            raise LoginFailed(LOGIN_FAILED)
        return username

    dialog = LoginDialog(authenticate)
    qtbot.addWidget(dialog)
    dialog.username.setText("wang")
    dialog.password.setText("bad")
    dialog.submit()
    assert dialog.error.text() == LOGIN_FAILED and dialog.password.text() == "" and dialog.signed_in is None
    dialog.password.setText("ok-password")
    dialog.submit()
    assert dialog.signed_in == "wang" and dialog.result() == QDialog.DialogCode.Accepted


@pytest.mark.parametrize("reachable", [False, True])
def test_connection_banner_follows_the_probe(qtbot, reachable: bool) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    monitor = connection_banner.install(window, probe=lambda: reachable, interval_ms=50)
    qtbot.waitUntil(lambda: monitor.banner.connected is reachable and monitor.banner.isVisible() is not reachable,
                    timeout=2000)
    monitor.timer.stop()
    qtbot.wait(100)  # let a probe already queued finish before the window goes away
