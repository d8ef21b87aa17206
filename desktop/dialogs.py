"""The only place that opens message boxes and small prompts. Views call these methods; tests
replace the object with one that records the text and answers from a script, so no modal box
ever blocks a test run (docs/ARCHITECTURE.md, "Dialogs")."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

FILE_FILTERS = {"pdf": "PDF 文件 (*.pdf)", "docx": "Word 文档 (*.docx)", "xlsx": "Excel 工作簿 (*.xlsx)",
                "png": "PNG 图片 (*.png)", "db": "数据库备份 (*.db)"}


def bullet_list(lines: Sequence[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


class Dialogs:
    """Message boxes and prompts parented to one window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def inform(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def blocked(self, label: str, blockers: Sequence[str]) -> None:
        """Why a stage move cannot be made now: every blocker on its own line."""
        box = QMessageBox(QMessageBox.Icon.Warning, "暂不能办理", f"“{label}”暂不能办理，原因如下：",
                          QMessageBox.StandardButton.Ok, self.parent)
        box.setInformativeText(bullet_list(blockers))
        box.exec()

    def ask_text(self, title: str, prompt: str) -> str | None:
        """Multi-line text, or None when cancelled."""
        text, ok = QInputDialog.getMultiLineText(self.parent, title, prompt)
        return text if ok else None

    def ask_line(self, title: str, prompt: str) -> str | None:
        """One line of text (a name), or None when cancelled."""
        text, ok = QInputDialog.getText(self.parent, title, prompt)
        return text if ok else None

    def ask_open_path(self, title: str, file_filter: str) -> str | None:
        """An existing file to read, or None when cancelled."""
        chosen, _filter = QFileDialog.getOpenFileName(self.parent, title, str(Path.home()), file_filter)
        return chosen or None

    def choose(self, title: str, prompt: str, options: Sequence[str], current: str | None = None) -> str | None:
        """One of `options`, or None when cancelled."""
        start = options.index(current) if current in options else 0
        value, ok = QInputDialog.getItem(self.parent, title, prompt, list(options), start, False)
        return value if ok else None

    def confirm(self, title: str, text: str) -> bool:
        """Yes or no before something that cannot be undone (the default button is 取消)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, self.parent)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Ok).setText("确定")
        box.button(QMessageBox.StandardButton.Cancel).setText("取消")
        return box.exec() == QMessageBox.StandardButton.Ok

    def choose_many(self, title: str, prompt: str, options: Sequence[str]) -> list[str] | None:
        """Any number of `options` (possibly none), or None when cancelled."""
        from desktop.choice_dialog import MultiChoiceDialog  # a small dialog of its own

        dialog = MultiChoiceDialog(title, prompt, options, self.parent)
        return dialog.chosen() if dialog.exec() else None

    def ask_save_path(self, title: str, name: str, fmt: str) -> str | None:
        """Where to save a `fmt` file (suggesting `name` in the home folder), or None when cancelled."""
        chosen, _filter = QFileDialog.getSaveFileName(self.parent, title, str(Path.home() / name), FILE_FILTERS[fmt])
        return chosen or None

    def open_file(self, path: Path) -> None:
        """Open a saved file with the desktop's default program."""
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.inform("打开文件", f"文件已保存，但系统没有可打开它的程序：{path}")
