"""Widgets built from a forms.specs FormSpec: one input per FieldSpec (combo for choices, text
area for multiline, line edit otherwise) with its label and a red message line under it. The
form reads back the typed strings, validates them with forms.validate_form, and shows every
message inline; it never clears what the user typed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.localisation import DATE_FORMAT
from forms.specs import FieldSpec, FormResult, FormSpec, validate_form

ERROR_STYLE = "color: #d93025;"
WARNING_STYLE = "color: #b06000;"
TEXT_AREA_HEIGHT = 56


class CompositeInput(QWidget):
    """An input made of several widgets (e.g. a two-level picker) that reads as one string."""

    changed = Signal()

    def text_value(self) -> str:
        raise NotImplementedError

    def set_text_value(self, text: str) -> None:
        raise NotImplementedError


def read_text(widget: QWidget) -> str:
    """The string a user typed or chose, whatever kind of input the widget is."""
    if isinstance(widget, CompositeInput):
        return widget.text_value()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return str(data) if data is not None else widget.currentText()
    if isinstance(widget, QDateEdit):
        return widget.date().toString(DATE_FORMAT)
    raise TypeError(f"unsupported input widget {type(widget).__name__}")


def write_text(widget: QWidget, text: str) -> None:
    if isinstance(widget, CompositeInput):
        widget.set_text_value(text)
    elif isinstance(widget, QLineEdit):
        widget.setText(text)
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
    elif isinstance(widget, QComboBox):
        found = widget.findData(text)
        widget.setCurrentIndex(found if found >= 0 else max(0, widget.findText(text)))
    elif isinstance(widget, QDateEdit):
        widget.setDate(QDate.fromString(text, DATE_FORMAT))


def input_for(spec: FieldSpec) -> QWidget:
    if spec.choices:
        combo = QComboBox()
        combo.addItem("", None)  # nothing chosen yet: a required field then says 请选择…
        for choice in spec.choices:
            combo.addItem(choice, choice)
        return combo
    if spec.multiline:
        area = QPlainTextEdit(placeholderText=spec.placeholder, tabChangesFocus=True)  # Tab leaves the box
        area.setFixedHeight(TEXT_AREA_HEIGHT)
        return area
    return QLineEdit(placeholderText=spec.placeholder)


def date_input(initial: date, **options: object) -> QDateEdit:
    """A date field with a calendar pop-up, shown as yyyy-MM-dd (never the locale's "30 11 2026")."""
    edit = QDateEdit(QDate(initial.year, initial.month, initial.day), calendarPopup=True, **options)
    edit.setDisplayFormat(DATE_FORMAT)
    return edit


def date_of(edit: QDateEdit) -> date:
    """The field's date as a Python date (QDate.toPython is typed as returning object)."""
    day = edit.date()
    return date(day.year(), day.month(), day.day())


class SpecForm(QWidget):
    """A grid of the spec's fields, `columns` fields a line (text areas take a whole line)."""

    edited = Signal(str)  # a field's key, after the user finished editing it

    def __init__(self, spec: FormSpec, *, skip: Iterable[str] = (), columns: int = 2,
                 custom: Mapping[str, QWidget] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.fields = tuple(f for f in spec.fields if f.key not in set(skip))
        self.inputs: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._place_all(columns, dict(custom or {}))

    def _place_all(self, columns: int, custom: dict[str, QWidget]) -> None:
        row = col = 0
        for spec in self.fields:
            widget = custom.get(spec.key) or input_for(spec)
            if spec.multiline:  # a text area takes a line of its own
                row, col = (row + 1 if col else row), 0
                self._place(spec, widget, row, 0, columns)
                row += 1
                continue
            self._place(spec, widget, row, col, 1)
            row, col = (row + 1, 0) if col + 1 == columns else (row, col + 1)
        for c in range(columns):
            self._grid.setColumnStretch(c * 2 + 1, 1)

    def focus_widgets(self) -> list[QWidget]:
        """The inputs in the order they read on screen (row by row), for the dialog's Tab chain."""
        return [self.inputs[spec.key] for spec in self.fields]

    def _place(self, spec: FieldSpec, widget: QWidget, row: int, col: int, span: int) -> None:
        widget.setObjectName(f"field_{spec.key}")
        widget.setToolTip(spec.help)
        message = QLabel(objectName=f"error_{spec.key}", wordWrap=True)
        message.hide()
        cell = QWidget()
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addWidget(widget)
        box.addWidget(message)
        label = QLabel(("＊" if spec.required else "") + spec.label)
        self._grid.addWidget(label, row, col * 2)
        self._grid.addWidget(cell, row, col * 2 + 1, 1, span * 2 - 1)
        self.inputs[spec.key], self.messages[spec.key] = widget, message
        self._watch(spec.key, widget)

    def _watch(self, key: str, widget: QWidget) -> None:
        if isinstance(widget, QLineEdit):
            widget.editingFinished.connect(lambda: self.edited.emit(key))
        elif isinstance(widget, QComboBox):
            widget.activated.connect(lambda _i: self.edited.emit(key))
        elif isinstance(widget, CompositeInput):
            widget.changed.connect(lambda: self.edited.emit(key))

    # --- values --------------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        return {key: read_text(widget) for key, widget in self.inputs.items()}

    def set_value(self, key: str, text: str) -> None:
        write_text(self.inputs[key], text)

    def validate(self, extra: Mapping[str, str] | None = None) -> FormResult:
        """Validate everything and show every message; `extra` supplies skipped fields (side)."""
        result = validate_form(self.spec, {**self.values(), **(extra or {})})
        self.show_messages(result.errors, result.warnings)
        return result

    def check_field(self, key: str, extra: Mapping[str, str] | None = None) -> None:
        """Inline check of one field as the user leaves it; other fields' messages stay as they are."""
        result = validate_form(self.spec, {**self.values(), **(extra or {})})
        self.show_message(key, result.errors.get(key), result.warnings.get(key))

    def show_messages(self, errors: Mapping[str, str], warnings: Mapping[str, str] | None = None) -> None:
        for key in self.messages:
            self.show_message(key, errors.get(key), (warnings or {}).get(key))

    def show_message(self, key: str, error: str | None, warning: str | None = None) -> None:
        label = self.messages.get(key)
        if label is None:
            return
        label.setText(error or warning or "")
        label.setStyleSheet(ERROR_STYLE if error else WARNING_STYLE)
        label.setVisible(bool(error or warning))

    def message(self, key: str) -> str:
        label = self.messages.get(key)
        return label.text() if label is not None and not label.isHidden() else ""
