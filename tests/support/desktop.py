"""Helpers for the desktop tests: a dialog wrapper that records what it would show and answers
from a script, Chinese input the way an IME delivers it (qtbot.keyClicks aborts on non-ASCII,
feasibility §0.2 in docs/ARCHITECTURE.md, "Sources"), and a main window over the demo database."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop import localisation
from desktop.app import build_main_window
from desktop.dialogs import Dialogs
from desktop.main_window import MainWindow
from models.db import Database


class RecordingDialogs(Dialogs):
    """Shows nothing: keeps every message and answers prompts from `answers` (None = cancel)."""

    def __init__(self) -> None:
        super().__init__(None)
        self.shown: list[tuple[str, str]] = []
        self.answers: list[str | None] = []

    def inform(self, title: str, text: str) -> None:
        self.shown.append((title, text))

    def error(self, title: str, text: str) -> None:
        self.shown.append((title, text))

    def blocked(self, label: str, blockers: Sequence[str]) -> None:
        self.shown.append((f"暂不能办理：{label}", "\n".join(blockers)))

    def ask_text(self, title: str, prompt: str) -> str | None:
        return self.answers.pop(0)

    def ask_line(self, title: str, prompt: str) -> str | None:
        return self.answers.pop(0)

    def ask_open_path(self, title: str, file_filter: str) -> str | None:
        return self.answers.pop(0)

    def choose(self, title: str, prompt: str, options: Sequence[str], current: str | None = None) -> str | None:
        answer = self.answers.pop(0)
        assert answer is None or answer in options, f"{answer} not offered in {options}"
        return answer

    def ask_save_path(self, title: str, name: str, fmt: str) -> str | None:
        return self.answers.pop(0)

    def confirm(self, title: str, text: str) -> bool:
        """Answer "确定" to confirm; anything else (None) declines."""
        self.shown.append((title, text))
        return self.answers.pop(0) == "确定"

    def choose_many(self, title: str, prompt: str, options: Sequence[str]) -> list[str] | None:
        """Answer with the chosen options joined by "、" ("" for none), or None to cancel."""
        answer = self.answers.pop(0)
        if answer is None:
            return None
        chosen = [a for a in answer.split("、") if a]
        assert all(a in options for a in chosen), f"{chosen} not all offered in {options}"
        return chosen

    def open_file(self, path: object) -> None:
        self.shown.append(("打开文件", str(path)))

    @property
    def texts(self) -> str:
        return "\n".join(f"{title}：{text}" for title, text in self.shown)


def commit_text(widget: QWidget, text: str) -> None:
    """Type `text` as an input method commits it (works for Chinese, unlike keyClicks)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def dialogs() -> RecordingDialogs:
    return RecordingDialogs()


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database, dialogs: RecordingDialogs) -> Iterator[MainWindow]:
    main = build_main_window(demo_db, dialogs)
    qtbot.addWidget(main)
    main.show()
    yield main


@pytest.fixture(scope="session", autouse=True)
def chinese_qt(qapp: QApplication) -> None:
    """Every GUI test sees what a user sees: Qt's own strings in Chinese, zh_CN locale."""
    localisation.install(qapp)


@pytest.fixture(autouse=True)
def fresh_window_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test starts with no remembered window layout (a dock left open by one test must not
    open in the next), kept in a throw-away folder, never in the tester's own settings."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("qsettings")))
