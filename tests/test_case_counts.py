"""The trigger-kept case counter agrees with counting the cases, after every kind of change,
on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from itertools import product

from sqlalchemy import func, select

from models.cases.entities import Case
from models.cases.queries import CaseFilter, count_cases, filter_conditions
from models.cases.service import register_case
from models.db import Database
from tests.support.factories import ACTOR, committee, draft


def _scanned(db: Database, flt: CaseFilter) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Case).where(*filter_conditions(s, flt))) or 0)


def _assert_counter_agrees(db: Database, committees: list[int]) -> None:
    filters = [
        CaseFilter(stage=stage, committee_id=cid, dispute_type_code=code, risk_colour=colour)
        for stage, cid, code, colour in product((None, "诊", "调"), (None, *committees), (None, "02", "01", "0"), (None, "红"))
    ]
    with db.read() as s:
        for flt in filters:
            assert count_cases(s, flt) == _scanned(db, flt), flt
    assert count_cases_total(db) == _scanned(db, CaseFilter())


def count_cases_total(db: Database) -> int:
    with db.read() as s:
        return count_cases(s, CaseFilter())


def test_counter_follows_inserts_updates_and_deletes(db: Database) -> None:
    with db.write.begin() as s:
        committees = [committee(s), committee(s, "泰安")]
        refs = [register_case(s, draft(cid, source=src), ACTOR) for cid in committees for src in ("来访", "法院委派")]
        refs += [register_case(s, draft(committees[0], risk_colour="红"), ACTOR)]
    _assert_counter_agrees(db, committees)
    assert count_cases_total(db) == 5
    with db.write.begin() as s:
        moved = s.get_one(Case, refs[0].id)
        moved.stage, moved.risk_colour, moved.dispute_type_code = "调", "红", "0102"
        s.get_one(Case, refs[1].id).desk_id = None
        s.delete(s.get_one(Case, refs[2].id))
    _assert_counter_agrees(db, committees)
    assert count_cases_total(db) == 4


def test_filters_the_counter_cannot_answer_are_counted_on_the_cases(db: Database) -> None:
    with db.write.begin() as s:
        cid = committee(s)
        register_case(s, draft(cid), ACTOR)
    flt = CaseFilter(search="张三")
    assert dataclasses.asdict(flt)["search"]
    with db.read() as s:
        assert count_cases(s, flt) == 1 and count_cases(s, CaseFilter(search="王五")) == 0
