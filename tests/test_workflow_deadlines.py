"""DB wiring of the deadline engine: the stored calendar, deadline instances computed from the case's
events, extension events, stored colour thresholds, lists per desk / person and the start-up summary.
(The engine's own rule-by-rule table lives in tests/test_deadlines_*.py.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from models import clock
from models.cases.service import advance_stage, record, register_case
from models.db import Database
from models.deadlines import CalendarImportError, DeadlineError
from models.dto import Actor
from models.errors import ValidationFailed
from models.liaison.service import ReferralInput, apply_confirmation, record_referral_outcome, register_referral
from models.org.entities import Desk, User
from models.workflow.calendar_store import (
    calendar_rows,
    import_calendar_csv,
    set_calendar_day,
    set_thresholds,
    work_calendar,
)
from models.workflow.deadline_service import DeadlineView, case_deadlines, extend_deadline, resync_open_deadlines
from models.workflow.supervision import DeadlineFilter, due_summary, list_deadlines, overdue_counts
from tests.support.factories import ACTOR, committee, draft, refer


def _by_rule(s: Session, case_id: int, today: date) -> dict[str, DeadlineView]:
    return {d.rule_code: d for d in case_deadlines(s, case_id, today)}


def _delegated(s: Session, received_on: date, **extra: object) -> int:
    case_id = register_case(s, draft(committee(s), source="法院委派", received=received_on), ACTOR).id
    data = ReferralInput(court="玉门市人民法院", kind="委派", referred_on=received_on, received_on=received_on,
                         pre_suit_number="(2024)甘0981民诉前调123号", **extra)  # type: ignore[arg-type]  # **extra: the fields a test sets
    register_referral(s, case_id, data, ACTOR)
    return case_id


# Each row: the rule (with its article), the trigger, and the due date the database instance must carry.
@pytest.mark.parametrize(("received", "expected"), [
    # 特邀调解规定 Art. 27: 30 days from receipt; 02-11 falls in Spring Festival → first working day is the
    # 调休 make-up Sunday 2024-02-18.
    (date(2024, 1, 12), date(2024, 2, 18)),
    (date(2024, 3, 1), date(2024, 4, 1)),  # 03-31 is a Sunday → Monday 04-01
])
def test_court_referral_clock_is_stored_on_the_centre_calendar(db: Database, received: date, expected: date) -> None:
    with db.write.begin() as s:
        case_id = _delegated(s, received)
        shown = _by_rule(s, case_id, received)["court_delegated"]
    assert shown.due_date == expected
    assert "第二十七条" in shown.legal_basis


def test_mediation_clock_starts_at_acceptance_and_stops_at_the_outcome(db: Database) -> None:
    with db.write.begin() as s:
        case_id = register_case(s, draft(committee(s), received=date(2025, 1, 31)), ACTOR).id
        assert case_deadlines(s, case_id) == []  # still 诊: no mediation clock yet
        refer(s, case_id, ACTOR)
        general = _by_rule(s, case_id, date(2025, 2, 27))["tm_general"]
        assert general.due_date == date(2025, 2, 28) and general.colour == "蓝"
        assert not general.hard  # 2002 规定 Art. 33 says “一般”
        record(s, case_id, "mediation_outcome", "书面协议", ACTOR)
        assert _by_rule(s, case_id, date(2025, 2, 27))["tm_general"].completed_on is not None


def test_reopened_case_gets_a_new_clock_and_shows_red(db: Database) -> None:
    with db.write.begin() as s:
        case_id = register_case(s, draft(committee(s), received=clock.today()), ACTOR).id
        refer(s, case_id, ACTOR)
        record(s, case_id, "mediation_outcome", "书面协议", ACTOR)
        advance_stage(s, case_id, "close_mediation", ACTOR)
        record(s, case_id, "followup_satisfaction", "不满意", ACTOR)
        advance_stage(s, case_id, "reopen", ACTOR, "对方未按期履行")
        rows = case_deadlines(s, case_id)
        listed = list_deadlines(s)  # due in a month, but a re-opened case is listed (红) at once
        assert [(d.case_id, d.colour) for d in listed] == [(case_id, "红")]
        assert list_deadlines(s, flt=DeadlineFilter(overdue_only=True)) == []
    general = [d for d in rows if d.rule_code == "tm_general"]
    assert len(general) == 2 or general[0].trigger_date == clock.today()
    assert [d.colour for d in rows if d.completed_on is None] == ["红"]


def test_extension_events_move_the_deadline_within_the_rule(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _delegated(s, date(2024, 3, 1))
        delegated = _by_rule(s, case_id, date(2024, 3, 1))["court_delegated"]
        moved = extend_deadline(s, delegated.id, 15, "day", "双方同意延长调解期限", ACTOR, date(2024, 3, 25))
        with pytest.raises(ValidationFailed, match="理由"):
            extend_deadline(s, delegated.id, 5, "day", " ", ACTOR)
    assert moved.due_date == date(2024, 4, 16) and moved.extensions == 1  # 04-01 + 15 = 04-16 (Tue)
    assert moved.base_due == date(2024, 4, 1)


def test_capped_extension_is_refused_beyond_its_statutory_cap(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _delegated(s, date(2024, 5, 6))
        record_referral_outcome(s, case_id, "达成协议", "申请司法确认", date(2024, 5, 20), ACTOR,
                                agreement_effective_on=date(2024, 5, 20))
        apply_confirmation(s, case_id, date(2024, 5, 27), ACTOR)
        from models.liaison.service import record_confirmation_accepted

        record_confirmation_accepted(s, case_id, date(2024, 5, 28), "（2024）甘0981诉前调确45号", ACTOR)
        soft = _by_rule(s, case_id, date(2024, 5, 28))["sfqr_decide_soft"]
        # due 06-12; the cap is 06-12 + 10 = Sat 06-22 → Mon 06-24, so 13 days (06-25) is past it
        with pytest.raises(DeadlineError, match="最多延长10日"):
            extend_deadline(s, soft.id, 13, "day", "院长批准延长", ACTOR, date(2024, 6, 10))
        assert extend_deadline(s, soft.id, 10, "day", "院长批准延长", ACTOR, date(2024, 6, 10)).extensions == 1


def test_calendar_defaults_to_the_seed_and_imports_replace_only_the_years_in_the_file(
    db: Database, tmp_path: Path
) -> None:
    csv = tmp_path / "2027.csv"
    csv.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,放假,春节\n2027-02-20,调休上班,春节调休上班\n",
                   encoding="utf-8")
    with db.write.begin() as s:
        assert work_calendar(s).is_holiday(date(2024, 2, 12))
        result = import_calendar_csv(s, csv, ACTOR)
        assert result.years == (2027,) and result.rows == 3
    with db.read() as s:
        cal = work_calendar(s)
        assert cal.is_holiday(date(2024, 2, 12)) and cal.is_working_day(date(2027, 2, 20))
        assert [r.name for r in calendar_rows(s, 2027)] == ["元旦", "春节", "春节调休上班"]


def test_a_bad_calendar_file_changes_nothing(db: Database, tmp_path: Path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,坏日期\n", encoding="utf-8")
    with db.write.begin() as s, pytest.raises(CalendarImportError, match="第3行"):
        import_calendar_csv(s, csv, ACTOR)
    with db.read() as s:
        assert not work_calendar(s).covers(date(2027, 1, 1))


def test_editing_a_calendar_day_moves_open_deadlines_after_resync(db: Database) -> None:
    with db.write.begin() as s:
        case_id = _delegated(s, date(2025, 6, 2))  # +30 = 07-02 (Wed)
        set_calendar_day(s, date(2025, 7, 2), "holiday", "临时停工", ACTOR)
        assert resync_open_deadlines(s) == 1
        assert _by_rule(s, case_id, date(2025, 6, 2))["court_delegated"].due_date == date(2025, 7, 3)
        with pytest.raises(ValidationFailed, match="无需标为调休上班"):
            set_calendar_day(s, date(2025, 7, 3), "workday", "", ACTOR)


@pytest.mark.parametrize(("blue", "yellow", "today", "colour"), [
    (3, 3, date(2024, 3, 28), None),  # due 04-01: 4 days left, outside a 3-day blue window
    (5, 3, date(2024, 3, 28), "蓝"),
    (3, 3, date(2024, 4, 4), "黄"),  # 3 days over, within the yellow window
    (3, 1, date(2024, 4, 4), "红"),
])
def test_colour_thresholds_are_read_from_the_database(
    db: Database, blue: int, yellow: int, today: date, colour: str | None
) -> None:
    with db.write.begin() as s:
        case_id = _delegated(s, date(2024, 3, 1))
        set_thresholds(s, blue, yellow, ACTOR)
        assert _by_rule(s, case_id, today)["court_delegated"].colour == colour


def test_overdue_lists_per_desk_and_person_and_the_start_up_summary(db: Database) -> None:
    with db.write.begin() as s:
        cid = committee(s)
        desk = Desk(name="人民法院诉调对接中心")
        s.add(desk)
        s.flush()
        person = User(username="tj01", display_name="马海燕", role="调解员", desk_id=desk.id)
        s.add(person)
        s.flush()
        late = register_case(s, draft(cid, received=date(2024, 1, 2), desk_id=desk.id, mediator_id=person.id), ACTOR).id
        due = register_case(s, draft(cid, received=date(2024, 1, 10)), ACTOR).id
        for case_id in (late, due):
            refer(s, case_id, ACTOR)
    today = date(2024, 2, 18)  # late: due 02-02 (16 days over); due: 02-10 → holiday → 02-18 (调休 Sunday)
    with db.read() as s:
        overdue = list_deadlines(s, today, DeadlineFilter(overdue_only=True))
        mine = list_deadlines(s, today, DeadlineFilter(person_id=person.id))
        summary = due_summary(s, today)
        by_desk = overdue_counts(s, today, by="desk")
        by_person = overdue_counts(s, today, by="person")
    assert [(d.case_id, d.colour, d.desk, d.person) for d in overdue] == [(late, "红", "人民法院诉调对接中心", "马海燕")]
    assert [d.case_id for d in mine] == [late]
    assert [d.case_id for d in summary.due_today] == [due] and len(summary.overdue) == 1
    assert "今日到期 1 项，已超期 1 项" in summary.message
    assert by_desk == [("人民法院诉调对接中心", 1)] and by_person == [("马海燕", 1)]


def test_services_refuse_users_without_the_permission(db: Database) -> None:
    with db.write.begin() as s:
        grid = User(username="wg1", display_name="网格员甲", role="网格员")
        s.add(grid)
        s.flush()
        case_id = _delegated(s, date(2024, 3, 1))
        deadline = _by_rule(s, case_id, date(2024, 3, 1))["court_delegated"]
        from models.security.permissions import PermissionDenied

        with pytest.raises(PermissionDenied):
            extend_deadline(s, deadline.id, 5, "day", "延长", Actor(grid.id))


def test_supervision_orders_are_numbered_per_year_and_track_their_reply(db: Database) -> None:
    from models.workflow.supervision import issue_supervision, list_supervisions, reply_supervision

    with db.write.begin() as s:
        case_id = register_case(s, draft(committee(s)), ACTOR).id
        with pytest.raises(ValidationFailed, match=r"督办级别.*回告期限不能早于"):
            issue_supervision(s, case_id, "紫", "请回告", date(2025, 3, 1), ACTOR, issued_on=date(2025, 3, 5))
        first = issue_supervision(s, case_id, "黄", "请三日内回告", date(2025, 3, 8), ACTOR, issued_on=date(2025, 3, 5))
        second = issue_supervision(s, case_id, "红", "挂牌督办", date(2025, 3, 10), ACTOR, "李主任", date(2025, 3, 7))
        reply_supervision(s, first.id, "已召开联合调解会，达成初步方案", ACTOR, date(2025, 3, 7))
        orders = list_supervisions(s, case_id=case_id, today=date(2025, 3, 11))
        still_open = list_supervisions(s, open_only=True, today=date(2025, 3, 11))
    assert [o.number for o in orders] == ["督办〔2025〕2号", "督办〔2025〕1号"]
    assert orders[0].issued_by == "李主任" and orders[0].overdue_reply and not orders[1].overdue_reply
    assert [o.id for o in still_open] == [second.id]
