"""Generate a realistic 1,000,000-case SQLite database for the benchmarks.

The schema comes from the migrations and the organisation from the demo seed, so the file is
one the app opens as-is. Rows are bulk-loaded through sqlite3 (the generator is not what we
measure). Usage: python bench/generate_cases.py OUT.db [--cases N]"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from models.cases.catalog import DISPUTE_TYPES, SOURCE_CHANNELS
from models.cases.search import rebuild_index
from models.cases.stages import Stage
from models.db import open_database
from models.demo import fakedata
from models.demo.cases import SUMMARIES, seed_demo, set_demo_passwords

STAGES = tuple(Stage)
STAGE_WEIGHTS = (8, 12, 3, 4, 30, 43)
BATCH = 20_000
Row = tuple[Any, ...]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()
    args.out.unlink(missing_ok=True)
    db = open_database(f"sqlite:///{args.out}")
    with db.write.begin() as session:
        seed_demo(session, cases=0)
        set_demo_passwords(session)  # so bench_startup can sign in as tj00
    db.engine.dispose()
    started = time.perf_counter()
    load(args.out, args.cases)
    with db.engine.begin() as conn:  # the search index, through the app's own bulk path
        rebuild_index(conn)
    db.engine.dispose()
    print(f"{args.cases:,} cases in {time.perf_counter() - started:.1f} s; {args.out.stat().st_size / 1e6:.0f} MB")


def load(path: Path, total: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    refs = _reference_ids(conn)
    rng = random.Random(1)
    conn.execute("BEGIN")
    for start in range(0, total, BATCH):
        cases: list[Row] = []
        parties: list[Row] = []
        events: list[Row] = []
        for case_id in range(start + 1, min(total, start + BATCH) + 1):
            _one_case(rng, refs, case_id, cases, parties, events)
        _insert(conn, cases, parties, events)
    conn.execute(
        "INSERT OR REPLACE INTO number_sequences(committee_id, year, kind, last_value) "
        "SELECT committee_id, year, '案件', max(seq) FROM cases GROUP BY committee_id, year"
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def _reference_ids(conn: sqlite3.Connection) -> dict[str, Any]:
    return {
        "committees": [r for r in conn.execute("SELECT id, code FROM committees")],
        "desks": [r[0] for r in conn.execute("SELECT id FROM desks")],
        "grids": [r[0] for r in conn.execute("SELECT id FROM org_units WHERE level='网格'")],
        "users": [r[0] for r in conn.execute("SELECT id FROM users WHERE role='调解员'")],
        "types": [code for code, _, _ in DISPUTE_TYPES],
        "seq": {},  # (committee, year) -> last seq
    }


def _one_case(rng: random.Random, refs: dict, case_id: int, cases: list, parties: list, events: list) -> None:
    committee_id, code = rng.choice(refs["committees"])
    received = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 3240))
    key = (committee_id, received.year)
    seq = refs["seq"][key] = refs["seq"].get(key, 0) + 1
    number = f"{code}人调字〔{received.year}〕{seq}号"
    stage = rng.choices(STAGES, STAGE_WEIGHTS)[0]
    type_code = rng.choice(refs["types"])
    at = f"{received.isoformat()} 09:00:00.000000"  # how SQLAlchemy stores UTC on SQLite
    user = rng.choice(refs["users"])
    cases.append((
        case_id, number, committee_id, received.year, seq, rng.choice(refs["desks"]), rng.choice(refs["grids"]),
        rng.choice(SOURCE_CHANNELS), type_code, rng.choice(("红", "黄", "蓝", None)), "一般",
        rng.randrange(0, 200_000), 2, 0, SUMMARIES.get(type_code, "双方因经济往来发生纠纷"), "", "", stage,
        received.isoformat(), at, user, user, user, 1,
    ))
    people: list[dict[str, Any]] = [fakedata.person(rng) for _ in range(rng.choice((2, 2, 2, 3)))]
    for ordinal, p in enumerate(people):
        side = "申请方" if ordinal == 0 else "被申请方"
        parties.append((case_id, side, ordinal, "自然人", p["name"], p["sex"], p["ethnicity"], p["birth_date"].isoformat(),
                        p["phone"], "居民身份证", p["id_number"], 1))
    events.append((case_id, "register", None, stage, at, user, ""))


def _insert(conn: sqlite3.Connection, cases: list, parties: list, events: list) -> None:
    conn.executemany(
        "INSERT INTO cases(id, number, committee_id, year, seq, desk_id, org_unit_id, source_channel, dispute_type_code,"
        " risk_colour, complexity, amount, people_involved, mass_incident, summary, facts, claims, stage, received_date,"
        " registered_at, mediator_id, first_handler_id, registered_by_id, version)"
        " VALUES (" + ",".join("?" * 24) + ")", cases)
    conn.executemany(
        "INSERT INTO parties(case_id, side, ordinal, kind, name, sex, ethnicity, birth_date, phone, id_type, id_number,"
        " version) VALUES (" + ",".join("?" * 12) + ")", parties)
    conn.executemany(
        "INSERT INTO stage_events(case_id, action, from_stage, to_stage, at, user_id, reason) VALUES (?,?,?,?,?,?,?)",
        events)


if __name__ == "__main__":
    main()
