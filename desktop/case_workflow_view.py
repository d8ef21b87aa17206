"""The 期限与办理 tab of the case detail: the case's level and moves, its 诉调对接 step with the 司法确认
countdown, arbitration, 督办单 and dispatches in a few lines, and every deadline with its rule, legal
basis, days left, colour and why that colour; plus the buttons that open the workflow's doors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.context import DeskContext
from desktop.deadline_views import colour_brush, make_table
from desktop.rows_table_model import RowsTableModel
from desktop.supervision_dialogs import SupervisionOrderDialog
from desktop.workflow_dialogs import ArbitrationDialog, ConsultationDialog, LevelMoveDialog, ReferralStepDialog
from models.deadlines import days_left_text
from models.security.permissions import Permission, case_refusals
from models.workflow.case_workflow import CaseWorkflow, case_workflow, describe_workflow
from models.workflow.deadline_service import DeadlineView

DEADLINE_HEADERS = ("督办", "期限", "起算事件", "起算日", "到期日", "剩余", "为何此色", "法律依据")


class CaseDeadlineModel(RowsTableModel):
    """The case's deadlines as text, the first cell painted in its colour."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(DEADLINE_HEADERS, parent)
        self.views: list[DeadlineView] = []

    def set_views(self, views: list[DeadlineView]) -> None:
        self.views = views
        self.set_rows([deadline_cells(d) for d in views])

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # type: ignore[override]  # Qt only ever passes a QModelIndex here
        if index.isValid() and role == Qt.ItemDataRole.BackgroundRole and index.column() == 0:
            return colour_brush(self.views[index.row()].colour)
        return super().data(index, role)


def deadline_cells(d: DeadlineView) -> tuple[str, ...]:
    left = "已完成" if d.completed_on else ("已过期未申请" if d.lapsed else days_left_text(d.days_left))
    why = ("当事人期间（结案后继续计算，不属办理超期）：" if d.party_window else "") + d.colour_reason
    return (d.colour or "", d.name + ("（已延长）" if d.extensions else ""), d.trigger, f"{d.trigger_date}",
            f"{d.due_date}", left, why, d.legal_basis)


DOORS: tuple[tuple[str, str, Callable[..., QDialog], Permission], ...] = (
    ("诉调对接步骤…", "referralStep", ReferralStepDialog, Permission.COURT_REGISTER),
    ("上提 / 下沉…", "levelMove", LevelMoveDialog, Permission.CASE_ADVANCE),
    ("会诊…", "consultation", ConsultationDialog, Permission.CASE_RECORD),
    ("仲裁申请与记录…", "arbitration", ArbitrationDialog, Permission.CASE_RECORD),
    ("下达督办…", "supervise", SupervisionOrderDialog, Permission.SUPERVISE),
)


class CaseWorkflowView(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id: int | None = None
        self.workflow: CaseWorkflow | None = None
        self.summary = QLabel(objectName="workflowSummary", wordWrap=True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deadlines = CaseDeadlineModel(self)
        self.table = make_table(self.deadlines, "caseDeadlines")
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for label, name, dialog, _permission in DOORS:
            self.buttons[name] = QPushButton(label, objectName=name)
            self.buttons[name].clicked.connect(lambda _=False, d=dialog: self.open(d))
            row.addWidget(self.buttons[name])
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.show_case(None)

    def show_case(self, case_id: int | None) -> None:
        self.case_id = case_id
        self.workflow = None
        refusals: dict[Permission, str | None] = {}
        if case_id is not None:
            with self.ctx.db.read() as session:
                self.workflow = case_workflow(session, case_id)
                refusals = case_refusals(session, self.ctx.actor(), case_id)
        self.summary.setText("\n".join(describe_workflow(self.workflow)) if self.workflow else "")
        self.deadlines.set_views(list(self.workflow.deadlines) if self.workflow else [])
        for _label, name, _dialog, permission in DOORS:  # the service's own answer (case_refusal)
            refused = refusals.get(permission)
            self.buttons[name].setEnabled(case_id is not None and refused is None)
            self.buttons[name].setToolTip(refused or "")

    def open(self, dialog_class: Callable[..., QDialog]) -> QDialog | None:
        if self.case_id is None:
            return None
        dialog = dialog_class(self.ctx, self.case_id, self)
        dialog.open()
        return dialog
