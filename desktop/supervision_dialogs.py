"""Small supervision dialogs: record an extension event on a deadline (延长, with its reason and the
rule's cap enforced by the engine) and issue a 督办单 (level, requirement, reply deadline). Errors are
shown inline; each save is one unit of work through the command runner."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop.context import DeskContext
from desktop.form_dialog import FormDialog
from desktop.spec_form import date_input, date_of
from models import clock
from models.deadlines import days_left_text
from models.deadlines.rules import UNITS
from models.workflow.deadline_service import extend_deadline, extension_cap, find_deadline
from models.workflow.supervision import LEVEL_NAMES, SUPERVISION_LEVELS, issue_supervision


class ExtensionDialog(FormDialog):
    """延长期限: length and unit, the day granted and why (e.g. 双方当事人同意延长 / 院长批准)."""

    extended = Signal(int)  # the deadline id

    def __init__(self, ctx: DeskContext, deadline_id: int, parent: QWidget | None = None) -> None:
        super().__init__("延长期限", parent)
        self.ctx, self.deadline_id = ctx, deadline_id
        with ctx.db.read() as session:
            view = find_deadline(session, deadline_id)
        self.which = QLabel(f"{view.case_number}　{view.name}\n起算 {view.trigger_date}　到期 {view.due_date}"
                            f"（{days_left_text(view.days_left)}）\n依据：{view.legal_basis}",
                            objectName="deadlineName", wordWrap=True)
        self.cap = QLabel(f"法定延长：{extension_cap(view.rule_code)}", objectName="extensionCap", wordWrap=True)
        self.form.addRow("期限", self.which)
        self.form.addRow("", self.cap)
        self.length = QSpinBox(objectName="length", minimum=1, maximum=999, value=15)
        self.unit = QComboBox(objectName="unit")
        for key, label in UNITS.items():
            self.unit.addItem(label.removeprefix("个"), key)
        self.granted = date_input(clock.today(), objectName="grantedOn")
        self.reason = QPlainTextEdit(objectName="reason", placeholderText="如：经双方当事人同意延长调解期限")
        for label, widget in (("延长", self.length), ("单位", self.unit), ("批准日期", self.granted),
                              ("理由", self.reason)):
            self.form.addRow(label, widget)

    def submit(self) -> None:
        length, unit, reason = self.length.value(), self.unit.currentData(), self.reason.toPlainText()
        granted = date_of(self.granted)
        outcome = self.ctx.runner.run(
            lambda s: extend_deadline(s, self.deadline_id, length, unit, reason, self.ctx.actor(), granted),
            changed_case=lambda v: v.case_id, quiet=True)
        if outcome.error is not None:
            self.error.setText(outcome.error.message)
            return
        self.extended.emit(self.deadline_id)
        self.accept()


class SupervisionOrderDialog(FormDialog):
    """督办单: 蓝 提醒 / 黄 预警 / 红 挂牌, the requirement and the reply deadline."""

    issued = Signal(int)  # the order id

    def __init__(self, ctx: DeskContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__("发督办单", parent)
        self.ctx, self.case_id = ctx, case_id
        self.level = QComboBox(objectName="level")
        for level in SUPERVISION_LEVELS:
            self.level.addItem(f"{level}（{LEVEL_NAMES[level]}）", level)
        self.reply_due = date_input(clock.today() + timedelta(days=3), objectName="replyDue")
        self.requirement = QPlainTextEdit(objectName="requirement", placeholderText="督办要求")
        for label, widget in (("督办级别", self.level), ("回告期限", self.reply_due), ("督办要求", self.requirement)):
            self.form.addRow(label, widget)

    def submit(self) -> None:
        level, requirement, due = self.level.currentData(), self.requirement.toPlainText(), date_of(self.reply_due)
        outcome = self.ctx.runner.run(
            lambda s: issue_supervision(s, self.case_id, level, requirement, due, self.ctx.actor()),
            changed_case=lambda v: v.case_id, quiet=True)
        if outcome.error is not None:
            self.error.setText(outcome.error.message)
            return
        assert outcome.value is not None
        self.issued.emit(outcome.value.id)
        self.accept()
