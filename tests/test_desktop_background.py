"""The one background-work helper (desktop.background) and the view refresh rule (desktop.events):
results come back on the GUI thread, failures as one Chinese line, hidden views refresh when shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.background import BackgroundOp, Job, one_line
from desktop.events import ChangeFollower, EventHub
from desktop.startup_backup import start_daily_backup
from models.db import Database
from models.errors import ValidationFailed


def _run(qtbot: QtBot, parent: QWidget, work, **handlers) -> dict:
    seen: dict = {}

    def success(value: object) -> None:
        seen["value"], seen["gui_thread"] = value, QThread.currentThread() is QApplication.instance().thread()

    op = BackgroundOp(parent, work, success).failure(lambda line: seen.setdefault("failed", line), prefix="导出失败")
    op.run_in_background()
    qtbot.waitUntil(lambda: "value" in seen or "failed" in seen, timeout=10_000)
    return seen


def test_success_comes_back_on_the_gui_thread(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    worker: dict = {}

    def work(_job: Job) -> int:
        worker["thread"] = QThread.currentThread()
        return 42

    seen = _run(qtbot, parent, work)
    assert seen == {"value": 42, "gui_thread": True}
    assert worker["thread"] is not QApplication.instance().thread()


def test_a_failure_is_one_chinese_line(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def known(_job: Job) -> None:
        raise ValidationFailed("结束日期无效")

    def bug(_job: Job) -> None:
        raise OSError("磁盘已满\n第二行")

    assert _run(qtbot, parent, known)["failed"] == "结束日期无效"
    assert _run(qtbot, parent, bug)["failed"] == "导出失败：OSError: 磁盘已满 第二行"
    assert "\n" not in one_line(KeyError("x\ny"))


def test_cancelling_runs_the_cancel_handler_not_the_failure(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    outcome: list[str] = []

    def work(job: Job) -> None:
        job.cancel()  # as the 取消 button does, between two pages
        raise RuntimeError("stopped")

    op = (BackgroundOp(parent, work, lambda _v: outcome.append("done"))
          .with_progress("正在处理…", on_cancel=lambda: outcome.append("cancelled"))
          .failure(outcome.append))
    op.run_in_background(start=lambda runnable: runnable.run())
    assert outcome == ["cancelled"] and op.progress is None


def test_the_daily_backup_reports_in_the_status_line(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    shown: list[str] = []
    started = start_daily_backup(db, tmp_path, parent, shown.append, start=lambda runnable: runnable.run())
    if db.engine.dialect.name != "sqlite":
        assert started is None  # a server is backed up on the server
        return
    assert len(shown) == 1 and shown[0].startswith("已完成今日自动备份")


def test_a_hidden_view_refreshes_when_shown_and_ignores_what_does_not_concern_it(qtbot: QtBot) -> None:
    hub, view, refreshed = EventHub(), QWidget(), []
    qtbot.addWidget(view)
    ChangeFollower(view, hub, lambda: refreshed.append(1), concerns=lambda case_id: case_id == 7)
    hub.case_changed.emit(7)
    assert refreshed == []  # hidden: only marked stale
    view.show()
    assert refreshed == [1]
    hub.case_changed.emit(8)
    assert refreshed == [1]  # not its case
    hub.case_changed.emit(7)
    assert refreshed == [1, 1]
