"""登记签字本: when each party, the mediator and the committee signed the issued agreement, and the
scan of the signed paper. The last signature is the agreement's effective date, from which the
司法确认 application window runs; the service checks everything and the dialog keeps what was
typed when it refuses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)
from sqlalchemy import select

from desktop.context import DeskContext
from models import clock
from models.casefile.signing import COMMITTEE, MEDIATOR, PARTY, SignatureInput, SigningView, mark_signed
from models.cases.agreements import Agreement
from models.cases.entities import Party

SCAN_FILTER = "签字本扫描件 (*.jpg *.jpeg *.png *.pdf)"


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day), calendarPopup=True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class SigningDialog(QDialog):
    def __init__(self, ctx: DeskContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_id = ctx, case_id
        self.saved: SigningView | None = None
        self.setWindowTitle("登记协议签字本")
        with ctx.db.read() as session:
            agreement = session.scalars(select(Agreement).where(Agreement.case_id == case_id,
                                                                Agreement.oral.is_(False))
                                        .order_by(Agreement.id.desc())).first()
            parties = [(p.id, p.name) for p in session.scalars(select(Party).where(Party.case_id == case_id)
                                                                .order_by(Party.ordinal, Party.id))]
        self.agreement_id = agreement.id if agreement is not None else None
        form = QFormLayout(self)
        form.addRow("协议：", QLabel(agreement.number if agreement else "本案没有书面调解协议"))
        today = clock.today()
        self.party_dates = {pid: _date_edit(today) for pid, _name in parties}
        for pid, name in parties:
            form.addRow(f"当事人 {name} 签字：", self.party_dates[pid])
        self.mediator_date, self.committee_date = _date_edit(today), _date_edit(today)
        form.addRow("调解员签字：", self.mediator_date)
        form.addRow("调解委员会盖章：", self.committee_date)
        self.scan_path = QLineEdit(objectName="signingScan", placeholderText="签字本扫描件（图片或 PDF）")
        browse = QPushButton("选择…", clicked=self._browse)
        row = QHBoxLayout()
        row.addWidget(self.scan_path, 1)
        row.addWidget(browse)
        form.addRow("扫描件：", row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.agreement_id is not None)
        form.addRow(self.buttons)

    def _browse(self) -> None:
        chosen = self.ctx.dialogs.ask_open_path("选择签字本扫描件", SCAN_FILTER)
        if chosen:
            self.scan_path.setText(chosen)

    def signatures(self) -> list[SignatureInput]:
        found = [SignatureInput(PARTY, _day(edit), party_id=pid) for pid, edit in self.party_dates.items()]
        return [*found, SignatureInput(MEDIATOR, _day(self.mediator_date)),
                SignatureInput(COMMITTEE, _day(self.committee_date))]

    def save(self) -> bool:
        path = Path(self.scan_path.text().strip())
        if self.agreement_id is None:
            return False
        if not self.scan_path.text().strip() or not path.is_file():
            self.ctx.dialogs.error("登记签字本", "请选择签字本扫描件")
            return False
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.ctx.dialogs.error("登记签字本", f"无法读取文件：{path}（{exc.strerror}）")
            return False
        agreement_id, signatures = self.agreement_id, self.signatures()
        outcome = self.ctx.runner.run(
            lambda s: mark_signed(s, agreement_id, signatures, scan_name=path.name, scan=data, actor=self.ctx.actor()),
            changed_case=lambda _v: self.case_id, title="不能登记签字本")
        if outcome.ok:
            self.saved = outcome.value
            self.accept()
        return outcome.ok
