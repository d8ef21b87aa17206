"""登记调解协议: the agreement a mediation reached — numbered items, amount, performance, dates,
written or oral. Every problem is shown next to its field in Chinese and the dialog stays open
with everything typed kept; on success the agreement is numbered and stored (which records the
mediation outcome) as one unit of work."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.screen import fit_to_screen
from desktop.spec_form import ERROR_STYLE
from forms.values import validate_amount, validate_date
from models import clock
from models.cases.agreements import AgreementInput, AgreementView, record_agreement
from models.errors import ValidationFailed

FIELDS = ("items", "amount", "performance", "deadline", "signed_on")


def _error_label(key: str) -> QLabel:
    label = QLabel(objectName=f"error_{key}", wordWrap=True, styleSheet=ERROR_STYLE)
    label.hide()
    return label


class AgreementDialog(QDialog):
    recorded = Signal(int)  # the case id

    def __init__(self, ctx: DeskContext, case_id: int, case_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_id = ctx, case_id
        self.setWindowTitle(f"登记调解协议 — {case_number}")
        fit_to_screen(self, 720, 620)
        self.saved: AgreementView | None = None
        self.items = QTableWidget(0, 1, objectName="agreementItems")
        self.items.setHorizontalHeaderLabels(["协议内容（每行一项；写 {amount} 处打印大小写金额）"])
        self.items.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.amount = QLineEdit(objectName="field_amount", placeholderText="如 12000、12,000.00 或 1.2万；无金额可不填")
        self.performance = QLineEdit(objectName="field_performance", placeholderText="如：银行转账一次性支付")
        self.deadline = QLineEdit(objectName="field_deadline", placeholderText="如 2025-03-31；可不填")
        self.signed_on = QLineEdit(clock.today().isoformat(), objectName="field_signed_on")
        self.responsibilities = QPlainTextEdit(objectName="field_responsibilities")
        self.responsibilities.setPlaceholderText("各方当事人的责任，如：甲方对损害负主要责任……；可不填")
        self.breach_clause = QPlainTextEdit(objectName="field_breach_clause")
        self.breach_clause.setPlaceholderText("违约责任，如：逾期未付的，按日加付……；可不填")
        for box in (self.responsibilities, self.breach_clause):
            box.setTabChangesFocus(True)
            box.setFixedHeight(64)
        self.oral = QCheckBox("口头协议（登记口头协议登记表）", objectName="field_oral")
        self.notice = QCheckBox("打印司法确认告知", checked=True, objectName="field_notice")
        self.errors = {key: _error_label(key) for key in FIELDS}
        self.form_message = _error_label("form")
        self._lay_out()
        self.add_item()

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.items, 1)
        row = QHBoxLayout()
        for text, name, slot in (("添加条款", "addItem", self.add_item), ("删除所选条款", "removeItem", self.remove_item)):
            button = QPushButton(text, objectName=name)
            button.clicked.connect(lambda _=False, s=slot: s())
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.errors["items"])
        form = QFormLayout()
        for label, key, widget in (("协议金额", "amount", self.amount), ("履行方式", "performance", self.performance),
                                   ("履行期限", "deadline", self.deadline), ("＊签订日期", "signed_on", self.signed_on)):
            form.addRow(label, widget)
            form.addRow("", self.errors[key])
        form.addRow("各方当事人的责任", self.responsibilities)
        form.addRow("违约责任", self.breach_clause)
        form.addRow("", self.oral)
        form.addRow("", self.notice)
        layout.addLayout(form)
        layout.addWidget(self.form_message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveAgreement")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # --- items ---------------------------------------------------------------------------------
    def add_item(self, text: str = "") -> None:
        row = self.items.rowCount()
        self.items.insertRow(row)
        self.items.setItem(row, 0, QTableWidgetItem(text))

    def remove_item(self) -> None:
        rows = sorted({index.row() for index in self.items.selectedIndexes()}, reverse=True)
        for row in rows:
            self.items.removeRow(row)

    def item_texts(self) -> tuple[str, ...]:
        texts = (self.items.item(r, 0).text() if self.items.item(r, 0) else "" for r in range(self.items.rowCount()))
        return tuple(t.strip() for t in texts if t.strip())

    # --- validation and saving -----------------------------------------------------------------
    def collect(self) -> tuple[AgreementInput | None, dict[str, str]]:
        """The typed agreement, or the problems keyed by field (nothing typed is touched)."""
        problems: dict[str, str] = {}
        values: dict[str, Any] = {"amount": None, "deadline": None, "signed_on": None}
        if not self.item_texts():
            problems["items"] = "请至少填写一项协议内容"
        if self.amount.text().strip():
            _take(validate_amount(self.amount.text()), "amount", values, problems)
        if self.deadline.text().strip():
            _take(validate_date(self.deadline.text()), "deadline", values, problems)
        _take(validate_date(self.signed_on.text()), "signed_on", values, problems)
        if "{amount}" in "".join(self.item_texts()) and values["amount"] is None and "amount" not in problems:
            problems["amount"] = "协议内容引用了金额，请填写协议金额"
        if problems:
            return None, problems
        return AgreementInput(
            items=self.item_texts(), signed_on=values["signed_on"], performance=self.performance.text().strip(),
            performance_deadline=values["deadline"], amount=_decimal(values["amount"]), oral=self.oral.isChecked(),
            confirmation_notice=self.notice.isChecked(),
            responsibilities=self.responsibilities.toPlainText().strip(),
            breach_clause=self.breach_clause.toPlainText().strip(),
        ), {}

    def show_problems(self, problems: dict[str, str], summary: str = "") -> None:
        for key, label in self.errors.items():
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems)
        text = summary or ("请更正标红的项目后再保存" if problems else "")
        self.form_message.setText(text)
        self.form_message.setVisible(bool(text))

    def save(self) -> bool:
        data, problems = self.collect()
        self.show_problems(problems)
        if data is None:
            return False
        outcome = self.ctx.runner.run(lambda s: record_agreement(s, self.case_id, data, self.ctx.actor()),
                                      changed_case=lambda _view: self.case_id, quiet=True)
        if not outcome.ok:
            error = outcome.error
            fields = error.fields if isinstance(error, ValidationFailed) else {}
            self.show_problems(fields, error.message if error else "保存失败")
            return False
        self.saved = outcome.value
        self.recorded.emit(self.case_id)
        self.accept()
        return True


def _take(result: Any, key: str, values: dict[str, Any], problems: dict[str, str]) -> None:
    if result.ok:
        values[key] = result.value
    else:
        problems[key] = result.message


def _decimal(value: Any) -> Decimal | None:
    return value if isinstance(value, Decimal) else None
