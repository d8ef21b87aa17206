"""The workflow CLI and demo: `deadlines`, `calendar import|list`, `supervision thresholds`,
`liaison list`, and `case show --json` carrying deadlines with colour and legal basis."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from models.liaison.court_numbers import parse_court_number
from models.org.entities import Role
from tests.conftest import Cli

M = Role.MEDIATOR


def test_demo_shows_every_colour_and_the_overdue_filter(cli_as: Cli, demo_url: str) -> None:
    code, out, _ = cli_as(M, "--db", demo_url, "deadlines", "--json")
    listed = json.loads(out)
    assert code == 0 and {d["colour"] for d in listed["deadlines"]} == {"蓝", "黄", "红"}
    code, out, _ = cli_as(M, "--db", demo_url, "deadlines", "--overdue", "--json")
    overdue = json.loads(out)["deadlines"]
    assert overdue and all(d["days_left"] < 0 for d in overdue)
    desk = overdue[0]["desk"]
    code, out, _ = cli_as(M, "--db", demo_url, "deadlines", "--overdue", "--desk", desk, "--json")
    assert {d["desk"] for d in json.loads(out)["deadlines"]} == {desk}
    code, out, _ = cli_as(M, "--db", demo_url, "deadlines")
    assert code == 0 and "已超期" in out and "到期日" in out


def test_case_show_json_includes_deadlines_with_colour_and_basis(
    cli_as: Cli, demo_url: str
) -> None:
    _, out, _ = cli_as(M, "--db", demo_url, "deadlines", "--json")
    number = json.loads(out)["deadlines"][0]["case_number"]
    code, out, _ = cli_as(M, "--db", demo_url, "case", "show", number, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["number"] == number
    first = shown["deadlines"][0]
    assert first["colour"] in ("蓝", "黄", "红") and "《" in first["legal_basis"] and first["due_date"]


def test_liaison_register_has_valid_court_numbers(cli_as: Cli, demo_url: str) -> None:
    code, out, _ = cli_as(M, "--db", demo_url, "liaison", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) >= 20
    for row in rows:
        assert parse_court_number(row["pre_suit_number"]).case_type == "民诉前调"
        for key, kind in (("confirmation_number", "诉前调确"), ("filing_number", "民初")):
            if row[key]:
                assert parse_court_number(row[key]).case_type == kind
    assert any(r["confirmation_number"] for r in rows) and any(r["filing_number"] for r in rows)
    assert any(r["mediation_due"] for r in rows)
    code, out, _ = cli_as(M, "--db", demo_url, "liaison", "list", "--open")
    assert code == 0 and "诉前调解案号" in out


def test_calendar_import_list_and_a_rejected_file(
    cli_as: Cli, db_url: str, tmp_path: Path
) -> None:
    good = tmp_path / "2027.csv"
    good.write_bytes("date,kind,name\n2027-01-01,放假,元旦\n2027-02-07,调休上班,春节调休上班\n".encode("gbk"))
    code, out, _ = cli_as(Role.SYSTEM_ADMIN, "--db", db_url, "calendar", "import", str(good))
    assert code == 0 and "已导入 2 天" in out
    code, out, _ = cli_as(M, "--db", db_url, "calendar", "list", "--year", "2027", "--json")
    assert [r["name"] for r in json.loads(out)] == ["元旦", "春节调休上班"]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,name\n2027-02-08,调休上班,周一\n", encoding="utf-8")
    code, _, err = cli_as(Role.SYSTEM_ADMIN, "--db", db_url, "calendar", "import", str(bad))
    assert code == 2 and "第2行" in err and "未做任何修改" in err


def test_thresholds_are_shown_and_changed(cli_as: Cli, db_url: str) -> None:
    code, out, _ = cli_as(M, "--db", db_url, "supervision", "thresholds")
    assert code == 0 and "到期前 3 天" in out
    code, out, _ = cli_as(Role.SYSTEM_ADMIN, "--db", db_url, "supervision", "thresholds", "--blue", "5")
    assert "到期前 5 天" in out and "超期 3 天内" in out
    code, _, err = cli_as(Role.SYSTEM_ADMIN, "--db", db_url, "supervision", "thresholds", "--yellow", "-1")
    assert code == 2 and "不能为负数" in err


def test_demo_shows_every_colour_whatever_the_weekday(tmp_path: Path) -> None:
    """On a Sunday (no due date falls on it) the demo still has blue, yellow and red deadlines: its
    start days are found on the calendar, not fixed ages."""
    from models import clock
    from models.db import open_database
    from models.demo.cases import seed_demo
    from models.workflow.supervision import list_deadlines

    sunday = date(2026, 11, 29)
    with clock.pinned(sunday):
        db = open_database(f"sqlite:///{tmp_path / 'sunday.db'}")
        with db.write.begin() as session:
            seed_demo(session)
        with db.read() as session:
            colours = {d.colour for d in list_deadlines(session, sunday)}
        db.engine.dispose()
    assert colours == {"蓝", "黄", "红"}
