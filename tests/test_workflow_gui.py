"""The workflow widgets over the demo database: supervision list, deadline calendar, start-up
reminder, 双派单 and feedback dialogs, and the liaison workspace with live court-number checks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.context import DeskContext, build_context
from desktop.deadline_views import CASE_ID_ROLE, DeadlineCalendarView, SupervisionPanel, show_startup_summary
from desktop.dispatch_dialogs import DispatchDialog, FeedbackDialog
from desktop.liaison_workspace import LiaisonWorkspace, ReferralDialog
from models import clock
from models.cases.entities import Case
from models.db import Database
from models.workflow.dispatch import case_dispatches
from models.workflow.supervision import overdue_counts
from tests.support.desktop import RecordingDialogs, commit_text


@pytest.fixture
def recorder() -> RecordingDialogs:
    return RecordingDialogs()


@pytest.fixture
def ctx(demo_db: Database, recorder: RecordingDialogs) -> DeskContext:
    return build_context(demo_db, recorder)


def pick(combo: QComboBox, prefix: str) -> None:
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemText(i).startswith(prefix)))


def _open_case_in_mediation(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(Case.id).where(Case.stage == "调", Case.source_channel == "主动排查")
                            .order_by(Case.id)) or 0)


def test_supervision_panel_lists_colours_and_filters_overdue(qtbot: QtBot, ctx: DeskContext, qtmodeltester) -> None:
    panel = SupervisionPanel(ctx)
    qtbot.addWidget(panel)
    qtmodeltester.check(panel.model)
    colours = {panel.model.data(panel.model.index(r, 0)) for r in range(panel.model.rowCount())}
    assert colours == {"蓝", "黄", "红"}
    assert panel.model.data(panel.model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None  # the badge
    panel.overdue_only.setChecked(True)
    assert all("超期" in panel.model.data(panel.model.index(r, 2)) for r in range(panel.model.rowCount()))
    with ctx.db.read() as s:
        every_person = overdue_counts(s, clock.today(), by="person")
    assert sorted(panel.by_person.rows) == sorted(every_person) and len(every_person) > 5  # every row, not five
    table = panel.findChild(QTableView, "overdueByPerson")
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    shown = [table.model().index(r, 1).data() for r in range(table.model().rowCount())]
    assert shown == sorted(shown)
    with qtbot.waitSignal(panel.case_activated) as opened:
        panel.table.doubleClicked.emit(panel.model.index(0, 1))
    assert opened.args == [panel.model.data(panel.model.index(0, 0), CASE_ID_ROLE)]


def test_startup_reminder_names_what_is_due(ctx: DeskContext, recorder: RecordingDialogs) -> None:
    summary = show_startup_summary(ctx)
    assert summary.overdue and recorder.shown[0][0] == "今日期限提醒"
    assert "已超期" in recorder.shown[0][1]


def test_calendar_marks_holidays_and_lists_the_days_deadlines(qtbot: QtBot, ctx: DeskContext) -> None:
    view = DeadlineCalendarView(ctx)
    qtbot.addWidget(view)
    view.calendar.setCurrentPage(2024, 2)
    spring = view.calendar.dateTextFormat().get(QDate(2024, 2, 12))
    assert spring is not None and spring.toolTip() == "春节"
    today = clock.today()
    view.calendar.setCurrentPage(today.year, today.month)
    assert view.by_day, "the demo has deadlines this month"
    day = next(iter(view.by_day))
    view.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
    assert view.model.rowCount() == len(view.by_day[day])


def test_dispatch_dialog_shows_errors_inline_then_dispatches(qtbot: QtBot, ctx: DeskContext) -> None:
    case_id = _open_case_in_mediation(ctx.db)
    dialog = DispatchDialog(ctx, case_id)
    qtbot.addWidget(dialog)
    assert (dialog.lead.currentIndex(), dialog.helper.currentIndex(), dialog.grid.currentIndex()) == (-1, -1, -1)
    pick(dialog.lead, "玉门镇人民政府")
    dialog.submit()
    assert "属地网格员" in dialog.error.text()
    dialog.grid.setCurrentIndex(0)
    with qtbot.waitSignal(dialog.dispatched), qtbot.waitSignal(ctx.hub.case_changed):
        dialog.submit()
    with ctx.db.read() as s:
        views = case_dispatches(s, case_id)
    assert [t.role for t in views[-1].targets] == ["主办", "属地监督"] and views[-1].targets[0].deadline
    assert all(t.person for t in views[-1].targets)  # real accounts, not free text


def test_feedback_dialog_walks_the_loop_and_reopens_on_dissatisfaction(qtbot: QtBot, ctx: DeskContext) -> None:
    case_id = _open_case_in_mediation(ctx.db)
    dispatch = DispatchDialog(ctx, case_id)
    qtbot.addWidget(dispatch)
    pick(dispatch.lead, "玉门镇人民政府")
    dispatch.grid.setCurrentIndex(0)
    with qtbot.waitSignal(dispatch.dispatched) as sent:
        dispatch.submit()
    dialog = FeedbackDialog(ctx, sent.args[0])
    qtbot.addWidget(dialog)
    assert dialog.action.currentIndex() == -1
    dialog.action.setCurrentIndex(dialog.action.findData("feedback"))
    dialog.submit()
    assert "须填写说明" in dialog.error.text()
    commit_text(dialog.text, "已上门调处")
    dialog.submit()
    dialog.action.setCurrentIndex(dialog.action.findData("verify_pass"))
    dialog.submit()
    assert dialog.action.currentIndex() == -1 and dialog.satisfaction.currentIndex() == -1
    dialog.action.setCurrentIndex(dialog.action.findData("evaluate"))
    assert dialog.satisfaction.isEnabled()
    dialog.submit()
    assert "满意度" in dialog.error.text()
    dialog.satisfaction.setCurrentText("不满意")
    commit_text(dialog.text, "当事人反映未解决")
    dialog.submit()
    assert "退回重办" in dialog.status.text() and dialog.history.rowCount() == 4


def test_liaison_workspace_and_live_court_number_check(qtbot: QtBot, ctx: DeskContext, qtmodeltester) -> None:
    workspace = LiaisonWorkspace(ctx)
    qtbot.addWidget(workspace)
    qtmodeltester.check(workspace.model)
    assert workspace.model.rowCount() >= 20
    workspace.table.setCurrentIndex(workspace.model.index(0, 1))
    assert "诉前调解案号：（" in workspace.detail.text()
    workspace.open_only.setChecked(True)
    assert all(v.closing_method is None for v in workspace.model.views)
    case_id = _open_case_in_mediation(ctx.db)
    dialog = ReferralDialog(ctx, case_id)
    qtbot.addWidget(dialog)
    assert not dialog.check_number("（2024）美0981民诉前调1号") and "代字" in dialog.number_hint.text()
    dialog.number.setText("(2025)甘0981民诉前调9001号")
    assert dialog.number_hint.text().startswith("✓ （2025）甘0981民诉前调9001号")
    with qtbot.waitSignal(dialog.registered):
        dialog.submit()
    workspace.open_only.setChecked(False)
    assert any(v.pre_suit_number == "（2025）甘0981民诉前调9001号" for v in workspace.model.views)


def test_extension_dialog_refuses_without_reason_then_moves_the_deadline(qtbot: QtBot, ctx: DeskContext) -> None:
    from desktop.supervision_dialogs import ExtensionDialog
    from models.workflow.deadline_service import case_deadlines

    case_id = _open_case_in_mediation(ctx.db)
    with ctx.db.read() as s:
        before = case_deadlines(s, case_id)[0]
    dialog = ExtensionDialog(ctx, before.id)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert "理由" in dialog.error.text()
    commit_text(dialog.reason, "经双方当事人同意延长")
    with qtbot.waitSignal(dialog.extended):
        dialog.submit()
    with ctx.db.read() as s:
        after = next(d for d in case_deadlines(s, case_id) if d.id == before.id)
    assert after.extensions == 1 and after.due_date > before.due_date


def test_supervision_order_dialog_issues_a_numbered_order(qtbot: QtBot, ctx: DeskContext) -> None:
    from desktop.supervision_dialogs import SupervisionOrderDialog
    from models.workflow.supervision import list_supervisions

    case_id = _open_case_in_mediation(ctx.db)
    dialog = SupervisionOrderDialog(ctx, case_id)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert "督办要求" in dialog.error.text()
    dialog.level.setCurrentIndex(2)
    commit_text(dialog.requirement, "请三日内书面回告化解进展")
    with qtbot.waitSignal(dialog.issued):
        dialog.submit()
    with ctx.db.read() as s:
        order = list_supervisions(s, case_id=case_id)[0]
    assert order.level == "红" and order.number.startswith(f"督办〔{clock.today().year}〕")
