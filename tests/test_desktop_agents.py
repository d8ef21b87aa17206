"""Agents on the intake form: a party's 委托代理人 or 法定代理人 entered in a sub-form, saved with
the case, checked inline (a 委托代理人 needs its 代理权限) and kept in drafts."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.intake_dialog import DRAFT_FORM, IntakeDialog
from desktop.main_window import MainWindow
from desktop.party_editor import AgentEditor
from models.cases.drafts import DraftStore
from models.cases.queries import case_detail
from models.dto import AgentInput
from tests.support.desktop import RecordingDialogs, commit_text, dialogs, window
from tests.test_desktop_intake import fill_case, fill_party

__all__ = ["dialogs", "window"]  # fixtures used by name below


def choose(agent: AgentEditor, key: str, text: str) -> None:
    combo = agent.form.inputs[key]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findText(text))


def fill_agent(agent: AgentEditor, qtbot: QtBot, authority: str = "") -> None:
    choose(agent, "kind", "委托代理人")
    commit_text(agent.form.inputs["name"], "赵律师")
    commit_text(agent.form.inputs["unit"], "甘肃玉门律师事务所")
    if authority:
        choose(agent, "authority", authority)
    qtbot.keyClicks(agent.form.inputs["phone"], "13912345678")


def ready_dialog(window: MainWindow, qtbot: QtBot) -> IntakeDialog:
    dialog = window.open_intake()
    fill_case(dialog, qtbot)
    fill_party(dialog.parties[0], "张三", qtbot)
    fill_party(dialog.parties[1], "李四", qtbot)
    return dialog


def test_agent_with_special_authority_is_saved_with_its_party(qtbot: QtBot, window: MainWindow) -> None:
    dialog = ready_dialog(window, qtbot)
    respondent = dialog.parties[1]
    qtbot.mouseClick(respondent.add_agent_button, Qt.MouseButton.LeftButton)
    assert len(respondent.agents) == 1 and respondent.agents[0].heading.text() == "代理人 1"
    fill_agent(respondent.agents[0], qtbot, "特别授权")
    assert dialog.save(), dialog.form_message.text()
    with window.ctx.db.read() as s:
        saved = case_detail(s, case_id=dialog.created.id)
    assert saved.parties[0].agents == ()
    (agent,) = saved.parties[1].agents
    assert (agent.kind, agent.name, agent.unit, agent.authority, agent.phone) == (
        "委托代理人", "赵律师", "甘肃玉门律师事务所", "特别授权", "13912345678")


def test_agent_without_authority_is_marked_inline_and_keeps_its_values(
        qtbot: QtBot, window: MainWindow, dialogs: RecordingDialogs) -> None:
    dialog = ready_dialog(window, qtbot)
    agent = dialog.parties[0].add_agent()
    fill_agent(agent, qtbot)  # 代理权限 left blank
    assert not dialog.save()
    qtbot.wait(1)  # Qt shows a widget added to a visible layout on the next event-loop turn
    assert window.count_label.text() == "共 320 件" and dialogs.shown == []
    assert agent.form.message("authority") == "委托代理人须写明代理权限（一般代理或特别授权）"
    assert agent.findChild(QLabel, "error_authority").isVisibleTo(dialog)
    assert dialog.form_message.text() == "请更正标红的项目后再保存"
    name, unit = agent.form.inputs["name"], agent.form.inputs["unit"]
    assert isinstance(name, QLineEdit) and isinstance(unit, QLineEdit)
    assert (name.text(), unit.text()) == ("赵律师", "甘肃玉门律师事务所")
    assert agent.form.values()["kind"] == "委托代理人"
    choose(agent, "authority", "一般代理")  # corrected: now it saves
    assert dialog.save(), dialog.form_message.text()
    assert window.count_label.text() == "共 321 件"


def test_statutory_agent_needs_no_authority_and_removed_agents_are_not_saved(
        qtbot: QtBot, window: MainWindow) -> None:
    dialog = ready_dialog(window, qtbot)
    applicant = dialog.parties[0]
    guardian, dropped = applicant.add_agent(), applicant.add_agent()
    choose(guardian, "kind", "法定代理人")
    commit_text(guardian.form.inputs["name"], "张父")
    applicant.remove_agent(dropped)  # left blank, then removed: must not block saving
    assert [a.heading.text() for a in applicant.agents] == ["代理人 1"]
    assert dialog.save(), dialog.form_message.text()
    with window.ctx.db.read() as s:
        saved = case_detail(s, case_id=dialog.created.id)
    assert [(a.kind, a.name, a.authority) for a in saved.parties[0].agents] == [("法定代理人", "张父", None)]


def test_agent_name_is_checked_as_it_is_left(qtbot: QtBot, window: MainWindow) -> None:
    agent = window.open_intake().parties[0].add_agent()
    cast(QLineEdit, agent.form.inputs["name"]).editingFinished.emit()
    assert agent.form.message("name") == "请填写姓名"


def test_draft_round_trip_keeps_the_agent(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    typed = ready_dialog(window, qtbot)
    fill_agent(typed.parties[1].add_agent(), qtbot, "特别授权")
    store = DraftStore(tmp_path / "drafts")
    store.save(7, DRAFT_FORM, typed.draft_payload(), reason="自动保存")  # through JSON on disk
    payload = store.load(7, DRAFT_FORM).payload
    assert payload["parties"][1]["agents"][0]["name"] == "赵律师"
    window.ctx.dialogs.answers.append("不保留，直接关闭")  # type: ignore[attr-defined]
    typed.reject()
    restored = window.open_intake()
    restored.restore_draft(payload)
    assert restored.draft_payload() == payload
    (agent,) = restored.parties[1].agents
    assert agent.form.values()["authority"] == "特别授权" and restored.parties[0].agents == []
    assert restored.parties[1].validate().cleaned["agents"] == (
        AgentInput("委托代理人", "赵律师", "甘肃玉门律师事务所", "特别授权", "13912345678"),)
