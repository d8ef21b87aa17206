"""The centre's 人民调解 limits stored in the database: seeded defaults, validation, open deadlines
moving when the limits change, and `mediation-desk supervision limits`."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from models.cases.service import register_case
from models.db import Database
from models.deadlines import DEFAULT_SETTINGS, DeadlineSettings, Period, build_rules, compute_due, rule_by_code
from models.errors import ValidationFailed
from models.org.entities import Role
from models.workflow.calendar_store import deadline_settings, set_deadline_settings, work_calendar
from models.workflow.deadline_service import case_deadlines, change_deadline_settings
from tests.conftest import Cli
from tests.support.factories import ACTOR, committee, draft, refer

M = Role.MEDIATOR

RECEIVED = date(2025, 1, 31)
SEEDED_TABLE = (("简单", Period(1, "day")), ("一般", Period(7, "day")), ("复杂疑难", Period(20, "day")))


def _general_due(s: Session, case_id: int) -> date:
    return {d.rule_code: d for d in case_deadlines(s, case_id, RECEIVED)}["tm_general"].due_date


def _expected_general_due(s: Session, settings: DeadlineSettings) -> date:
    rule = rule_by_code("tm_general", build_rules(settings))
    return compute_due(rule, RECEIVED, work_calendar(s)).due_date


def _case_in_mediation(s: Session) -> int:
    case_id = register_case(s, draft(committee(s), received=RECEIVED), ACTOR).id
    refer(s, case_id, ACTOR)
    return case_id


def test_fresh_database_uses_the_seeded_one_month_and_1_7_20_days(db: Database) -> None:
    with db.read() as s:
        settings = deadline_settings(s)
    assert settings == DEFAULT_SETTINGS
    assert settings.general_limit == Period(1, "month") and settings.complexity_limits == SEEDED_TABLE


def test_stored_settings_round_trip(db: Database) -> None:
    wanted = DeadlineSettings(
        Period(20, "working_day"), tuple({"简单": Period(2, "day"), "一般": Period(10, "day"), "复杂疑难": Period(30, "day")}.items())
    )
    with db.write.begin() as s:
        set_deadline_settings(s, wanted, ACTOR)
    with db.read() as s:
        assert deadline_settings(s) == wanted


def test_general_limit_of_45_days_moves_an_open_mediation_deadline(db: Database) -> None:
    longer = DeadlineSettings(Period(45, "day"), SEEDED_TABLE)
    with db.write.begin() as s:
        case_id = _case_in_mediation(s)
        before = _general_due(s, case_id)
        assert before == _expected_general_due(s, DEFAULT_SETTINGS) == date(2025, 2, 28)  # one month
        assert change_deadline_settings(s, longer, ACTOR) == 1
        after = _general_due(s, case_id)
    assert after == _expected_general_due_in(db, longer) and after != before
    assert after == date(2025, 3, 17)  # 01-31 + 45 calendar days, a Monday (no roll-over)


def _expected_general_due_in(db: Database, settings: DeadlineSettings) -> date:
    with db.read() as s:
        return _expected_general_due(s, settings)


def test_new_case_after_the_change_gets_the_new_limit(db: Database) -> None:
    with db.write.begin() as s:
        change_deadline_settings(s, DeadlineSettings(Period(10, "working_day"), SEEDED_TABLE), ACTOR)
        case_id = _case_in_mediation(s)
        assert _general_due(s, case_id) == _expected_general_due(s, deadline_settings(s))
        assert _general_due(s, case_id) == date(2025, 2, 17)  # 春节 off to 02-04; Sat 02-08 is a 调休 workday


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (DeadlineSettings(Period(0, "month"), SEEDED_TABLE), "一般期限长度必须是正整数"),
        (DeadlineSettings(Period(2, "year"), SEEDED_TABLE), "一般期限单位无效"),
        (
            DeadlineSettings(
                Period(1, "month"), tuple({"简单": Period(0, "day"), "一般": Period(7, "day"), "复杂疑难": Period(20, "day")}.items())
            ),
            "化解时限（简单）必须是正整数",
        ),
        (
            DeadlineSettings(Period(1, "month"), tuple({"简单": Period(1, "day"), "一般": Period(7, "day")}.items())),
            "化解时限须且只须包含",
        ),
        (
            DeadlineSettings(
                Period(1, "month"),
                tuple({"简单": Period(1, "month"), "一般": Period(7, "day"), "复杂疑难": Period(20, "day")}.items()),
            ),
            "须以日计",
        ),
    ],
)
def test_invalid_settings_are_refused_and_change_nothing(
    db: Database, settings: DeadlineSettings, message: str
) -> None:
    with db.write.begin() as s:
        with pytest.raises(ValidationFailed, match=message):
            set_deadline_settings(s, settings, ACTOR)
        assert deadline_settings(s) == DEFAULT_SETTINGS


def test_cli_shows_sets_and_refuses_limits(cli_as: Cli, db_url: str) -> None:
    code, out, _ = cli_as(M, "--db", db_url, "supervision", "limits")
    assert code == 0 and "人民调解一般期限：1个月" in out and "简单：1日" in out and "复杂疑难：20日" in out
    code, out, _ = cli_as(
        Role.SYSTEM_ADMIN, "--db", db_url, "supervision", "limits", "--general", "45", "--general-unit", "day", "--complex", "25"
    )
    assert code == 0 and "45日" in out and "复杂疑难：25日" in out and "一般：7日" in out and "已保存" in out
    code, _, err = cli_as(Role.SYSTEM_ADMIN, "--db", db_url, "supervision", "limits", "--simple", "0")
    assert code != 0 and "化解时限（简单）必须是正整数" in err
    code, _, err = cli_as(Role.SYSTEM_ADMIN, "--db", db_url, "supervision", "limits", "--general", "-3")
    assert code != 0 and "期限设置无效" in err
    code, out, _ = cli_as(M, "--db", db_url, "supervision", "limits")
    assert "人民调解一般期限：45日" in out and "复杂疑难：25日" in out and "简单：1日" in out
