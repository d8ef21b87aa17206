"""Concurrent desks never get the same case number and never skip one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from models.cases.entities import Case
from models.db import Database
from tests.support.factories import committee

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # hundreds of committed registrations from several processes


def run_writers(url: str, committee_id: int, processes: int, each: int) -> None:
    workers = [
        subprocess.Popen([sys.executable, "-m", "tests.support.concurrent_writer", url, str(committee_id), str(each)], cwd=ROOT)
        for _ in range(processes)
    ]
    assert [w.wait(timeout=600) for w in workers] == [0] * processes


def assert_gapless(db: Database, committee_id: int, expected: int) -> None:
    with db.read() as s:
        seqs = sorted(s.scalars(select(Case.seq).where(Case.committee_id == committee_id)))
        numbers = list(s.scalars(select(Case.number).where(Case.committee_id == committee_id)))
    assert seqs == list(range(1, expected + 1))
    assert len(set(numbers)) == expected


def test_two_processes_500_cases_each_on_one_database(db: Database, any_db_url: str) -> None:
    with db.write.begin() as s:
        cid = committee(s)
    run_writers(any_db_url, cid, processes=2, each=500)
    assert_gapless(db, cid, 1000)


def test_twenty_processes_on_postgresql(db: Database, any_db_url: str) -> None:
    if db.is_sqlite:
        pytest.skip("PostgreSQL only: SQLite is covered by the two-process test")
    with db.write.begin() as s:
        cid = committee(s)
    run_writers(any_db_url, cid, processes=20, each=25)
    assert_gapless(db, cid, 500)
