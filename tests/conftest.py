"""Shared fixtures: every test database is built by running the migrations (never create_all),
so the tests also prove the migrations work. Qt runs offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from models.db import Database, open_database  # noqa: E402
from models.demo import seed_demo  # noqa: E402
from models.reference import ensure_reference_data  # noqa: E402


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A migrated, empty database with the reference tables seeded."""
    database = open_database(db_url)
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
