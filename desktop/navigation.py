"""Moving through the day's cases by keyboard, several cases open at once, and a window that comes
back as it was left.

- 查看 menu: 下一件 (Ctrl+PgDown) / 上一件 (Ctrl+PgUp) step through the current list, 生成文书
  (Ctrl+P) for the selected case, 在新窗口中打开 (Ctrl+O) shows the selected case in a window of its
  own, so a mediator can keep one case beside another (as many as needed).
- The main window's geometry, toolbar/dock state and splitter sizes are kept in QSettings and
  restored at the next start (per user account on this machine)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QScrollArea, QSplitter, QWidget

from desktop.case_detail import CaseDetailView
from desktop.context import DeskContext
from desktop.main_window import MainWindow
from desktop.screen import fit_to_screen

SETTINGS_ORG, SETTINGS_APP = "mediation-desk", "desk"
WINDOW_KEYS = ("main/geometry", "main/state", "main/splitter")


class CaseWindow(QMainWindow):
    """One case in a window of its own; it follows changes like the main window's detail pane."""

    def __init__(self, ctx: DeskContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="caseWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.detail = CaseDetailView(ctx, self)
        self.detail.show_case(case_id)
        area = QScrollArea(widgetResizable=True)
        area.setWidget(self.detail)
        self.setCentralWidget(area)
        self.setWindowTitle(f"案件 {self.detail.detail.number}" if self.detail.detail else "案件")
        fit_to_screen(self, 760, 820)


def install(window: MainWindow) -> dict[str, QAction]:
    """Add the 查看 menu and remember the window's layout; returns the actions by name."""
    actions = {
        "next": _action(window, "下一件", "nextCase", QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_PageDown),
                        lambda: step(window, 1)),
        "previous": _action(window, "上一件", "previousCase", QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_PageUp),
                            lambda: step(window, -1)),
        "documents": _action(window, "生成文书…", "documentsShortcut", QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_P),
                             lambda: window.detail.open_documents()),
        "open": _action(window, "在新窗口中打开", "openCaseWindow", QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_O),
                        lambda: open_case_window(window)),
    }
    menu = window.menuBar().addMenu("查看")
    menu.addActions(list(actions.values()))
    restore_layout(window)
    window.installEventFilter(_SaveOnClose(window))
    return actions


def _action(window: MainWindow, text: str, name: str, keys: QKeySequence, slot: Callable[[], object]) -> QAction:
    action = QAction(text, window, objectName=name, shortcut=keys)
    action.triggered.connect(lambda _=False: slot())
    window.addAction(action)
    return action


def step(window: MainWindow, delta: int) -> None:
    """Select the next (delta 1) or previous (-1) case of the current list, if there is one."""
    rows = window.table.selectionModel().selectedRows()
    current = rows[0].row() if rows else -1
    window.select_row(max(0, current + delta))


def open_case_window(window: MainWindow) -> CaseWindow | None:
    if window.selected_case_id is None:
        window.statusBar().showMessage("请先在列表中选择一件案件", 5000)
        return None
    other = CaseWindow(window.ctx, window.selected_case_id, window)
    other.show()
    return other


def settings() -> QSettings:
    """An INI file in the user's config folder (~/.config/mediation-desk/desk.ini on Linux)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, SETTINGS_ORG, SETTINGS_APP)


def save_layout(window: MainWindow) -> None:
    store = settings()
    store.setValue(WINDOW_KEYS[0], window.saveGeometry())
    store.setValue(WINDOW_KEYS[1], window.saveState())
    splitter = window.findChild(QSplitter, "mainSplitter")
    if splitter is not None:
        store.setValue(WINDOW_KEYS[2], splitter.saveState())


def restore_layout(window: MainWindow) -> None:
    store = settings()
    geometry, state, sizes = (store.value(key) for key in WINDOW_KEYS)
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    if isinstance(state, QByteArray):
        window.restoreState(state)
    splitter = window.findChild(QSplitter, "mainSplitter")
    if splitter is not None and isinstance(sizes, QByteArray):
        splitter.restoreState(sizes)


class _SaveOnClose(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and isinstance(watched, MainWindow):
            save_layout(watched)
        return False
