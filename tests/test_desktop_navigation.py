"""The 查看 shortcuts and the remembered layout, used as a mediator would: step through the list,
open the documents of the selected case, keep two cases open side by side, and find the window
as it was left after a restart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot

from desktop.app import build_main_window
from desktop.document_dialog import DocumentDialog
from desktop.main_window import MainWindow
from desktop.navigation import CaseWindow
from models.db import Database
from tests.support.desktop import RecordingDialogs


def _action(window: MainWindow, name: str) -> QAction:
    return next(a for a in window.actions() if a.objectName() == name)


def test_next_and_previous_case_follow_the_list(qtbot: QtBot, window: MainWindow) -> None:
    window.select_row(0)
    first = window.selected_case_id
    _action(window, "nextCase").trigger()
    second = window.selected_case_id
    assert second != first and window.detail.case_id == second
    _action(window, "previousCase").trigger()
    assert window.selected_case_id == first
    assert _action(window, "nextCase").shortcut().toString() == "Ctrl+PgDown"


def test_ctrl_p_opens_the_documents_of_the_selected_case(qtbot: QtBot, window: MainWindow) -> None:
    window.select_row(0)
    assert _action(window, "documentsShortcut").shortcut().toString() == "Ctrl+P"
    _action(window, "documentsShortcut").trigger()
    opened = [d for d in window.findChildren(DocumentDialog) if d.isVisible()]
    assert len(opened) == 1


def test_two_cases_can_be_open_at_once(qtbot: QtBot, window: MainWindow) -> None:
    window.select_row(0)
    _action(window, "openCaseWindow").trigger()
    window.select_row(1)
    _action(window, "openCaseWindow").trigger()
    opened = [w for w in window.findChildren(CaseWindow) if w.isVisible()]
    assert len(opened) == 2 and opened[0].detail.case_id != opened[1].detail.case_id
    assert all(w.windowTitle().startswith("案件 ") for w in opened)


def test_the_layout_is_remembered_across_restarts(qtbot: QtBot, demo_db: Database) -> None:
    first = build_main_window(demo_db, RecordingDialogs())
    qtbot.addWidget(first)
    first.show()
    splitter = first.findChild(QSplitter, "mainSplitter")
    splitter.setSizes([300, 900])
    wanted = splitter.sizes()
    first.close()
    second = build_main_window(demo_db, RecordingDialogs())
    qtbot.addWidget(second)
    second.show()
    restored = second.findChild(QSplitter, "mainSplitter").sizes()
    assert abs(restored[0] - wanted[0]) <= 4 and abs(restored[1] - wanted[1]) <= 4  # frame rounding
    assert second.findChild(QSplitter, "mainSplitter").orientation() == Qt.Orientation.Horizontal
