"""Migrations and models agree; upgrades back up the SQLite file first; SQLite pragmas are set."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from models.db import alembic_config, current_revisions, head_revisions, make_engine, open_database, upgrade_database
from models.errors import DatabaseUnavailable
from models.schema import is_managed_table, metadata


def _include(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name and not is_managed_table(name))


def test_autogenerate_finds_no_difference(any_db_url: str, open_db) -> None:
    db = open_db(any_db_url)
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _include})
        assert compare_metadata(context, metadata) == []


def test_sqlite_connection_settings(db_url: str, open_db) -> None:
    db = open_db(db_url)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_fast_revision_reading_agrees_with_alembic(db_url: str, open_db) -> None:
    db = open_db(db_url)
    assert head_revisions() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())
    with db.engine.connect() as conn:
        assert current_revisions(db.engine) == frozenset(MigrationContext.configure(conn).get_current_heads())


def test_upgrade_is_idempotent_and_at_head(any_db_url: str, open_db) -> None:
    db = open_db(any_db_url)
    assert current_revisions(db.engine) == head_revisions()
    assert upgrade_database(db.engine) is None


def test_downgrade_to_base_and_up_again(db_url: str, open_db) -> None:
    db = open_db(db_url)
    cfg = alembic_config(db.engine)
    command.downgrade(cfg, "base")
    with db.engine.connect() as conn:
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert names <= {"alembic_version"}
    upgrade_database(db.engine)
    assert current_revisions(db.engine) == head_revisions()


def test_existing_file_is_backed_up_before_upgrade(tmp_path: Path) -> None:
    revisions = [r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()]
    if len(revisions) < 2:
        pytest.skip("only the baseline migration exists: nothing to upgrade from yet")
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    cfg = alembic_config(engine)
    command.upgrade(cfg, revisions[-1])  # oldest
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO desks(name, category, sort_order, active, version) VALUES ('旧窗口','窗口',0,1,1)"))
    backup = upgrade_database(engine)
    assert backup is not None and backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT name FROM desks").fetchall() == [("旧窗口",)]


def test_corrupt_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseUnavailable, match="损坏"):
        open_database(f"sqlite:///{path}")


@pytest.mark.parametrize("url", ["nonsense", "foo://x/y", "postgresql+nodriver://h/db"])
def test_invalid_url_gives_a_clear_error(url: str) -> None:
    with pytest.raises(DatabaseUnavailable, match="数据库地址无效"):
        open_database(url)
