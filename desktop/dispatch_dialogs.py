"""双派单 dialogs: DispatchDialog sends one dispatch to the handling department (主办, optional 协办)
and the supervising grid worker at once; FeedbackDialog shows a dispatch's history and applies the
next step of the closed loop (处置反馈, 核查 pass / send back, 回访评价, 归档, 撤销). Errors are shown
inline; each save is one unit of work through the command runner."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.deadline_views import make_table
from desktop.rows_table_model import RowsTableModel
from desktop.spec_form import date_input, date_of
from models import clock
from models.workflow.dispatch import (
    Assignee,
    DispatchView,
    TargetInput,
    dispatch_choices,
    dispatch_view,
    evaluate_dispatch,
    move_dispatch,
    open_dispatch,
)
from models.workflow.dispatch_states import DISSATISFIED, SATISFIED

EVALUATE = "evaluate"  # the one button that asks for a satisfaction; 不满意 becomes the reopen move


def _error_label() -> QLabel:
    label = QLabel(objectName="errorLabel", wordWrap=True)
    label.setStyleSheet("color: #c00000")
    return label


def _choices(name: str, labels: list[str]) -> QComboBox:
    combo = QComboBox(objectName=name)
    combo.addItems(labels)
    combo.setCurrentIndex(-1)  # every choice starts empty
    return combo


class DispatchDialog(QDialog):
    """派单: 主办单位, 协办单位 (optional), 属地网格员, 时限 (default: the 化解时限 of the case's complexity)."""

    dispatched = Signal(int)  # the dispatch id

    def __init__(self, ctx: DeskContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_id = ctx, case_id
        self.setWindowTitle("双派单")
        with ctx.db.read() as session:
            self.departments, self.grid_workers = dispatch_choices(session)
        self.lead = _choices("leadUnit", [d.label for d in self.departments])
        self.helper = _choices("helperUnit", [d.label for d in self.departments])
        self.grid = _choices("gridWorker", [g.label for g in self.grid_workers])
        self.auto_due = QCheckBox("按复杂程度自动计算时限", objectName="autoDue", checked=True)
        self.due = date_input(clock.today() + timedelta(days=7), objectName="dueDate", enabled=False)
        self.note = QPlainTextEdit(objectName="note")
        self.error = _error_label()
        self.auto_due.toggled.connect(lambda on: self.due.setEnabled(not on))
        form = QFormLayout()
        for label, widget in (("主办单位", self.lead), ("协办单位", self.helper), ("属地网格员", self.grid),
                              ("", self.auto_due), ("办理时限", self.due), ("派单要求", self.note)):
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def targets(self) -> list[TargetInput]:
        """The chosen department(s) and grid worker, each with their account (an empty choice stays
        empty, so the service names what is missing)."""
        due = None if self.auto_due.isChecked() else date_of(self.due)

        def target(role: str, combo: QComboBox, pool: list[Assignee]) -> TargetInput:
            chosen = pool[combo.currentIndex()] if combo.currentIndex() >= 0 else None
            if chosen is None:
                return TargetInput(role, "", deadline=due)
            return TargetInput(role, chosen.unit_name, desk_id=chosen.desk_id, user_id=chosen.user_id, deadline=due)

        found = [target("主办", self.lead, self.departments)]
        if self.helper.currentIndex() >= 0:
            found.append(target("协办", self.helper, self.departments))
        found.append(target("属地监督", self.grid, self.grid_workers))
        return found

    def submit(self) -> None:
        outcome = self.ctx.runner.run(
            lambda s: open_dispatch(s, self.case_id, self.targets(), self.ctx.actor(), self.note.toPlainText()),
            changed_case=lambda v: v.case_id, quiet=True,
        )
        if outcome.error is not None:
            self.error.setText(outcome.error.message)
            return
        assert outcome.value is not None
        self.dispatched.emit(outcome.value.id)
        self.accept()


class FeedbackDialog(QDialog):
    """One dispatch: its targets and history, and the next step the loop allows from its state."""

    moved = Signal(int)  # the dispatch id

    def __init__(self, ctx: DeskContext, dispatch_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.dispatch_id = ctx, dispatch_id
        self.setWindowTitle("派单办理")
        self.status = QLabel(objectName="dispatchStatus")
        self.history = RowsTableModel(("时间", "环节", "操作", "状态", "办理人", "说明"), self)
        self.history_view = make_table(self.history, "dispatchHistory")
        self.action = QComboBox(objectName="action")
        self.satisfaction = QComboBox(objectName="satisfaction")
        self.satisfaction.addItems([*SATISFIED, DISSATISFIED])
        self.satisfaction.setCurrentIndex(-1)
        self.text = QPlainTextEdit(objectName="text", placeholderText="处置情况、核查意见或回访记录")
        self.error = _error_label()
        self.action.currentIndexChanged.connect(self._action_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("办理", self.action)
        form.addRow("回访满意度", self.satisfaction)
        form.addRow("说明", self.text)
        layout = QVBoxLayout(self)
        for widget in (self.status, self.history_view):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.read() as session:
            view = dispatch_view(session, self.dispatch_id)
        self._show(view)

    def _show(self, view: DispatchView) -> None:
        targets = "；".join(f"{t.role}：{t.unit_name}（时限 {t.deadline or '—'}）" for t in view.targets)
        self.status.setText(f"状态：{view.status}　退回重办 {view.redo_count} 次\n{targets}")
        self.history.set_rows([(f"{h.at.astimezone():%Y-%m-%d %H:%M}", h.step, h.action, h.to_status, h.user or "",
                                h.text + (f"（{h.satisfaction}）" if h.satisfaction else "")) for h in view.history])
        self.action.blockSignals(True)
        self.action.clear()
        for action, label in view.allowed_actions:
            if action != "reopen":  # 不满意 is chosen through the satisfaction of 回访评价
                self.action.addItem("回访评价" if action == EVALUATE else label, action)
        self.action.setCurrentIndex(-1)  # the user picks the step; nothing is pre-chosen
        self.action.blockSignals(False)
        self.satisfaction.setCurrentIndex(-1)
        self._action_changed()

    def _action_changed(self, *_args: object) -> None:
        self.satisfaction.setEnabled(self.action.currentData() == EVALUATE)

    def submit(self) -> None:
        action = self.action.currentData()
        if action is None:
            self.error.setText("请选择办理环节" if self.action.count() else "该派单已办结，没有可办理的环节")
            return
        text, actor = self.text.toPlainText(), self.ctx.actor()
        if action == EVALUATE:
            satisfaction = self.satisfaction.currentText()
            if not satisfaction:
                self.error.setText("请选择回访满意度")
                return
            work = lambda s: evaluate_dispatch(s, self.dispatch_id, satisfaction, actor, text)  # noqa: E731
        else:
            work = lambda s: move_dispatch(s, self.dispatch_id, action, actor, text)  # noqa: E731
        outcome = self.ctx.runner.run(work, changed_case=lambda v: v.case_id, quiet=True)
        if outcome.error is not None:
            self.error.setText(outcome.error.message)
            return
        assert outcome.value is not None
        self.error.clear()
        self.text.clear()
        self._show(outcome.value)
        self.moved.emit(self.dispatch_id)
