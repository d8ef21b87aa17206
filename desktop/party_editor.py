"""One party on the intake form: side and kind (自然人/组织) on top, then the person's or the
organisation's fields from forms.specs. Both forms are kept, so switching the kind loses nothing;
a valid ID number fills in sex and birth date as it is typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields as dataclass_fields
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.spec_form import SpecForm
from forms.idcard import validate_id_card
from forms.specs import ORGANISATION_PARTY, PERSON_PARTY, SIDES, FormResult
from models.dto import PartyInput

KINDS = ("自然人", "组织")
PARTY_INPUT_KEYS = {f.name for f in dataclass_fields(PartyInput)} - {"agents"}


class PartyEditor(QGroupBox):
    remove_requested = Signal(object)  # this editor

    def __init__(self, side: str = "申请方", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = QComboBox(objectName="partySide")
        self.side.addItems(SIDES)
        self.side.setCurrentText(side)
        self.kind = QComboBox(objectName="partyKind")
        self.kind.addItems(KINDS)
        self.person = SpecForm(PERSON_PARTY, skip={"side"}, columns=3)
        self.organisation = SpecForm(ORGANISATION_PARTY, skip={"side"}, columns=3)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.person)
        self.stack.addWidget(self.organisation)
        self.remove_button = QPushButton("删除此当事人", objectName="removeParty")
        self._lay_out()
        self.kind.currentIndexChanged.connect(self.stack.setCurrentIndex)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.person.inputs["id_number"].textChanged.connect(self._derive_from_id)
        for form in (self.person, self.organisation):
            form.edited.connect(lambda key, f=form: f.check_field(key, self._side()))

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        for label, widget in (("当事人类别", self.side), ("主体类型", self.kind)):
            top.addWidget(QLabel(label))
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack)

    def set_number(self, number: int) -> None:
        self.setTitle(f"当事人 {number}")

    @property
    def form(self) -> SpecForm:
        return self.person if self.kind.currentText() == "自然人" else self.organisation

    def _side(self) -> dict[str, str]:
        return {"side": self.side.currentText()}

    def _derive_from_id(self, text: str) -> None:
        """A valid 18-digit number tells sex and birth date: fill them in for the clerk."""
        result = validate_id_card(text)
        if result.ok and result.sex and result.birth_date:
            self.person.set_value("sex", result.sex)
            self.person.set_value("birth_date", result.birth_date.isoformat())

    def validate(self) -> FormResult:
        return self.form.validate(self._side())

    def show_messages(self, messages: Mapping[str, str]) -> None:
        """Messages from the service (keys like 'name'); 'side' has no inline label and is skipped."""
        for key, text in messages.items():
            self.form.show_message(key, text)

    @staticmethod
    def party_input(cleaned: Mapping[str, Any]) -> PartyInput:
        return PartyInput(**{k: v for k, v in cleaned.items() if k in PARTY_INPUT_KEYS})
