"""The court liaison's workspace (诉调对接专员): the register with its countdowns and colours, the
selected row's full record, and a dialog to register a 委派/委托 case whose court numbers are
checked as they are typed (ASCII or full-width brackets)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.deadline_views import colour_brush, make_table
from desktop.events import ChangeFollower
from desktop.rows_table_model import RowsTableModel
from desktop.spec_form import date_input, date_of
from models import clock
from models.errors import ValidationFailed
from models.liaison.court_numbers import parse_court_number
from models.liaison.service import (
    ENTRUSTED_PROCEDURES,
    REFERRAL_KINDS,
    ReferralInput,
    ReferralView,
    describe_referral,
    find_referral,
    has_referral,
    list_register,
    register_referral,
    update_referral,
)

HEADERS = ("督办", "诉前调解案号", "本中心编号", "方式", "案由", "委派/委托日", "签收日", "调解期满", "确认申请期满",
           "结案方式", "诉前调确案号", "民初案号")


class RegisterTableModel(RowsTableModel):
    """The register rows as text, with the 督办 cell painted in its colour."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(HEADERS, parent)
        self.views: list[ReferralView] = []

    def set_views(self, views: list[ReferralView]) -> None:
        self.views = views
        self.set_rows([_cells(v) for v in views])

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # type: ignore[override]  # Qt only ever passes a QModelIndex here
        if index.isValid() and role == Qt.ItemDataRole.BackgroundRole and index.column() == 0:
            return colour_brush(self.views[index.row()].colour)
        return super().data(index, role)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _cells(v: ReferralView) -> tuple[str, ...]:
    return (v.colour or "", _text(v.pre_suit_number), v.case_number, v.kind, v.cause, _text(v.referred_on),
            _text(v.received_on), _text(v.mediation_due), _text(v.confirmation_due), v.closing_method or "在办",
            _text(v.confirmation_number), _text(v.filing_number))


class LiaisonWorkspace(QWidget):
    """The 诉调对接 register for one year, optionally only the rows still in progress."""

    case_activated = Signal(int)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.today = ctx, today
        self.year = QSpinBox(objectName="year", minimum=0, maximum=2100, specialValueText="全部年度")
        self.open_only = QCheckBox("只看在办", objectName="openOnly")
        self.model = RegisterTableModel(self)
        self.table = make_table(self.model, "registerTable")
        self.detail = QLabel(objectName="registerDetail", wordWrap=True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year)
        bar.addWidget(self.open_only)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.detail, 1)
        self.year.valueChanged.connect(self.refresh)
        self.open_only.toggled.connect(self.refresh)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda i: self.case_activated.emit(self.model.views[i.row()].case_id))
        ChangeFollower(self, ctx.hub, self.refresh, self._concerns)
        self.refresh()

    def _concerns(self, case_id: int) -> bool:
        if any(view.case_id == case_id for view in self.model.views):
            return True
        with self.ctx.db.read() as session:
            return has_referral(session, case_id)

    def refresh(self, *_args: object) -> None:
        with self.ctx.db.read() as session:
            views = list_register(session, year=self.year.value() or None, open_only=self.open_only.isChecked(),
                                  today=self.today)
        self.model.set_views(views)
        self.detail.clear()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.detail.setText(describe_referral(self.model.views[current.row()]))


class ReferralDialog(QDialog):
    """登记诉调对接: court, 委派/委托 (with procedure), numbers checked while typing, dates."""

    registered = Signal(int)  # the case id

    def __init__(self, ctx: DeskContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_id = ctx, case_id
        self.setWindowTitle("登记诉调对接")
        self.court = QLineEdit("玉门市人民法院", objectName="court")
        self.tribunal = QLineEdit(objectName="tribunal", placeholderText="派出法庭，可不填")
        self.kind = QComboBox(objectName="kind")
        self.kind.addItems(REFERRAL_KINDS)
        self.procedure = QComboBox(objectName="procedure", enabled=False)
        self.procedure.addItems(ENTRUSTED_PROCEDURES)
        self.number = QLineEdit(objectName="preSuitNumber", placeholderText="（2024）甘0981民诉前调123号")
        self.number_hint = QLabel(objectName="numberHint", wordWrap=True)
        self.cause = QLineEdit(objectName="cause")
        self.referred = date_input(clock.today(), objectName="referredOn")
        self.received = date_input(clock.today(), objectName="receivedOn")
        self.error = QLabel(objectName="errorLabel", wordWrap=True)
        self.error.setStyleSheet("color: #c00000")
        self.kind.currentTextChanged.connect(lambda k: self.procedure.setEnabled(k == "委托"))
        self.number.textChanged.connect(self.check_number)
        form = QFormLayout()
        for label, widget in (("法院", self.court), ("派出法庭", self.tribunal), ("对接方式", self.kind),
                              ("委托程序", self.procedure), ("案号", self.number), ("", self.number_hint),
                              ("立案案由", self.cause), ("委派/委托日期", self.referred), ("调解员签收日期", self.received)):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        with ctx.db.read() as session:
            self.existing = find_referral(session, case_id)
        if self.existing is not None:
            self._fill(self.existing)

    def _fill(self, v: ReferralView) -> None:
        """Editing a registered referral: its values in the fields, saved with update_referral."""
        self.setWindowTitle("修改诉调对接登记")
        self.court.setText(v.court)
        self.tribunal.setText(v.tribunal or "")
        self.kind.setCurrentText(v.kind)
        if v.procedure:
            self.procedure.setCurrentText(v.procedure)
        self.number.setText(v.pre_suit_number or "")
        self.cause.setText(v.cause)
        self.referred.setDate(QDate(v.referred_on))
        if v.received_on:
            self.received.setDate(QDate(v.received_on))

    def check_number(self, text: str) -> bool:
        """Live check: the official spelling when valid, the reason when not (empty is allowed)."""
        if not text.strip():
            self.number_hint.clear()
            return True
        try:
            parsed = parse_court_number(text)
        except ValidationFailed as exc:
            self.number_hint.setText(exc.message)
            return False
        self.number_hint.setText(f"✓ {parsed.text}（{parsed.type_name}）")
        return True

    def referral(self) -> ReferralInput:
        return ReferralInput(
            court=self.court.text(), tribunal=self.tribunal.text().strip() or None, kind=self.kind.currentText(),
            procedure=self.procedure.currentText() if self.kind.currentText() == "委托" else None,
            pre_suit_number=self.number.text() or None, cause=self.cause.text(),
            referred_on=date_of(self.referred), received_on=date_of(self.received),
        )

    def submit(self) -> None:
        data = self.referral()
        save = register_referral if self.existing is None else update_referral
        outcome = self.ctx.runner.run(lambda s: save(s, self.case_id, data, self.ctx.actor()),
                                      changed_case=lambda v: v.case_id, quiet=True)
        if outcome.error is not None:
            self.error.setText(outcome.error.message)
            return
        self.registered.emit(self.case_id)
        self.accept()
