"""The system administrator's centre settings: 期限与颜色 (the 人民调解 time limits and the 督办
colour thresholds) and 节假日 (a year view of the holiday calendar: mark a day 放假 / 调休上班,
import the State Council notice as CSV). Both are guarded by SETTINGS_EDIT in the services, and a
change recounts every open deadline at once (no restart)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from desktop.context import DeskContext
from desktop.form_dialog import FormDialog
from desktop.localisation import DATE_FORMAT
from desktop.screen import fit_to_screen
from models import clock
from models.deadlines import DeadlineSettings, Period
from models.deadlines.calendar import WorkCalendar
from models.deadlines.rules import UNITS
from models.workflow.calendar_store import deadline_settings, set_thresholds, thresholds, work_calendar
from models.workflow.deadline_service import change_calendar_day, change_deadline_settings, import_calendar

DAY_KINDS = (("放假", "holiday"), ("调休上班", "workday"), ("普通日（清除标记）", None))


class LimitsDialog(FormDialog):
    """期限与颜色: the general limit, the complexity table and the 蓝/黄 thresholds."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__("期限与颜色", parent)
        self.ctx = ctx
        with ctx.db.read() as s:
            current, colours = deadline_settings(s), thresholds(s)
        self.general_length = QSpinBox(objectName="generalLength", minimum=1, maximum=365,
                                       value=current.general_limit.length)
        self.general_unit = QComboBox(objectName="generalUnit")
        for key, label in UNITS.items():
            self.general_unit.addItem(label, key)
        self.general_unit.setCurrentIndex(self.general_unit.findData(current.general_limit.unit))
        self.complexity = {name: QSpinBox(objectName=f"limit_{name}", minimum=1, maximum=365, value=period.length)
                           for name, period in current.complexity_limits}
        self.units = dict(current.complexity_limits)
        self.blue = QSpinBox(objectName="blueDays", minimum=0, maximum=60, value=colours.blue_days_before)
        self.yellow = QSpinBox(objectName="yellowDays", minimum=0, maximum=60, value=colours.yellow_days_overdue)
        general = QHBoxLayout()
        general.addWidget(self.general_length)
        general.addWidget(self.general_unit)
        self.form.addRow("人民调解一般期限", general)
        for name, spin in self.complexity.items():
            self.form.addRow(f"{name}（{UNITS[self.units[name].unit]}）", spin)
        self.form.addRow("到期前几天起标蓝", self.blue)
        self.form.addRow("超期几天内标黄（再久标红）", self.yellow)

    def value(self) -> DeadlineSettings:
        return DeadlineSettings(
            Period(self.general_length.value(), self.general_unit.currentData()),
            tuple((name, Period(spin.value(), self.units[name].unit)) for name, spin in self.complexity.items()),
        )

    def submit(self) -> None:
        settings, blue, yellow, actor = self.value(), self.blue.value(), self.yellow.value(), self.ctx.actor()

        def save(session: Session) -> int:  # returns the cases recounted
            set_thresholds(session, blue, yellow, actor)
            return change_deadline_settings(session, settings, actor)

        outcome = self.ctx.runner.run(save, quiet=True)
        if outcome.error is not None:
            return self.fail(outcome.error.message)
        self.ctx.hub.settings_changed.emit()
        self.accept()


