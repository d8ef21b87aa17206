"""Asking where to save a document and opening it afterwards, behind the Dialogs wrapper.

The shared Dialogs class has no file prompt yet; when the wrapper in use offers `ask_save_path` /
`open_file` (tests' recording dialogs do) those are used, otherwise the Qt file dialog and the
desktop's default application. No modal box ever blocks a test run."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from desktop.dialogs import Dialogs

FILTERS = {"pdf": "PDF 文件 (*.pdf)", "docx": "Word 文档 (*.docx)"}
UNSAFE_NAME_CHARS = str.maketrans({c: "_" for c in '\\/:*?"<>|'})


def suggested_name(stem: str, fmt: str) -> str:
    """A file name from a case number or title: no characters Windows refuses in names."""
    return f"{stem.translate(UNSAFE_NAME_CHARS)}.{fmt}"


def ask_save_path(dialogs: Dialogs, title: str, name: str, fmt: str) -> Path | None:
    """Where to save, or None when the user cancelled; the format's extension is ensured."""
    custom = getattr(dialogs, "ask_save_path", None)
    if custom is not None:
        chosen = custom(title, name, fmt)
    else:
        start = str(Path.home() / name)
        chosen, _filter = QFileDialog.getSaveFileName(dialogs.parent, title, start, FILTERS[fmt])
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == f".{fmt}" else path.with_name(path.name + f".{fmt}")


def open_file(dialogs: Dialogs, path: Path) -> None:
    custom = getattr(dialogs, "open_file", None)
    if custom is not None:
        custom(path)
        return
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        dialogs.inform("打开文件", f"文件已保存，但系统没有可打开它的程序：{path}")
