"""Sessions and follow-ups in the desktop: the case view's 调解记录 and 回访记录 tabs (a table each,
with the buttons that open their dialogs), and the dock's 今日调解安排 and 待回访 lists, which open
a case on double-click. Each view reloads itself when its case (or any case) changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.context import DeskContext
from desktop.deadline_views import make_table
from desktop.events import ChangeFollower
from desktop.rows_table_model import RowsTableModel
from desktop.session_dialogs import FollowUpDialog, SessionDialog
from models import clock
from models.cases.followups import DueFollowUp, FollowUpView, case_followups, followups_due
from models.cases.sessions import DayRow, SessionView, case_sessions, sessions_on
from models.cases.stages import CLOSED_STAGES, Stage
from models.deadlines import days_left_text

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SESSION_HEADERS = ("时间", "地点", "状态", "调解员", "到场", "调解结果", "下一步")
FOLLOW_UP_HEADERS = ("回访日期", "方式", "回访当事人", "履行情况", "满意度", "回访人", "回访情况")
DAY_HEADERS = ("时间", "案件编号", "地点", "调解员", "当事人", "状态")
DUE_HEADERS = ("应回访日期", "剩余", "案件编号", "调解员", "办结日期", "依据")


def session_row(v: SessionView) -> tuple[str, ...]:
    present = [p.name for p in v.parties if p.present] + list(v.agents)
    return (v.when, v.place, v.status, "、".join(v.mediators), "、".join(present), v.result, v.next_step)


def follow_up_row(v: FollowUpView) -> tuple[str, ...]:
    return (f"{v.visited_on}", v.method, "、".join(v.parties), v.performance_text, v.satisfaction, v.visitor, v.notes)


class CaseSessionsView(QWidget):
    """调解记录 of one case: 安排/记录调解… and 编辑所选… (e.g. write the result of a scheduled one)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.stage = ctx, ""
        self.case_id: int | None = None
        self.views: tuple[SessionView, ...] = ()
        self.model = RowsTableModel(SESSION_HEADERS, self)
        self.table = make_table(self.model, "sessionsTable")
        self.table.doubleClicked.connect(lambda index: self.open_session(self.views[index.row()].id))
        self.add_button = QPushButton("安排/记录调解…", objectName="addSession")
        self.add_button.clicked.connect(lambda: self.open_session())
        self.edit_button = QPushButton("编辑所选…", objectName="editSession")
        self.edit_button.clicked.connect(self._edit_selected)
        self.dialog: SessionDialog | None = None
        _lay_out(self, self.table, self.add_button, self.edit_button)

    def show_case(self, case_id: int | None, stage: str = "") -> None:
        self.case_id, self.stage = case_id, stage
        if case_id is None:
            self.views = ()
        else:
            with self.ctx.db.read() as session:
                self.views = case_sessions(session, case_id)
        self.model.set_rows([session_row(v) for v in self.views])
        open_case = case_id is not None and stage not in CLOSED_STAGES
        self.add_button.setEnabled(open_case)
        self.edit_button.setEnabled(open_case and bool(self.views))

    def _edit_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.ctx.dialogs.inform("编辑调解记录", "请先在表中选择一次调解")
            return
        self.open_session(self.views[rows[0].row()].id)

    def open_session(self, session_id: int | None = None) -> SessionDialog | None:
        if self.case_id is None:
            return None
        self.dialog = SessionDialog(self.ctx, self.case_id, session_id, self)
        self.dialog.open()
        return self.dialog


