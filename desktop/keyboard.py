"""Keyboard-first data entry, shared by the forms: Tab visits the fields in the order a person
reads them (explicit chains, since Qt's default is the order widgets were created in, which put
the party fields after the buttons), Tab leaves multi-line boxes (set in spec_form), and Enter
never submits a form from a field — it moves to the next field; only a focused button acts."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QDialog, QPlainTextEdit, QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def focusables(widget: QWidget) -> list[QWidget]:
    """`widget` if Tab can stop on it, else the tab-stops inside it in creation order (composite
    inputs such as the two-level dispute-type picker)."""
    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
        return [widget]
    proxy = widget.focusProxy()
    if proxy is not None:
        return [proxy]
    inside = [w for w in widget.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus
              and w.focusProxy() is None and w.window() is widget.window()]  # not a combo's pop-up list
    return [w for w in inside if not any(w is not other and other.isAncestorOf(w) for other in inside)]


def chain_tab_order(widgets: Iterable[QWidget]) -> list[QWidget]:
    """Make Tab go through `widgets` (expanded to their tab-stops) in this order; returns the stops."""
    stops = [stop for widget in widgets for stop in focusables(widget)]
    for first, second in itertools.pairwise(stops):
        QWidget.setTabOrder(first, second)
    return stops


def enter_moves_on(dialog: QDialog, event: QKeyEvent) -> bool:
    """Handle Enter in a form: on a button it is left to the button; in a multi-line box it is a
    new line; anywhere else (a line edit, a closed combo box) it moves to the next field instead of
    submitting the form. True when the event was handled here."""
    if event.key() not in ENTER_KEYS:
        return False
    focused = dialog.focusWidget()
    if isinstance(focused, QAbstractButton | QPlainTextEdit):
        return False
    dialog.focusNextChild()
    event.accept()
    return True
