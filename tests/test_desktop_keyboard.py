"""Keyboard-first intake and sign-in, pressed key by key as a clerk would: Tab visits every field
in reading order (parties included, then the buttons), Tab leaves a multi-line box, Enter in a
combo box moves on instead of saving, Esc asks before giving typed input up, and the sign-in
dialog opens with the cursor in 用户名."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.intake_dialog import DRAFT_FORM, IntakeDialog
from desktop.login_dialog import LoginDialog
from desktop.main_window import MainWindow
from models.cases.entities import Case
from tests.support.desktop import RecordingDialogs, commit_text
from tests.test_desktop_intake import fill_case


def _open(window: MainWindow, qtbot: QtBot) -> IntakeDialog:
    dialog = window.open_intake()
    qtbot.waitExposed(dialog)
    return dialog


def _tab_walk(start: QWidget, qtbot: QtBot, stops: int) -> list[QWidget]:
    """Press Tab from `start` until `stops` different widgets had the focus, in order. (A date
    field takes a Tab per section — year, month, day — as Qt's date fields do: one stop.)"""
    start.setFocus()
    seen = [start]
    for _ in range(stops * 4):
        qtbot.keyClick(start.window().focusWidget(), Qt.Key.Key_Tab)
        now = start.window().focusWidget()
        if now is not seen[-1]:
            seen.append(now)
        if len(seen) == stops:
            break
    return seen


def test_tab_visits_every_intake_field_in_reading_order(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open(window, qtbot)
    dialog.parties[0].add_agent()
    qtbot.wait(20)  # the new sub-form is shown by its layout on the next turn of the event loop
    expected = [w for w in dialog.chain_tab_order() if w.isVisibleTo(dialog) and w.isEnabled()]
    walked = _tab_walk(expected[0], qtbot, len(expected))
    assert [w.objectName() for w in walked] == [w.objectName() for w in expected]
    assert walked == expected
    names = [w.objectName() for w in expected]
    # committee first, then the case, then party 1 (with its agent) and party 2, then the buttons
    assert names[0] == "field_committee_id" and names[-3:] == ["addParty", "saveButton", "cancelButton"]
    assert names.index("field_summary") < names.index("partySide") < names.index("removeAgent") < names.index("addAgent")
    assert walked[names.index("partySide")] is dialog.parties[0].side
    assert dialog.parties[1].side in walked


def test_tab_leaves_a_multi_line_box_without_typing_a_tab(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open(window, qtbot)
    summary = dialog.case_form.inputs["summary"]
    assert isinstance(summary, QPlainTextEdit)
    commit_text(summary, "邻里排水沟纠纷")
    qtbot.keyClick(summary, Qt.Key.Key_Tab)
    assert summary.toPlainText() == "邻里排水沟纠纷" and dialog.focusWidget() is not summary


def test_enter_in_a_combo_box_moves_on_and_never_saves(qtbot: QtBot, window: MainWindow) -> None:
    with window.ctx.db.read() as s:
        before = s.scalar(select(func.count()).select_from(Case))
    dialog = _open(window, qtbot)
    fill_case(dialog, qtbot)
    risk = dialog.case_form.inputs["risk_colour"]
    risk.setFocus()
    qtbot.keyClick(risk, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.focusWidget() is not risk
    with window.ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == before


def test_escape_asks_and_can_keep_the_input_as_a_draft(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from models.cases.drafts import DraftStore

    window.ctx.drafts = DraftStore(tmp_path)
    dialogs = window.ctx.dialogs
    assert isinstance(dialogs, RecordingDialogs)
    dialog = _open(window, qtbot)
    commit_text(dialog.case_form.inputs["summary"], "借款到期未还")
    dialogs.answers.append("继续填写")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    dialogs.answers.append("保留为草稿并关闭")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    kept = window.ctx.drafts.load(window.ctx.user_id, DRAFT_FORM)
    assert kept is not None and kept.payload["case"]["summary"] == "借款到期未还"


def test_an_untouched_intake_closes_without_asking(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open(window, qtbot)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_sign_in_opens_with_the_cursor_in_the_user_name(qtbot: QtBot) -> None:
    dialog = LoginDialog(lambda user, password: None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.username)
    qtbot.keyClicks(dialog.focusWidget(), "tj00")
    assert dialog.username.text() == "tj00" and dialog.password.text() == ""


def test_with_the_user_name_given_the_cursor_starts_in_the_password(qtbot: QtBot) -> None:
    dialog = LoginDialog(lambda user, password: None)
    qtbot.addWidget(dialog)
    dialog.username.setText("tj00")
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.password)