class CaseFollowUpsView(QWidget):
    """回访记录 of one case, and 记录回访… once the case is 办结."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id: int | None = None
        self.model = RowsTableModel(FOLLOW_UP_HEADERS, self)
        self.table = make_table(self.model, "followUpsTable")
        self.add_button = QPushButton("记录回访…", objectName="addFollowUp")
        self.add_button.setToolTip("办结后回访当事人；不满意或未履行将重新调解")
        self.add_button.clicked.connect(self.open_follow_up)
        self.dialog: FollowUpDialog | None = None
        _lay_out(self, self.table, self.add_button)

    def show_case(self, case_id: int | None, stage: str = "") -> None:
        self.case_id = case_id
        views: tuple[FollowUpView, ...] = ()
        if case_id is not None:
            with self.ctx.db.read() as session:
                views = case_followups(session, case_id)
        self.model.set_rows([follow_up_row(v) for v in views])
        self.add_button.setEnabled(case_id is not None and stage == Stage.CLOSED)

    def open_follow_up(self) -> FollowUpDialog | None:
        if self.case_id is None:
            return None
        self.dialog = FollowUpDialog(self.ctx, self.case_id, self)
        self.dialog.open()
        return self.dialog


def _lay_out(view: QWidget, table: QWidget, *buttons: QPushButton) -> None:
    layout = QVBoxLayout(view)
    layout.addWidget(table)
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout.addLayout(row)


class _CaseListPanel(QWidget):
    """A dock list of cases (a count line above a table) that follows changes and opens a case on
    double-click; subclasses fill `rows` (each with a case_id) in `refresh`."""

    case_activated = Signal(int)

    def __init__(self, ctx: DeskContext, name: str, headers: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"{name}Panel")
        self.rows: list = []
        self.model = RowsTableModel(headers, self)
        self.table = make_table(self.model, f"{name}Table")
        self.table.doubleClicked.connect(self._activate)
        self.count = QLabel(objectName=f"{name}Count")
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.table)
        self.follower = ChangeFollower(self, ctx.hub, self.refresh)
        self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError

    def _activate(self, index: QModelIndex) -> None:
        self.case_activated.emit(self.rows[index.row()].case_id)


class DaySchedulePanel(_CaseListPanel):
    """今日调解安排: today's sessions of every desk (or the chosen desk), by time."""

    rows: list[DayRow]

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "daySchedule", DAY_HEADERS, parent)

    def refresh(self) -> None:
        today = clock.today()
        with self.ctx.db.read() as session:
            self.rows = sessions_on(session, today, desk_id=self.ctx.desk_id)
        self.model.set_rows([(f"{r.start_time:%H:%M}", r.case_number, r.place, r.mediators, r.parties, r.status)
                             for r in self.rows])
        self.count.setText(f"{today:%Y-%m-%d} 调解安排 {len(self.rows)} 场")


class FollowUpDuePanel(_CaseListPanel):
    """待回访: closed cases whose visit has fallen due (the signed-in mediator's first when asked)."""

    rows: list[DueFollowUp]

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "followUpDue", DUE_HEADERS, parent)

    def refresh(self) -> None:
        today = clock.today()
        with self.ctx.db.read() as session:
            self.rows = followups_due(session, today)
        mine = sum(1 for r in self.rows if self.ctx.user_id is not None and r.mediator_id == self.ctx.user_id)
        self.model.set_rows([(f"{r.due_on}", days_left_text(r.days_left(today)), r.case_number, r.mediator or "—",
                              f"{r.closed_on}", r.basis) for r in self.rows])
        self.count.setText(f"待回访 {len(self.rows)} 件" + (f"，其中本人承办 {mine} 件" if mine else ""))


def install(window: MainWindow) -> tuple[DaySchedulePanel, FollowUpDuePanel]:
    """Add 今日调解安排 and 待回访 to the main window's workflow dock (built by desktop.workflow_panels)."""
    panels = window.workflow
    assert panels is not None  # installed first by the composition root
    day, due = DaySchedulePanel(window.ctx), FollowUpDuePanel(window.ctx)
    panels.tabs.insertTab(1, day, "今日调解安排")
    panels.tabs.insertTab(2, due, "待回访")
    for panel in (day, due):
        panel.case_activated.connect(window.select_case)
    return day, due
