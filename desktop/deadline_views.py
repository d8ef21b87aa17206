"""Supervision in the desktop: the deadline list (蓝/黄/红, overdue only, by desk or person), the
deadline calendar (holidays, 调休 workdays and due dates by colour) and the start-up reminder of
what is due today and overdue. Self-contained widgets over DeskContext; they refresh themselves on
the hub's case_changed and emit case_activated(case_id) when the user opens a row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.events import ChangeFollower
from models import clock
from models.deadlines import days_left_text, worst_colour
from models.workflow.calendar_store import work_calendar
from models.workflow.deadline_service import DeadlineView, calendar_warnings, has_open_deadlines
from models.workflow.supervision import (
    DeadlineFilter,
    DueSummary,
    deadlines_between,
    due_summary,
    list_deadlines,
    overdue_counts,
)

COLOURS = {"红": QColor("#e06666"), "黄": QColor("#f6c26b"), "蓝": QColor("#6fa8dc")}
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
Today = Callable[[], date]


def colour_brush(colour: str | None) -> QBrush | None:
    """The badge brush for a supervision colour (also for the case list's colour column)."""
    return QBrush(COLOURS[colour]) if colour in COLOURS else None


days_text = days_left_text  # the one wording, kept under the name the panels use


class DeadlineTableModel(QAbstractTableModel):
    HEADERS = ("督办", "到期日", "剩余", "案件编号", "期限", "窗口", "承办人")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[DeadlineView] = []

    def set_rows(self, rows: Sequence[DeadlineView]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(row)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 0:
            return colour_brush(row.colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.name}（{row.trigger} {row.trigger_date}）\n{row.legal_basis}"
        if role == CASE_ID_ROLE:
            return row.case_id
        return None

    @staticmethod
    def _cells(row: DeadlineView) -> tuple[str, ...]:
        return (row.colour or "", row.due_date.isoformat(), days_text(row.days_left), row.case_number, row.name,
                row.desk or "", row.person or "")

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None


def make_table(model: QAbstractItemModel, name: str) -> QTableView:
    """A read-only row table whose columns fit their contents (full case numbers, never cut)."""
    view = QTableView(objectName=name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    return view


class CountsModel(QAbstractTableModel):
    """(name, count) rows; the count is an int so sorting by it is numeric."""

    def __init__(self, headers: tuple[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[tuple[str, int]] = []

    def set_rows(self, rows: Sequence[tuple[str, int]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


def sortable_table(model: QAbstractTableModel, name: str) -> QTableView:
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    view = make_table(proxy, name)
    view.setSortingEnabled(True)
    view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    return view


class SupervisionPanel(QWidget):
    """督办 list: approaching / due / overdue deadlines with scope (全部 / 本窗口 / 本人)."""

    case_activated = Signal(int)
    SCOPES = ("全部", "本窗口", "本人")

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, today: Today = clock.today) -> None:
        super().__init__(parent)
        self.ctx, self.today = ctx, today
        self.model = DeadlineTableModel(self)
        self.overdue_only = QCheckBox("只看超期", objectName="overdueOnly")
        self.scope = QComboBox(objectName="scope")
        self.scope.addItems(self.SCOPES)
        self.table = make_table(self.model, "deadlineTable")
        self.by_desk = CountsModel(("窗口", "超期件数"), self)
        self.by_person = CountsModel(("承办人", "超期件数"), self)
        counts = QHBoxLayout()
        for title, model, name in (("超期（按窗口）", self.by_desk, "overdueByDesk"),
                                   ("超期（按承办人）", self.by_person, "overdueByPerson")):
            box = QVBoxLayout()
            box.addWidget(QLabel(title))
            box.addWidget(sortable_table(model, name))
            counts.addLayout(box)
        self.warnings = QLabel(objectName="calendarWarnings", wordWrap=True)  # holidays not entered yet
        self.warnings.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.overdue_only)
        bar.addWidget(self.scope)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 3)
        layout.addLayout(counts, 2)
        layout.addWidget(self.warnings)
        self.overdue_only.toggled.connect(self.refresh)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.table.doubleClicked.connect(self._activated)
        ChangeFollower(self, ctx.hub, self.refresh, self._concerns)
        ctx.hub.settings_changed.connect(self.refresh)  # limits, colours or holidays changed: all rows may move
        self.refresh()

    def _concerns(self, case_id: int) -> bool:
        """A change matters when the case is listed now or has an open deadline that may enter the list."""
        return any(row.case_id == case_id for row in self.model.rows) or self._has_open_deadlines(case_id)

    def _has_open_deadlines(self, case_id: int) -> bool:
        with self.ctx.db.read() as session:
            return has_open_deadlines(session, case_id)

    def current_filter(self) -> DeadlineFilter:
        scope = self.scope.currentText()
        return DeadlineFilter(
            overdue_only=self.overdue_only.isChecked(),
            desk_id=self.ctx.desk_id if scope == "本窗口" else None,
            person_id=self.ctx.user_id if scope == "本人" else None,
        )

    def refresh(self, *_args: object) -> None:
        today = self.today()
        with self.ctx.db.read() as session:
            self.model.set_rows(list_deadlines(session, today, self.current_filter()))
            self.by_desk.set_rows(overdue_counts(session, today, by="desk"))
            self.by_person.set_rows(overdue_counts(session, today, by="person"))
        warnings = calendar_warnings(self.model.rows)
        self.warnings.setText("\n".join(f"注意：{w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))

    def _activated(self, index: QModelIndex) -> None:
        case_id = self.model.data(index, CASE_ID_ROLE)
        if case_id is not None:
            self.case_activated.emit(case_id)


def show_startup_summary(ctx: DeskContext, today: date | None = None,
                         show: Callable[[str, str], None] | None = None) -> DueSummary:
    """At start-up: tell the user what is due today and overdue (nothing is shown when all is clear);
    `show(title, text)` defaults to a message box."""
    with ctx.db.read() as session:
        summary = due_summary(session, today or clock.today(), DeadlineFilter(desk_id=ctx.desk_id))
    if summary.due_today or summary.overdue or summary.open_supervisions:
        urgent = [*summary.due_today, *summary.overdue[:8]]
        lines = [f"{d.colour or ''} {d.case_number} {d.name} {days_text(d.days_left)}" for d in urgent]
        (show or ctx.dialogs.inform)("今日期限提醒", "\n".join([summary.message, *lines]))
    return summary


class DeadlineCalendarView(QWidget):
    """A month calendar: holidays in red, 调休 workdays in bold, due dates shaded by their colour;
    the list below shows the deadlines of the selected day."""

    case_activated = Signal(int)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, today: Today = clock.today) -> None:
        super().__init__(parent)
        self.ctx, self.today = ctx, today
        self.calendar = QCalendarWidget(objectName="deadlineCalendar", gridVisible=True)
        self.model = DeadlineTableModel(self)
        self.table = make_table(self.model, "dayDeadlines")
        self.by_day: dict[date, list[DeadlineView]] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.calendar)
        layout.addWidget(self.table)
        self.calendar.currentPageChanged.connect(lambda *_: self.refresh())
        self.calendar.selectionChanged.connect(self._show_selected_day)
        self.table.doubleClicked.connect(lambda i: self.case_activated.emit(self.model.data(i, CASE_ID_ROLE)))
        ChangeFollower(self, ctx.hub, self.refresh, self._concerns)
        ctx.hub.settings_changed.connect(self.refresh)  # limits, colours or holidays changed: all rows may move
        self.refresh()

    def _concerns(self, case_id: int) -> bool:
        """A change matters when the case has a deadline shown this month or one that may move into it."""
        shown = any(row.case_id == case_id for rows in self.by_day.values() for row in rows)
        if shown:
            return True
        with self.ctx.db.read() as session:
            return has_open_deadlines(session, case_id)

    def _month(self) -> tuple[date, date]:
        first = date(self.calendar.yearShown(), self.calendar.monthShown(), 1)
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, date.fromordinal(following.toordinal() - 1)

    def refresh(self) -> None:
        first, last = self._month()
        with self.ctx.db.read() as session:
            calendar = work_calendar(session)
            rows = deadlines_between(session, first, last, self.today())
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # clear the previous month's marks
        self.by_day = {}
        for row in rows:
            self.by_day.setdefault(row.due_date, []).append(row)
        for offset in range((last - first).days + 1):
            day = date.fromordinal(first.toordinal() + offset)
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), self._format(day, calendar))
        self._show_selected_day()

    def _format(self, day: date, calendar: Any) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if calendar.is_holiday(day):
            fmt.setForeground(QBrush(QColor("#c00000")))
            fmt.setToolTip(calendar.name_of(day) or "放假")
        elif calendar.is_makeup_workday(day):
            fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setForeground(QBrush(QColor("#000000")))
            fmt.setToolTip(calendar.name_of(day) or "调休上班")
        due = self.by_day.get(day, [])
        worst = worst_colour(d.colour for d in due)
        if due:
            fmt.setBackground(colour_brush(worst) or QBrush(QColor("#e8e8e8")))
            fmt.setToolTip(f"{len(due)} 项到期")
        return fmt

    def _show_selected_day(self) -> None:
        picked = self.calendar.selectedDate()
        self.model.set_rows(self.by_day.get(date(picked.year(), picked.month(), picked.day()), []))
