"""考核排名: the ranking of desks, mediators, grid workers or dispatch departments for the
dashboard's month, exportable to XLSX; and the centre's weights, which only its administrator
can change (the service refuses anyone else)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from models.analysis.assessment import (
    INDICATORS,
    SUBJECTS,
    Ranked,
    indicator_text,
    ranking,
    ranking_xlsx,
    set_weights,
    weights,
)
from models.analysis.scope import StatQuery
from templates.render import write_atomically


class WeightsDialog(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="weightsDialog")
        self.ctx = ctx
        self.setWindowTitle("考核权重")
        with ctx.db.read() as session:
            current = weights(session)
        form = QFormLayout(self)
        self.spins: dict[str, QDoubleSpinBox] = {}
        for indicator in INDICATORS:
            spin = QDoubleSpinBox(objectName=f"weight_{indicator.key}", minimum=0, maximum=100, decimals=1)
            spin.setValue(float(current[indicator.key]))
            self.spins[indicator.key] = spin
            form.addRow(indicator.label, spin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> bool:
        changes = {key: str(Decimal(str(spin.value()))) for key, spin in self.spins.items()}
        outcome = self.ctx.runner.run(lambda s: set_weights(s, self.ctx.actor(), changes), title="权重未保存")
        if outcome.ok:
            self.accept()
        return outcome.ok


class AssessmentDialog(QDialog):
    def __init__(self, ctx: DeskContext, query: StatQuery, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="assessmentDialog")
        self.ctx, self.query = ctx, query
        self.setWindowTitle(f"考核排名（{query.period.label()}）")
        self.resize(980, 480)
        self.subject = QComboBox(objectName="subjectCombo")
        for key, label in SUBJECTS.items():
            self.subject.addItem(label, key)
        self.table = QTableWidget(0, len(INDICATORS) + 3, objectName="rankingTable")
        self.ranked: list[Ranked] = []
        export = QPushButton("导出 XLSX…", objectName="exportXlsx")
        export.clicked.connect(self.ask_export)
        edit = QPushButton("权重…", objectName="editWeights")
        edit.clicked.connect(self.edit_weights)
        top = QHBoxLayout()
        top.addWidget(self.subject)
        top.addStretch(1)
        top.addWidget(edit)
        top.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.subject.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        with self.ctx.db.read() as session:
            self.ranked = ranking(session, self.ctx.actor(), self.query, self.subject.currentData())
        self.table.setHorizontalHeaderLabels(["名次", self.subject.currentText(), *(i.label for i in INDICATORS), "得分"])
        self.table.setRowCount(len(self.ranked))
        for r, row in enumerate(self.ranked):
            cells = [str(row.rank), row.name, *(indicator_text(i, row.values[i.key]) for i in INDICATORS), f"{row.score:.1f}"]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def edit_weights(self) -> None:
        if WeightsDialog(self.ctx, self).exec():
            self.refresh()

    def ask_export(self) -> None:
        path = self.ctx.dialogs.ask_save_path("导出考核排名", f"{self.subject.currentText()}考核排名", "xlsx")
        if path:
            self.export(path)

    def export(self, path: str) -> None:
        title = f"{self.subject.currentText()}考核排名（{self.query.period.label()}）"
        write_atomically(path, ranking_xlsx(self.ranked, title))
