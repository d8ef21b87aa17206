"""Windows that fit the desk's monitor: centres still run 1366×768 laptops, so every window and
dialog asks for its preferred size but never more than the screen's free area (the taskbar and
the window frame left over); what does not fit scrolls inside the window, never past its buttons."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME_ALLOWANCE = 40  # title bar and borders the window manager adds around a window


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize `widget` to width × height, shrunk to the primary screen's available area."""
    screen = QGuiApplication.primaryScreen()
    free = screen.availableGeometry() if screen else None
    if free is not None and free.height() > 0:
        width, height = min(width, free.width()), min(height, free.height() - FRAME_ALLOWANCE)
    widget.resize(width, height)
