"""Case-list query paths of the app on SQLite and PostgreSQL side by side, with the SQL each sent.

Each app call (`list_cases` / `count_cases`, exactly what the GUI and CLI run) is timed best of
N on both databases holding the same cases (bench/generate_cases.py, then
bench/load_postgres.py), and the statements each database received are printed after the table.
Also times registering a case with two parties. Keep runs short: the machine is shared.
Usage: python bench/bench_queries.py FILE.db|- [POSTGRES_URL] [--repeat N] [--no-sql]"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from models import clock
from models.cases.queries import CaseFilter, Jumps, count_cases, list_cases
from models.cases.service import register_case
from models.db import Database, open_database
from models.dto import Actor, CaseDraft, PartyInput
from models.org.entities import Committee

Path = tuple[str, Callable[[Session], Any]]


def best(fn: Callable[[], Any], repeat: int) -> float:
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
        if not statement.startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
            self.statements.append((statement, parameters))

    def take(self, fn: Callable[[], Any]) -> list[tuple[str, Any]]:
        self.statements = []
        fn()
        return list(self.statements)


def paths(session: Session) -> list[Path]:
    """The measured paths; names and cursors are taken from the data itself."""
    first = list_cases(session)
    jumps, stage_jumps = Jumps(CaseFilter()), Jumps(CaseFilter(stage="调"))
    deep = jumps.page(session, 500_000)
    name = next(n for r in first.rows for n in r.parties.replace(" 与 ", "、").split("、") if len(n) == 3)
    from pypinyin import lazy_pinyin

    full = "".join(lazy_pinyin(name))
    initials = "".join(p[0] for p in lazy_pinyin(name))
    page: Callable[..., Callable[[Session], Any]] = lambda **kw: lambda s: list_cases(s, **kw)  # noqa: E731
    count: Callable[..., Callable[[Session], Any]] = lambda **kw: lambda s: count_cases(s, CaseFilter(**kw))  # noqa: E731
    return [
        ("first page (100 rows)", page()),
        ("next page by keyset", page(after=first.next_cursor)),
        ("jump to row 500,000, first jump (OFFSET)", lambda s: Jumps(CaseFilter()).page(s, 500_000)),
        ("bookmark pass (once a list, 2nd deep jump)", lambda s: Jumps(CaseFilter()).bookmarks(s)),
        ("jump to row 500,000, later jumps", lambda s: jumps.page(s, 500_000)),
        ("jump to row 731,234", lambda s: jumps.page(s, 731_234)),
        ("filter stage=调, jump to row 60,000", lambda s: stage_jumps.page(s, 60_000)),
        ("(old way) OFFSET 500,000", page(offset=500_000)),
        ("page after row 500,000 by keyset", page(after=deep.next_cursor)),
        ("count all", count()),
        ("filter stage=调, first page", page(flt=CaseFilter(stage="调"))),
        ("filter stage=调, count", count(stage="调")),
        ("filter type=01 (婚姻家庭), first page", page(flt=CaseFilter(dispute_type_code="01"))),
        ("filter desk, first page", page(flt=CaseFilter(desk_id=3))),
        (f"1-char name '{name[0]}', first page", page(flt=CaseFilter(search=name[0]))),
        (f"1-char name '{name[0]}', count", count(search=name[0])),
        (f"2-char name '{name[:2]}', first page", page(flt=CaseFilter(search=name[:2]))),
        (f"2-char name '{name[:2]}', count", count(search=name[:2])),
        (f"3-char name '{name}', first page", page(flt=CaseFilter(search=name))),
        ("4-char name '欧阳娜娜', first page", page(flt=CaseFilter(search="欧阳娜娜"))),
        ("phone tail '5678', first page", page(flt=CaseFilter(search="5678"))),
        ("phone tail '5678', count", count(search="5678")),
        ("ID fragment '19880215', first page", page(flt=CaseFilter(search="19880215"))),
        (f"pinyin '{full}', first page", page(flt=CaseFilter(search=full))),
        (f"pinyin '{full}', count", count(search=full)),
        (f"initials '{initials}', first page", page(flt=CaseFilter(search=initials))),
        (f"initials '{initials}', count", count(search=initials)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sqlite_file")
    parser.add_argument("postgres_url", nargs="?")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-sql", action="store_true")
    args = parser.parse_args()
    databases = {}
    if args.sqlite_file != "-":  # "-": PostgreSQL only
        databases["SQLite"] = open_database(f"sqlite:///{args.sqlite_file}")
    if args.postgres_url:
        databases["PostgreSQL"] = open_database(args.postgres_url)
    sessions = {label: db.read() for label, db in databases.items()}
    captures = {label: Capture(db) for label, db in databases.items()}
    measured = {label: paths(session) for label, session in sessions.items()}
    labels = list(databases)
    print(f"{'path':44}" + "".join(f"{label + ' ms':>15}" for label in labels) + ("   ratio" if len(labels) > 1 else ""))
    sql: list[str] = []
    for i, (title, _) in enumerate(measured[labels[0]]):
        times = []
        for label in labels:
            fn = measured[label][i][1]
            session = sessions[label]
            times.append(best(partial(fn, session), args.repeat))
            statements = captures[label].take(partial(fn, session))
            sql.extend(f"  [{label}] {_short(s)} -- {_short(repr(p))}" for s, p in statements)
        ratio = f"{times[1] / max(times[0], 1e-9):8.2f}" if len(times) > 1 else ""
        print(f"{title:44}" + "".join(f"{t * 1000:15.2f}" for t in times) + ratio, flush=True)
        sql.append("")
    for label, db in databases.items():
        print(f"register a case with two parties, {label}: {bench_register(db, args.repeat) * 1000:.1f} ms (incl. commit)")
    if not args.no_sql:
        print("\nSQL sent, path by path:")
        print("\n".join(sql))
    for session in sessions.values():
        session.close()


def _short(value: str, limit: int = 400) -> str:
    """One line; the long IN (…) lists of a page's ids are cut."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[:limit] + " …"


def bench_register(db: Database, repeat: int) -> float:
    with db.read() as s:
        committee_id = s.scalar(select(Committee.id))
    assert committee_id is not None, "the database has no committee: load the demo first"
    parties = (PartyInput(side="申请方", name="赵一", phone="13900001111"), PartyInput(side="被申请方", name="钱二"))
    draft = CaseDraft(committee_id=committee_id, source_channel="来访", dispute_type_code="02",
                      summary="基准测试登记", received_date=clock.today(), parties=parties)

    def register() -> None:
        with db.write.begin() as s:
            register_case(s, draft, Actor())

    return best(register, repeat)


if __name__ == "__main__":
    main()
