"""Holiday calendar changes take effect at once, and a deadline counted through a year the
calendar does not cover says so (DOMAIN: deadlines roll past holidays; a missing year means only
weekends are known)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from models import clock
from models.cases.service import register_case
from models.db import Database
from models.workflow.calendar_store import next_year_reminder
from models.workflow.deadline_service import DeadlineView, calendar_warnings, case_deadlines, change_calendar_day
from tests.support.factories import ACTOR, committee, draft, refer


def _general(s: Session, case_id: int) -> DeadlineView:
    return next(d for d in case_deadlines(s, case_id) if d.rule_code == "tm_general")


def test_a_deadline_running_into_an_uncovered_year_is_flagged(db: Database) -> None:
    with db.write.begin() as s:
        with clock.pinned(date(2026, 12, 14)):  # registered on the day it was received (no future dates)
            case_id = register_case(s, draft(committee(s), received=date(2026, 12, 14)), ACTOR).id
            refer(s, case_id, ACTOR)
        general = _general(s, case_id)
        assert general.due_date.year == 2027
        assert general.calendar_warning == "2027年节假日安排未导入，期限仅按周末顺延"
        assert calendar_warnings(case_deadlines(s, case_id)) == [general.calendar_warning]


def test_a_holiday_added_moves_an_open_deadline_and_covers_its_year(db: Database) -> None:
    with db.write.begin() as s:
        with clock.pinned(date(2026, 12, 14)):  # registered on the day it was received (no future dates)
            case_id = register_case(s, draft(committee(s), received=date(2026, 12, 14)), ACTOR).id
            refer(s, case_id, ACTOR)
        before = _general(s, case_id).due_date
        touched = change_calendar_day(s, before, "holiday", "测试假日", ACTOR)
        after = _general(s, case_id)
    assert touched >= 1 and after.due_date > before
    assert after.calendar_warning is None


def test_the_administrator_is_reminded_from_november(db: Database) -> None:
    with db.read() as s:
        assert next_year_reminder(s, date(2026, 10, 31)) is None
        assert "2027年节假日安排尚未导入" in (next_year_reminder(s, date(2026, 11, 1)) or "")
        assert next_year_reminder(s, date(2025, 11, 20)) is None  # the bundled calendar has 2026
