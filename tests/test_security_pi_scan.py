"""No full 18-digit ID number in any default list or export: the CLI's case lists and case view,
and the audit trail, are scanned over the whole demo database."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models.db import Database
from models.org.entities import Role
from models.security.audit import AuditEntry
from tests.support.cli_signin import main_as

FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def _out(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main_as(Role.MEDIATOR, args) == 0
    return capsys.readouterr().out


@pytest.fixture
def demo_url(demo_db: Database) -> str:
    return demo_db.engine.url.render_as_string(hide_password=False)


def _numbers(capsys: pytest.CaptureFixture[str], url: str) -> list[str]:
    import json

    return [r["number"] for r in json.loads(_out(capsys, "--db", url, "cases", "list", "--json", "--limit", "400"))["cases"]]


def test_the_scanner_finds_a_full_id_number() -> None:
    assert FULL_ID.search("证件号 11010519491231002X 。") and not FULL_ID.search("110105********002X")


def test_case_lists_show_no_full_id_number(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    for fmt in ((), ("--json",)):
        text = _out(capsys, "--db", demo_url, "cases", "list", "--limit", "400", *fmt)
        assert not FULL_ID.search(text)


def test_case_view_shows_no_full_id_number(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    for number in _numbers(capsys, demo_url)[:40]:
        assert not FULL_ID.search(_out(capsys, "--db", demo_url, "case", "show", number))


def test_case_view_json_shows_no_full_id_number(capsys: pytest.CaptureFixture[str], demo_url: str) -> None:
    for number in _numbers(capsys, demo_url)[:40]:
        assert not FULL_ID.search(_out(capsys, "--db", demo_url, "case", "show", number, "--json"))


def test_audit_trail_holds_no_full_id_number(demo_db: Database) -> None:
    with demo_db.read() as s:
        details = list(s.scalars(select(AuditEntry.detail)))
    assert len(details) > 1000
    assert not any(FULL_ID.search(d) for d in details)


