"""`mediation-desk liaison …` to the end: register, update, every step to the 司法确认 ruling, the
window counting down, refusals in one line, and the register showing each referral once."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import create_engine, event, select, text

from models import clock
from models.cases.entities import Case
from models.db import Database
from models.liaison.service import list_register
from models.org.entities import Role
from models.workflow.entities import CourtReferral
from tests.conftest import Cli

LIAISON = Role.LIAISON  # 诉调对接专员 records every step of a court referral


def _unreferred_case(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as conn:
        number = conn.scalar(select(Case.number).where(Case.stage == "调", Case.id.not_in(select(CourtReferral.case_id)))
                             .order_by(Case.id).limit(1))
    engine.dispose()
    assert number
    return str(number)


def _referral(url: str, number: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT r.* FROM court_referrals r JOIN cases c ON c.id = r.case_id "
                                "WHERE c.number = :n"), {"n": number}).mappings().one()
    engine.dispose()
    return dict(row)


def test_liaison_records_a_delegation_to_the_ruling(cli_as: Cli, demo_url: str) -> None:
    today = clock.today()
    number = _unreferred_case(demo_url)
    day = lambda n: (today + timedelta(days=n)).isoformat()  # noqa: E731
    code, out, err = cli_as(LIAISON, "--db", demo_url, "liaison", "register", number, "--court", "玉门市人民法院", "--kind", "委派",
                         "--number", "(2026)甘0981民诉前调901号", "--referred-on", day(-20), "--cause", "买卖合同纠纷")
    assert code == 0, err
    assert _referral(demo_url, number)["pre_suit_number"] == "（2026）甘0981民诉前调901号"
    code, _, err = cli_as(LIAISON, "--db", demo_url, "liaison", "register", number, "--court", "x", "--kind", "委派",
                       "--referred-on", day(-20))
    assert code == 2 and "修改登记" in err
    assert cli_as(LIAISON, "--db", demo_url, "liaison", "update", number, "--tribunal", "花海法庭")[0] == 0
    assert _referral(demo_url, number)["tribunal"] == "花海法庭"
    assert cli_as(LIAISON, "--db", demo_url, "liaison", "receive", number, "--received-on", day(-19))[0] == 0
    code, _, err = cli_as(LIAISON, "--db", demo_url, "liaison", "ruling", number, "--ruling", "确认有效", "--ruling-on", day(-1))
    assert code == 2 and "尚未记录司法确认申请" in err
    code, out, err = cli_as(LIAISON, "--db", demo_url, "liaison", "outcome", number, "--reason", "达成协议", "--closing", "申请司法确认",
                         "--concluded-on", day(-5), "--agreement-effective-on", day(-5))
    assert code == 0, err
    code, out, _ = cli_as(LIAISON, "--db", demo_url, "liaison", "show", number, "--json")
    shown = json.loads(out)
    left = (date.fromisoformat(shown["confirmation_due"]) - today).days
    assert shown["confirmation_days_left"] == left and 25 <= left <= 30  # 30 days from the agreement
    code, out, _ = cli_as(LIAISON, "--db", demo_url, "liaison", "show", number)
    assert f"司法确认申请期限：{shown['confirmation_due']}（剩{left}天" in out
    assert cli_as(LIAISON, "--db", demo_url, "liaison", "confirm-apply", number, "--applied-on", day(-2),
               "--court", "玉门市人民法院")[0] == 0
    assert cli_as(LIAISON, "--db", demo_url, "liaison", "confirm-accept", number, "--accepted-on", day(-1),
               "--number", "(2026)甘0981诉前调确31号")[0] == 0
    code, out, err = cli_as(LIAISON, "--db", demo_url, "liaison", "ruling", number, "--ruling", "确认有效", "--ruling-on", day(0))
    assert code == 0, err
    stored = _referral(demo_url, number)
    assert stored["ruling"] == "确认有效" and stored["confirmation_number"] == "（2026）甘0981诉前调确31号"
    code, out, _ = cli_as(LIAISON, "--db", demo_url, "liaison", "list", "--json")
    rows = [r for r in json.loads(out) if r["case_number"] == number]
    assert len(rows) == 1 and rows[0]["step"] == "司法确认确认有效"
    code, out, _ = cli_as(LIAISON, "--db", demo_url, "case", "show", number)
    assert "司法确认裁定" in out and "申请司法确认" in out  # the steps are on the case timeline


def test_liaison_steps_refuse_missing_values_in_one_line(cli_as: Cli, demo_url: str) -> None:
    number = _unreferred_case(demo_url)
    code, _, err = cli_as(LIAISON, "--db", demo_url, "liaison", "receive", number, "--received-on", clock.today().isoformat())
    assert code == 2 and "尚未登记诉调对接信息" in err and "Traceback" not in err


def test_register_loads_in_a_fixed_number_of_statements(demo_db: Database) -> None:
    """Each referral once, whatever the row count: 7 statements for the demo's register (was 7 per row)."""
    sent: list[str] = []
    event.listen(demo_db.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    with demo_db.read() as session:
        rows = list_register(session)
    queries = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
    assert len(rows) > 20 and len({r.case_id for r in rows}) == len(rows)
    assert len(queries) <= 8
    assert all(r.step for r in rows) and any(r.next_deadline for r in rows)
