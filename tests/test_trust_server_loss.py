"""Issue 9, losing the server without losing work: a legible banner saying since when, one
Chinese line for an action that needs the server, and a failed save that says where the draft is.
Each failed on main before this work (a red sliver; "程序出错 … psycopg.OperationalError"; no place)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from desktop import connection_banner
from desktop.runner import describe_driver_error
from models.cases.drafts import DraftStore
from models.cases.editing import save_keeping_draft
from models.db import open_database
from models.errors import DatabaseUnavailable


def test_banner_is_a_full_line_saying_since_when(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(1000, 600)
    window.show()
    monitor = connection_banner.install(window, probe=lambda: False, interval_ms=50)
    qtbot.waitUntil(lambda: monitor.banner.isVisible(), timeout=2000)
    monitor.timer.stop()
    banner = monitor.banner
    assert "无法连接数据库服务器" in banner.text() and "自 " in banner.text() and "—" not in banner.text()
    qtbot.waitUntil(lambda: banner.width() >= banner.needed_width(), timeout=2000)  # the whole sentence shows
    qtbot.wait(100)


def test_a_lost_server_is_one_chinese_line() -> None:
    lost = OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly\nThis probably…"))
    message = describe_driver_error(lost)
    assert "无法连接数据库服务器" in message and "\n" not in message and "psycopg" not in message


def test_a_failed_save_says_the_draft_is_kept_and_where(tmp_path: Path) -> None:
    unreachable = open_database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1", upgrade=False)
    store = DraftStore(tmp_path / "drafts")
    try:
        with pytest.raises(DatabaseUnavailable) as refused:
            save_keeping_draft(unreachable.write, store, user_id=3, form="intake", payload={"summary": "x"},
                               save=lambda s: s.execute(text("SELECT 1")))
    finally:
        unreachable.engine.dispose()
    assert "草稿" in refused.value.message and str(tmp_path / "drafts") in refused.value.message
