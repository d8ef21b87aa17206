"""The composition root and the command runner: a database that cannot be opened is explained
in Chinese with a non-zero exit; known errors are shown one consistent way; events are emitted
only for committed work."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop.app import EXIT_DATABASE_UNAVAILABLE, build_main_window, run_gui
from desktop.context import build_context
from models.db import Database, open_database
from models.errors import TransitionRefused, ValidationFailed
from tests.support.desktop import RecordingDialogs


def test_unopenable_database_is_explained_without_a_traceback(tmp_path: Path) -> None:
    not_a_db = tmp_path / "case.db"
    not_a_db.write_bytes(b"this is not a database file" * 100)
    dialogs = RecordingDialogs()
    assert run_gui(f"sqlite:///{not_a_db}", dialogs=dialogs) != 0
    assert dialogs.shown and dialogs.shown[0][0] == "无法打开数据库"
    assert "损坏" in dialogs.shown[0][1] or "不是数据库" in dialogs.shown[0][1]


def test_a_database_whose_audit_guards_were_dropped_is_refused_at_start(db_url: str, tmp_path: Path) -> None:
    db = open_database(db_url)
    with db.write.begin() as session:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
    db.engine.dispose()
    dialogs = RecordingDialogs()
    assert run_gui(db_url, dialogs=dialogs, data_dir=tmp_path) == EXIT_DATABASE_UNAVAILABLE
    assert dialogs.shown and "保护触发器缺失" in dialogs.shown[0][1] and "audit_log_no_update" in dialogs.shown[0][1]


def test_empty_database_opens_with_no_cases(qtbot: QtBot, db: Database) -> None:
    window = build_main_window(db, RecordingDialogs())
    qtbot.addWidget(window)
    assert window.count_label.text() == "共 0 件"
    assert window.detail.case_id is None and window.detail.title.text() == "请在左侧列表中选择案件"


def test_runner_commits_emits_and_shows_known_errors(qtbot: QtBot, db: Database) -> None:
    dialogs = RecordingDialogs()
    ctx = build_context(db, dialogs)

    def refuse(_s: Session) -> int:
        raise TransitionRefused("调解结案", ["尚未记录调解结果", "仍有未办结的派单"])

    with qtbot.assertNotEmitted(ctx.hub.case_changed):
        outcome = ctx.runner.run(refuse, changed_case=lambda v: v)
    assert not outcome.ok and dialogs.shown == [("暂不能办理：调解结案", "尚未记录调解结果\n仍有未办结的派单")]
    outcome = ctx.runner.run(lambda _s: (_ for _ in ()).throw(ValidationFailed("请填写纠纷简要情况")), quiet=True)
    assert isinstance(outcome.error, ValidationFailed) and len(dialogs.shown) == 1  # quiet: caller shows it
    with qtbot.waitSignal(ctx.hub.case_changed) as signal:
        assert ctx.runner.run(lambda _s: 7, changed_case=lambda v: v).value == 7
    assert signal.args == [7]