class HolidayDialog(QDialog):
    """节假日: twelve month calendars of one year with holidays in red and 调休 workdays in bold;
    clicking a day fills the form below it."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("节假日")
        fit_to_screen(self, 1080, 760)
        self.year = QSpinBox(objectName="year", minimum=2000, maximum=2100, value=clock.today().year)
        self.coverage = QLabel(objectName="coverage", wordWrap=True)
        self.months = [self._month_calendar(m) for m in range(1, 13)]
        self.day = QLineEdit(objectName="day", placeholderText=DATE_FORMAT, readOnly=True)
        self.kind = QComboBox(objectName="kind")
        for label, value in DAY_KINDS:
            self.kind.addItem(label, value)
        self.name = QLineEdit(objectName="holidayName", placeholderText="如：春节")
        self.save_button = QPushButton("保存此日", objectName="saveDay")
        self.import_button = QPushButton("导入国务院通知（CSV）…", objectName="importCsv")
        self.message = QLabel(objectName="message", wordWrap=True)
        self._lay_out()
        self.year.valueChanged.connect(lambda *_: self.refresh())
        self.save_button.clicked.connect(self.save_day)
        self.import_button.clicked.connect(self.import_csv)
        self.refresh()

    def _month_calendar(self, month: int) -> QCalendarWidget:
        widget = QCalendarWidget(objectName=f"month{month}", navigationBarVisible=False, gridVisible=True)
        widget.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        widget.setMinimumSize(220, 170)
        widget.clicked.connect(self._day_clicked)
        return widget

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addWidget(self.coverage, 1)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        for index, calendar in enumerate(self.months):
            box = QVBoxLayout()
            box.addWidget(QLabel(f"{index + 1}月", alignment=Qt.AlignmentFlag.AlignCenter))
            box.addWidget(calendar)
            grid.addLayout(box, index // 4, index % 4)
        scroll = QScrollArea(widgetResizable=True, objectName="yearScroll")
        scroll.setWidget(grid_host)
        edit = QHBoxLayout()
        for label, widget in (("日期", self.day), ("类型", self.kind), ("名称", self.name)):
            edit.addWidget(QLabel(label))
            edit.addWidget(widget)
        edit.addWidget(self.save_button)
        edit.addStretch(1)
        edit.addWidget(self.import_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addLayout(edit)
        layout.addWidget(self.message)
        layout.addWidget(close)

    def refresh(self) -> None:
        year = self.year.value()
        with self.ctx.db.read() as s:
            calendar = work_calendar(s)
        covered = year in calendar.covered_years
        self.coverage.setText(f"{year}年节假日安排已导入" if covered
                              else f"{year}年节假日安排未导入：该年的期限仅按周末顺延")
        self.coverage.setStyleSheet("" if covered else "color: #c00000")
        for month, widget in enumerate(self.months, start=1):
            widget.setCurrentPage(year, month)
            widget.setDateTextFormat(QDate(), QTextCharFormat())
            self._mark_month(widget, calendar, year, month)

    @staticmethod
    def _mark_month(widget: QCalendarWidget, calendar: WorkCalendar, year: int, month: int) -> None:
        for row in calendar.rows():
            if (row.day.year, row.day.month) != (year, month):
                continue
            fmt = QTextCharFormat()
            fmt.setToolTip(row.name or ("放假" if row.kind == "holiday" else "调休上班"))
            if row.kind == "holiday":  # shaded: weekends are already red in Qt's calendar
                fmt.setForeground(QBrush(QColor("#c00000")))
                fmt.setBackground(QBrush(QColor("#f8d7da")))
            else:
                fmt.setFontWeight(QFont.Weight.Bold)
                fmt.setBackground(QBrush(QColor("#fff2cc")))
            widget.setDateTextFormat(QDate(row.day.year, row.day.month, row.day.day), fmt)

    def _day_clicked(self, qdate: QDate) -> None:
        day = date(qdate.year(), qdate.month(), qdate.day())
        self.day.setText(day.isoformat())
        with self.ctx.db.read() as s:
            calendar = work_calendar(s)
        kind = "holiday" if calendar.is_holiday(day) else "workday" if calendar.is_makeup_workday(day) else None
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.name.setText(calendar.name_of(day))

    def save_day(self) -> None:
        if not self.day.text():
            self.message.setText("请先在日历中点选日期")
            return
        day, kind, name, actor = date.fromisoformat(self.day.text()), self.kind.currentData(), self.name.text(), \
            self.ctx.actor()
        outcome = self.ctx.runner.run(lambda s: change_calendar_day(s, day, kind, name, actor), quiet=True)
        if outcome.error is not None:
            self.message.setText(outcome.error.message)
            return
        self.message.setText(f"已保存 {day.isoformat()}，重算了 {outcome.value} 件案件的期限")
        self.ctx.hub.settings_changed.emit()
        self.refresh()

    def import_csv(self) -> None:
        path = self.ctx.dialogs.ask_open_path("导入节假日安排", "CSV 文件 (*.csv)")
        if not path:
            return
        actor = self.ctx.actor()
        outcome = self.ctx.runner.run(lambda s: import_calendar(s, path, actor), quiet=True)
        if outcome.error is not None:
            self.message.setText(outcome.error.message)
            return
        assert outcome.value is not None
        result, touched = outcome.value
        years = "、".join(str(y) for y in result.years)
        self.message.setText(f"已导入 {result.rows} 天（{years} 年），重算了 {touched} 件案件的期限")
        self.ctx.hub.settings_changed.emit()
        if result.years:
            self.year.setValue(max(result.years))
        self.refresh()
