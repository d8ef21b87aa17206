"""The seeded demo is true to its clock: histories dated from the day each case came in, sittings
and visits on plausible days (some sittings today, some visits due), every case past 诊 with its
mediator, and no deadline more than 60 days overdue (the demo has no case meant to be stuck)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from models import clock
from models.cases.agreements import Agreement
from models.cases.entities import Case, StageEvent
from models.cases.followups import followups_due
from models.cases.record_entities import FollowUp, MediationSession
from models.cases.sessions import sessions_on
from models.cases.stages import Stage
from models.db import Database
from models.workflow.supervision import DeadlineFilter, list_deadlines

MOST_OVERDUE_DAYS = 60


def _local_day(at: datetime) -> date:
    return at.astimezone(clock.CHINA).date()


def test_no_deadline_is_more_than_two_months_overdue(demo_db: Database) -> None:
    with demo_db.read() as s:
        overdue = list_deadlines(s, flt=DeadlineFilter(overdue_only=True), limit=10_000)
    too_late = [(d.case_number, d.name, d.days_left) for d in overdue if d.days_left < -MOST_OVERDUE_DAYS]
    assert overdue and not too_late  # overdue work exists (the 督办 list has rows), none forgotten for months


def test_case_histories_run_forward_from_the_day_received(demo_db: Database) -> None:
    today = clock.today()
    with demo_db.read() as s:
        cases = s.scalars(select(Case)).all()
        for case in cases:
            days = [_local_day(e.at) for e in s.scalars(select(StageEvent).where(StageEvent.case_id == case.id)
                                                         .order_by(StageEvent.id))]
            assert days[0] == case.received_date, case.number  # registered the day it came in
            assert days == sorted(days) and days[-1] <= today, case.number
            if case.stage != Stage.DIAGNOSE:
                assert case.mediator_id is not None, case.number
        newest = max(c.received_date for c in cases)
        assert today - timedelta(days=10) <= newest <= today - timedelta(days=2)  # seeded relative to today


def test_sittings_lead_to_each_agreement_and_some_are_booked_for_today(demo_db: Database) -> None:
    today = clock.today()
    with demo_db.read() as s:
        todays = sessions_on(s, today)
        future = s.scalars(select(MediationSession).where(MediationSession.held_on > today)).all()
        held = s.scalars(select(MediationSession).where(MediationSession.result != "")).all()
        assert todays and future and held
        assert all(not r.result for r in future)  # a sitting still to come has no result
        received = dict(s.execute(select(Case.id, Case.received_date)).all())
        assert all(received[m.case_id] <= m.held_on <= today for m in held)
        signed = s.execute(select(Agreement.case_id, Agreement.signed_on)).all()
        sat_on = {(m.case_id, m.held_on) for m in held}
        assert all((case_id, day) in sat_on for case_id, day in signed)  # each agreement was reached at a sitting
        open_cases = s.scalars(select(Case.id).where(Case.stage == Stage.MEDIATE)).all()
        booked = {m.case_id for m in future} | {r.case_id for r in todays}
        assert set(open_cases) <= booked  # every case in mediation has its next sitting booked


def test_visits_are_recorded_and_some_fall_due_recently(demo_db: Database) -> None:
    today = clock.today()
    with demo_db.read() as s:
        visits = s.scalars(select(FollowUp)).all()
        due = followups_due(s, today)
        reopened = s.scalars(select(StageEvent.case_id).where(StageEvent.action == "reopen")).all()
        assert visits and all(v.visited_on <= today for v in visits)
        assert all(len(v.parties) >= 2 for v in visits)  # every party visited, not just the applicant
    assert due and all(d.days_left(today) >= -MOST_OVERDUE_DAYS for d in due)
    assert reopened  # a visit sent a case back to mediation
