"""The two-level dispute-type choice of the intake form: a category, then (where the category
has them) a sub-type. Reads as the chosen code, the most specific one picked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from desktop.spec_form import CompositeInput

DisputeTypes = Sequence[tuple[str, str, str | None]]  # (code, name, parent code) as list_dispute_types gives


class DisputeTypePicker(CompositeInput):
    def __init__(self, types: DisputeTypes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.children_of: dict[str, list[tuple[str, str]]] = {}
        self.category = QComboBox(objectName="disputeCategory")
        self.sub_type = QComboBox(objectName="disputeSubType")
        self.category.addItem("", None)
        for code, name, parent_code in types:
            if parent_code is None:
                self.category.addItem(name, code)
            else:
                self.children_of.setdefault(parent_code, []).append((code, name))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.category, 1)
        layout.addWidget(self.sub_type, 1)
        self.category.currentIndexChanged.connect(self._category_chosen)
        self.category.activated.connect(lambda _i: self.changed.emit())
        self.sub_type.activated.connect(lambda _i: self.changed.emit())
        self._category_chosen()

    def _category_chosen(self) -> None:
        self.sub_type.clear()
        children = self.children_of.get(self.category.currentData() or "", [])
        self.sub_type.addItem("（不细分）" if children else "", None)
        for code, name in children:
            self.sub_type.addItem(name, code)
        self.sub_type.setEnabled(bool(children))

    def text_value(self) -> str:
        return self.sub_type.currentData() or self.category.currentData() or ""

    def set_text_value(self, text: str) -> None:
        parent = next((p for p, kids in self.children_of.items() if any(c == text for c, _ in kids)), None)
        self.category.setCurrentIndex(max(0, self.category.findData(parent or text)))
        if parent:
            self.sub_type.setCurrentIndex(max(0, self.sub_type.findData(text)))
