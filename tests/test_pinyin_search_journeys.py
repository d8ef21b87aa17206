"""Pinyin search as a person uses it: initials typed into the list's search box, full pinyin
given to `cases list --search` (the same index as names, phones and numbers)."""

from __future__ import annotations

import json

from pypinyin import lazy_pinyin
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow
from models.org.entities import Role
from tests.conftest import Cli
from tests.support.desktop import commit_text, dialogs, window  # noqa: F401 - fixtures


def _first_party(parties: str) -> str:
    return parties.replace(" 与 ", "、").split("、")[0]


def test_initials_in_the_search_box_find_the_case(qtbot: QtBot, window: MainWindow) -> None:  # noqa: F811
    row = window.model.row_at(0)
    assert row is not None
    initials = "".join(p[0] for p in lazy_pinyin(_first_party(row.parties)))
    commit_text(window.findChild(QLineEdit, "searchBox"), initials.upper())
    qtbot.waitUntil(lambda: window.model.filter.search == initials.upper(), timeout=3000)
    total = window.model.rowCount()
    assert 0 < total < 400
    assert row.id in {window.model.case_id_at(i) for i in range(total)}


def test_full_pinyin_on_the_command_line(cli_as: Cli, demo_url: str) -> None:
    code, out, _ = cli_as(Role.MEDIATOR, "--db", demo_url, "cases", "list", "--limit", "1", "--json")
    first = json.loads(out)["cases"][0]
    full = "".join(lazy_pinyin(_first_party(first["parties"])))
    code, out, _ = cli_as(Role.MEDIATOR, "--db", demo_url, "cases", "list", "--search", full, "--limit", "500", "--json")
    assert code == 0 and first["number"] in {c["number"] for c in json.loads(out)["cases"]}
