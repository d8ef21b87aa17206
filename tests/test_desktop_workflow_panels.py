"""The workflow dock and the 办理 menu in the main window: double-clicking a deadline opens its
case, and each case action opens its dialog for the selected case (or says what is missing)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.deadline_views import CASE_ID_ROLE
from desktop.dispatch_dialogs import DispatchDialog, FeedbackDialog
from desktop.liaison_workspace import ReferralDialog
from desktop.main_window import MainWindow
from desktop.supervision_dialogs import ExtensionDialog, SupervisionOrderDialog
from models.workflow.entities import DispatchEvent
from tests.support.desktop import RecordingDialogs


def test_dock_lists_deadlines_and_opens_their_case(qtbot: QtBot, window: MainWindow) -> None:
    panels = window.workflow
    titles = [panels.tabs.tabText(i) for i in range(panels.tabs.count())]
    assert titles == ["待我办理", "今日调解安排", "待回访", "督办提醒", "期限日历", "诉调对接登记簿", "督办单"], titles
    assert panels.dock.isHidden()  # 今日调解安排 and 待回访: desktop/session_views.install (sessions branch)
    panels.actions["workspace"].trigger()
    assert panels.dock.isVisible()
    model = panels.supervision.model
    assert model.rowCount() > 0
    panels.supervision.table.doubleClicked.emit(model.index(0, 0))
    assert window.selected_case_id == model.data(model.index(0, 0), CASE_ID_ROLE)


def test_case_actions_open_dialogs_for_the_selected_case(qtbot: QtBot, window: MainWindow,
                                                        dialogs: RecordingDialogs) -> None:
    panels = window.workflow
    window.selected_case_id = None
    panels.actions["dispatch"].trigger()
    assert "请先选择案件" in dialogs.texts
    window.select_row(1)
    assert window.selected_case_id is not None
    for name, kind in (("dispatch", DispatchDialog), ("supervise", SupervisionOrderDialog), ("referral", ReferralDialog)):
        panels.actions[name].trigger()
        opened = [d for d in window.findChildren(kind) if d.isVisible()]
        assert len(opened) == 1, name
        opened[0].reject()


def test_feedback_and_extension_pick_from_the_case(qtbot: QtBot, window: MainWindow, dialogs: RecordingDialogs) -> None:
    panels = window.workflow
    with window.ctx.db.read() as s:
        assert s.scalars(select(DispatchEvent.dispatch_id)).first() is not None  # the demo has dispatches
    for row in range(window.model.rowCount()):
        window.select_row(row)
        dialog = panels.open_feedback()
        if dialog is not None:
            assert isinstance(dialog, FeedbackDialog)
            dialog.reject()
            break
    else:
        raise AssertionError("no case in the demo has an open dispatch")
    dialogs.answers = [None] * 50
    for row in range(window.model.rowCount()):
        window.select_row(row)
        dialogs.shown.clear()
        dialog = panels.open_extension()
        if isinstance(dialog, ExtensionDialog):
            dialog.reject()
            return
    raise AssertionError("no case in the demo has a running deadline")


def test_start_up_opens_the_due_list_without_a_blocking_box(qtbot: QtBot, window: MainWindow,
                                                           dialogs: RecordingDialogs) -> None:
    panels = window.workflow
    panels.show_due_on_start()
    assert dialogs.shown == []
    assert panels.dock.isVisible() and panels.tabs.currentWidget() is panels.supervision
    assert "超期" in window.statusBar().currentMessage() or "到期" in window.statusBar().currentMessage()
