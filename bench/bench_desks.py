"""20 desks on one PostgreSQL server, each a separate process signed in as its own user, acting at
a person's pace (an action every 2–5 s: register, edit, move, render, export) for a few minutes.

Reports p50/p95/max save time per action, duplicate or skipped case numbers, lost updates (an edit
reported saved whose value is not the one stored) and whether the audit chain verifies.

    .venv/bin/python bench/bench_desks.py --server postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        [--desks 20] [--seconds 300]

It creates a fresh database, and drops it at the end. Traffic goes only to the given local server."""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import random
import re
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

PASSWORD = "Bench#desk-2026-pass"


def prepare(url: str, desks: int) -> int:
    from models.db import open_database
    from models.dto import Actor
    from models.org.entities import Role
    from models.org.reference import ensure_reference_data
    from models.security.accounts import Credential, add_user
    from tests.support.factories import committee

    db = open_database(url)
    with db.write.begin() as s:
        ensure_reference_data(s)
        committee_id = committee(s)
        for i in range(desks):
            user_id = add_user(s, Actor(), f"desk{i:02d}", f"调解员{i:02d}", Role.MEDIATOR, PASSWORD)
            s.get_one(Credential, user_id).must_change = False
    db.engine.dispose()
    return committee_id


def desk(index: int, url: str, committee_id: int, seconds: float, out: mp.Queue,
         actions: tuple[str, ...]) -> None:
    from models.cases.editing import save_case_edits
    from models.cases.entities import Case
    from models.cases.service import advance_stage, register_case
    from models.db import open_database
    from models.documents.service import LedgerFilter, issue, ledger_context, render_ledger
    from models.security.accounts import login
    from tests.support.factories import draft

    rng = random.Random(index)
    db = open_database(url, upgrade=False)
    actor = login(db.write, f"desk{index:02d}", PASSWORD).actor()
    mine: list[int] = []
    timings: list[tuple[str, float]] = []
    edits: list[tuple[int, str]] = []
    errors: Counter[str] = Counter()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(rng.uniform(2, 5))
        action = "register" if len(mine) < 2 else rng.choice(actions)
        started = time.perf_counter()
        try:
            if action == "register":
                with db.write.begin() as s:
                    mine.append(register_case(s, draft(committee_id), actor).id)
            elif action == "edit":
                case_id = rng.choice(mine)
                summary = f"桌面{index}第{len(edits)}次修改"
                with db.write.begin() as s:
                    version = s.get_one(Case, case_id).version
                    save_case_edits(s, case_id, version, {"summary": summary}, actor)
                edits.append((case_id, summary))
            elif action == "move":
                with db.write.begin() as s:
                    advance_stage(s, mine.pop(0), "refer_mediation", actor, mediator_id=actor.user_id)
            elif action == "render":
                with db.write.begin() as s:
                    issue(s, "intake-form", rng.choice(mine), "pdf", actor)
            else:
                with db.read() as s:
                    render_ledger(ledger_context(s, LedgerFilter(), f"desk{index}"), "pdf")
        except Exception as exc:
            errors[f"{action}: {type(exc).__name__}: {str(exc)[:80]}"] += 1
            continue
        timings.append((action, (time.perf_counter() - started) * 1000))
    db.engine.dispose()
    out.put((timings, edits, dict(errors)))


def check(url: str, edits: list[tuple[int, str]]) -> dict[str, object]:
    from models.cases.entities import Case
    from models.db import open_database
    from models.security.audit import verify_chain

    db = open_database(url, upgrade=False)
    with db.read() as s:
        numbers = list(s.scalars(select(Case.number)))
        last_edit = {case_id: summary for case_id, summary in edits}
        stored = {c.id: c.summary for c in s.scalars(select(Case).where(Case.id.in_(last_edit)))}
        chain = verify_chain(s)
    db.engine.dispose()
    serials = sorted(int(m.group(1)) for n in numbers if (m := re.search(r"(\d+)号?$", n)))
    duplicates = len(numbers) - len(set(numbers))
    skipped = (serials[-1] - serials[0] + 1 - len(set(serials))) if serials else 0
    lost = sum(1 for case_id, summary in last_edit.items() if stored.get(case_id) != summary)
    return {"cases": len(numbers), "duplicates": duplicates, "skipped": skipped, "lost_updates": lost,
            "chain_ok": chain.ok, "chain_rows": chain.checked}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True, help="PostgreSQL server URL (a local one)")
    parser.add_argument("--desks", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--actions", default="register,edit,move,render,export",
                        help="comma-separated subset, to tell which action slows the others")
    args = parser.parse_args()
    name = f"md_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(args.server).set(database=name).render_as_string(hide_password=False)
    try:
        committee_id = prepare(url, args.desks)
        queue: mp.Queue = mp.Queue()
        procs = [mp.Process(target=desk, args=(i, url, committee_id, args.seconds, queue,
                                                   tuple(args.actions.split(",")))) for i in range(args.desks)]
        for p in procs:
            p.start()
        results = [queue.get(timeout=args.seconds + 600) for _ in procs]
        for p in procs:
            p.join()
        timings = [t for r in results for t in r[0]]
        edits = [e for r in results for e in r[1]]
        errors: Counter[str] = Counter()
        for r in results:
            errors.update(r[2])
        print(f"{args.desks} desks × {args.seconds:.0f} s, {len(timings)} actions")
        for action in ("register", "edit", "move", "render", "export"):
            ms = sorted(t for a, t in timings if a == action)
            if ms:
                p95 = ms[math.ceil(len(ms) * 0.95) - 1]
                print(f"  {action:8s} n={len(ms):4d}  p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  max {ms[-1]:7.1f} ms")
        saves = sorted(t for a, t in timings if a in ("register", "edit", "move"))
        if saves:
            print(f"  saves (register+edit+move) p95 {saves[math.ceil(len(saves) * 0.95) - 1]:.1f} ms")
        print("  checks:", check(url, edits))
        print("  errors:", dict(errors) or "none")
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
