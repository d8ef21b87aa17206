"""Shared fixtures: every test database is built by running the migrations (never create_all),
so the tests also prove the migrations work. Qt runs offscreen."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from models import clock
from models.db import Database, open_database
from models.demo.cases import seed_demo
from models.org.reference import ensure_reference_data

#: "Today" for the whole run: every service reads models.clock, so no test depends on the real date
#: (a run that crosses midnight, or lands on a holiday, sees the same calendar as any other).
PINNED_TODAY = date(2026, 11, 23)
clock.pin(PINNED_TODAY)

# The audit trail's keyed hash needs a key outside the database; tests use a fixed one.
os.environ.setdefault("MEDIATION_AUDIT_KEY", "test-audit-key")
# Anchors, keys and drafts of the run go to a private temporary data directory, not the home folder.
os.environ.setdefault("MEDIATION_DATA_DIR", tempfile.mkdtemp(prefix="mediation-test-data-"))

# Set before any module imports Qt (the desktop fixtures below do).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The desktop fixtures (window, dialogs) for every GUI test module.
pytest_plugins = ["tests.support.desktop"]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


PG_ENV = "MEDIATION_TEST_PG_URL"


@contextmanager
def fresh_pg_database(server_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server, dropped afterwards."""
    name = f"md_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest, db_url: str) -> Iterator[str]:
    """The same test on the embedded SQLite file and, when MEDIATION_TEST_PG_URL is set, PostgreSQL."""
    if request.param == "sqlite":
        yield db_url
        return
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"{PG_ENV} not set: no PostgreSQL server to test against")
    with fresh_pg_database(server) as url:
        yield url


@pytest.fixture
def db(any_db_url: str) -> Iterator[Database]:
    """A migrated, empty database with the reference tables seeded (SQLite and PostgreSQL)."""
    database = open_database(any_db_url)
    with database.write.begin() as session:
        ensure_reference_data(session)
    yield database
    database.engine.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database built once per run; tests get their own copy (see demo_db)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(f"sqlite:///{path}")
    with database.write.begin() as session:
        seed_demo(session)
    database.engine.dispose()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    import shutil

    target = tmp_path / "demo.db"
    shutil.copy(demo_template, target)
    database = open_database(f"sqlite:///{target}")
    yield database
    database.engine.dispose()


@pytest.fixture
def open_db() -> Iterator[Callable[[str], Database]]:
    """open_database for tests that open their own; every engine is disposed afterwards."""
    opened: list[Database] = []

    def _open(url: str) -> Database:
        opened.append(open_database(url))
        return opened[-1]

    yield _open
    for database in opened:
        database.engine.dispose()


@pytest.fixture
def fast_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2id parameters so account tests do not spend seconds hashing (same code path)."""
    from argon2 import PasswordHasher

    from models.security import accounts

    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    accounts._DUMMY_HASH.clear()


@pytest.fixture
def demo_url(demo_template: Path, tmp_path: Path) -> str:
    """URL of a private copy of the demo database, for CLI tests."""
    target = tmp_path / "cli.db"
    target.write_bytes(demo_template.read_bytes())
    return f"sqlite:///{target}"


Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run `mediation-desk ARGS…` in-process; returns (exit code, stdout, stderr)."""
    from desktop.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def cli_as(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `mediation-desk ARGS… --user NAME --password-stdin` signed in as a test account of ROLE:
    cli_as(Role.MEDIATOR, "--db", url, "case", "show", number). Further stdin lines: stdin=…"""
    from tests.support.cli_signin import signed_runner

    return signed_runner(capsys)
