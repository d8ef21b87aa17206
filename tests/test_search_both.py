"""One search query set on SQLite (FTS5) and PostgreSQL (GIN tsvector): the same answers.

`test_query_set` runs on both databases (the `db` fixture) against the same hand-written
expectations; `test_databases_agree_on_generated_cases` loads the same generated cases into
both and compares every answer of a few hundred derived queries."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from models.cases.entities import Case, Party
from models.cases.queries import CaseFilter, count_cases, list_cases
from models.cases.search import index_case, pinyin_tokens
from models.cases.service import register_case
from models.db import Database
from models.demo import fakedata
from models.dto import CaseDraft, PartyInput
from models.org.reference import ensure_reference_data
from tests.conftest import PG_ENV, fresh_pg_database
from tests.support.factories import ACTOR, committee

PEOPLE = {
    "A": (("张三", "13812345678", "11010519491231002X"), ("李四", "0937-1234567", None)),
    "B": (("李四", "13900001111", None), ("欧阳娜娜", "15011112222", "620902198802150021")),
    "C": (("张小三", "13712349999", None), ("单田芳", None, None)),
    "D": (("王五", "18655556666", None), ("Tom Smith", None, None)),
}

QUERIES = {
    "张": "AC", "三": "AC", "张三": "A", "李四": "AB", "欧阳": "B", "欧阳娜娜": "B", "阳娜": "B",
    "三李": "",  # never across two parties
    "四欧": "",
    "5678": "A", "1234567": "A", "0937-1234567": "A", "9999": "C", "567": "",  # grams need 4
    "1231002x": "A", "19880215": "B", "１３８１２": "A", "张　三": "A",  # full-width digits, ideographic space
    "%": "", "_": "", "%%": "", "*": "", '"': "", "'": "", "张_三": "A", "张%": "AC",  # metacharacters are literal
    "zs": "A", "ZS": "A", "ｚｓ": "A", "zhangsan": "A", "zhang san": "A", "zxs": "C", "ls": "AB", "oyn": "B",
    "shan": "C", "dan": "C", "chan": "C", "dtf": "C", "stf": "C",  # every reading of 单
    "tom": "D", "smith": "D", "TOMSMITH": "D", "王": "D", "赵": "",
}


def _register(db: Database) -> dict[str, str]:
    numbers: dict[str, str] = {}
    with db.write.begin() as s:
        cid = committee(s)
        for label, people in PEOPLE.items():
            parties = tuple(
                PartyInput(side="申请方" if i == 0 else "被申请方", name=name, phone=phone, id_number=ident)
                for i, (name, phone, ident) in enumerate(people)
            )
            draft = CaseDraft(committee_id=cid, source_channel="来访", dispute_type_code="02", summary="测试",
                              received_date=date(2025, 3, 5), parties=parties)
            numbers[label] = register_case(s, draft, ACTOR).number
    return numbers


def _found(db: Database, query: str) -> set[str]:
    with db.read() as s:
        rows = list_cases(s, CaseFilter(search=query), limit=1000).rows
        assert count_cases(s, CaseFilter(search=query)) == len(rows)
        return {r.number for r in rows}


def _listed(db: Database, query: str) -> list[str]:
    with db.read() as s:
        return [r.number for r in list_cases(s, CaseFilter(search=query), limit=1000).rows]


def test_query_set(db: Database) -> None:
    numbers = _register(db)
    label_of = {n: label for label, n in numbers.items()}
    for query, expected in QUERIES.items():
        found = "".join(sorted(label_of[n] for n in _found(db, query)))
        assert found == expected, f"{query!r} found {found!r}, expected {expected!r}"
    assert _found(db, numbers["C"]) == {numbers["C"]}
    assert _found(db, numbers["C"][-6:]) == {numbers["C"]}  # a case-number fragment


def test_index_follows_party_changes(db: Database) -> None:
    numbers = _register(db)
    with db.write.begin() as s:
        case = s.scalar(select(Case).where(Case.number == numbers["D"]))
        assert case is not None
        party = s.scalar(select(Party).where(Party.case_id == case.id, Party.name == "王五"))
        assert party is not None
        party.name = "赵六"
        s.flush()
        index_case(s, case)
    assert _found(db, "王五") == set() and _found(db, "赵六") == {numbers["D"]}
    assert _found(db, "zl") == {numbers["D"]} and _found(db, "ww") == set()


def test_pinyin_tokens_cover_every_reading() -> None:
    assert {"dan", "shan", "chan", "d", "s", "c"} <= pinyin_tokens("单")
    assert {"zhangsan", "zs", "zhang", "san"} <= pinyin_tokens("张三")
    assert {"ouyang", "oy", "ouyangnana", "oynn"} <= pinyin_tokens("欧阳娜娜")
    assert pinyin_tokens("Tom") == set()


def _generated_cases(db: Database, seed: int = 7, count: int = 80) -> None:
    rng = random.Random(seed)
    with db.write.begin() as s:
        ensure_reference_data(s)
        cid = committee(s)
        for _ in range(count):
            people = [fakedata.person(rng) for _ in range(rng.choice((2, 3)))]
            parties = tuple(
                PartyInput(side="申请方" if i == 0 else "被申请方", name=str(p["name"]), phone=str(p["phone"]),
                           id_number=str(p["id_number"]))
                for i, p in enumerate(people)
            )
            draft = CaseDraft(committee_id=cid, source_channel="来访", dispute_type_code="02", summary="测试",
                              received_date=date(2025, 1, 1), parties=parties)
            register_case(s, draft, ACTOR)


def _derived_queries(db: Database) -> list[str]:
    rng = random.Random(3)
    queries: set[str] = set()
    with db.read() as s:
        for number, name, phone, ident in s.execute(
            select(Case.number, Party.name, Party.phone, Party.id_number).join(Party).order_by(Party.id)
        ):
            queries |= {name[0], name, name[-2:], phone[-4:], ident[6:14], number[-5:], number[-3:]}
            queries |= set(rng.sample(sorted(pinyin_tokens(name)), 2))
    return rng.sample(sorted(queries), 300)


@pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set: no PostgreSQL server to compare with")
def test_databases_agree_on_generated_cases(open_db: Callable[[str], Database], tmp_path: Path) -> None:
    sqlite = open_db(f"sqlite:///{tmp_path / 'compare.db'}")
    with fresh_pg_database(os.environ[PG_ENV]) as url:
        postgres = open_db(url)
        for database in (sqlite, postgres):
            _generated_cases(database)
        queries = _derived_queries(sqlite)
        for query in queries:
            assert _listed(sqlite, query) == _listed(postgres, query), query
        postgres.engine.dispose()


def test_deleting_a_case_removes_its_search_row(db: Database) -> None:
    numbers = _register(db)
    with db.write.begin() as s:
        s.delete(s.scalar(select(Case).where(Case.number == numbers["A"])))
    with db.read() as s:
        assert count_cases(s, CaseFilter(search="张三")) == 0 and count_cases(s, CaseFilter(search="张")) == 1
