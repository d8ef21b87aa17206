"""Case-list query paths of the app beside the same SQL run directly by sqlite3 on the same file.

Each app call is timed (best of N), the statements it sent are captured and replayed through a
plain sqlite3 connection, and the ratio app/raw is printed. Also times registering a case with
two parties. Usage: python bench/bench_queries.py bench/out/cases-1m.db"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import event, select

from models import clock
from models.cases.queries import CaseFilter, count_cases, list_cases
from models.cases.service import register_case
from models.db import Database, open_database
from models.dto import Actor, CaseDraft, PartyInput
from models.org.entities import Committee

REPEAT = 5


def best(fn: Callable[[], Any], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


class Capture:
    """Records the SQL statements (with parameters) an app call sends."""

    def __init__(self, db: Database) -> None:
        self.statements: list[tuple[str, Any]] = []
        event.listen(db.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.startswith(("BEGIN", "PRAGMA")):
            self.statements.append((statement, parameters))

    def take(self, fn: Callable[[], Any]) -> list[tuple[str, Any]]:
        self.statements = []
        fn()
        return list(self.statements)


def replay(raw: sqlite3.Connection, statements: list[tuple[str, Any]]) -> None:
    for sql, params in statements:
        raw.execute(sql, params).fetchall()


def main(path: str) -> None:
    db = open_database(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    capture = Capture(db)
    session = db.read()
    first = list_cases(session)
    deep = list_cases(session, offset=500_000)
    name = first.rows[0].parties.split("、")[0].split(" ")[0]
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("first page (100 rows)", lambda: list_cases(session)),
        ("next page by keyset", lambda: list_cases(session, after=first.next_cursor)),
        ("page at row 500,000 by keyset", lambda: list_cases(session, after=deep.next_cursor)),
        ("jump to row 500,000 by offset", lambda: list_cases(session, offset=500_000)),
        ("count all", lambda: count_cases(session, CaseFilter())),
        ("filter stage=调, first page", lambda: list_cases(session, CaseFilter(stage="调"))),
        ("filter stage=调, count", lambda: count_cases(session, CaseFilter(stage="调"))),
        ("filter type=10 (劳动), first page", lambda: list_cases(session, CaseFilter(dispute_type_code="10"))),
        ("filter desk, first page", lambda: list_cases(session, CaseFilter(desk_id=3))),
        (f"search 1-char '{name[0]}', first page", lambda: list_cases(session, CaseFilter(search=name[0]))),
        (f"search 1-char '{name[0]}', count", lambda: count_cases(session, CaseFilter(search=name[0]))),
        (f"search name '{name}', first page", lambda: list_cases(session, CaseFilter(search=name))),
        (f"search name '{name}', count", lambda: count_cases(session, CaseFilter(search=name))),
        ("search phone tail '5678', first page", lambda: list_cases(session, CaseFilter(search="5678"))),
    ]
    print(f"{'query':42} {'app ms':>9} {'raw ms':>9} {'ratio':>6}")
    for label, fn in cases:
        app = best(fn)
        statements = capture.take(fn)
        direct = best(partial(replay, raw, statements))
        print(f"{label:42} {app * 1000:9.2f} {direct * 1000:9.2f} {app / max(direct, 1e-9):6.2f}")
    session.close()
    print(f"register a case with two parties: {bench_register(db) * 1000:.1f} ms (best of {REPEAT}, incl. commit)")


def bench_register(db: Database) -> float:
    with db.read() as s:
        committee_id = s.scalar(select(Committee.id))
    assert committee_id is not None, "the database has no committee: load the demo first"
    parties = (PartyInput(side="申请方", name="赵一", phone="13900001111"), PartyInput(side="被申请方", name="钱二"))
    draft = CaseDraft(committee_id=committee_id, source_channel="来访", dispute_type_code="02",
                      summary="基准测试登记", received_date=clock.today(), parties=parties)

    def register() -> None:
        with db.write.begin() as s:
            register_case(s, draft, Actor())

    return best(register)


if __name__ == "__main__":
    main(sys.argv[1])
