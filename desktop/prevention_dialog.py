"""登记防激化: record on the selected case that escalation was prevented (防止民转刑, 防止自杀,
防止群体性上访, 防止群体性械斗) with the number of people; the statistics count it by its date."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from desktop.context import DeskContext
from models import clock
from models.analysis.entities import PREVENTION_KINDS
from models.analysis.prevention import record_prevention


class PreventionDialog(QDialog):
    def __init__(self, ctx: DeskContext, case_id: int, case_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="preventionDialog")
        self.ctx, self.case_id = ctx, case_id
        self.setWindowTitle(f"登记防激化 — {case_number}")
        self.kind = QComboBox(objectName="preventionKind")
        self.kind.addItems(PREVENTION_KINDS)
        self.persons = QSpinBox(objectName="preventionPersons", minimum=1, maximum=100_000)
        today = clock.today()
        self.day = QDateEdit(QDate(today.year, today.month, today.day), objectName="preventionDate",
                             displayFormat="yyyy-MM-dd", calendarPopup=True)
        self.note = QLineEdit(objectName="preventionNote")
        form = QFormLayout(self)
        form.addRow("类别", self.kind)
        form.addRow("涉及人数", self.persons)
        form.addRow("日期", self.day)
        form.addRow("说明", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> bool:
        day = self.day.date().toPython()
        outcome = self.ctx.runner.run(
            lambda s: record_prevention(s, self.case_id, self.kind.currentText(), self.persons.value(), self.ctx.actor(),
                                        self.note.text(), day),
            changed_case=lambda _id: self.case_id, title="防激化未登记")
        if outcome.ok:
            self.accept()
        return outcome.ok
