"""Issue 9, a restore that refuses strangers and an audit trail an insider cannot quietly rewrite:
application id, known schema revision, integrity and a verifying chain before anything is copied;
backups 0600 in rollback-journal mode, restorable from read-only media; automatic anchors catch the
trigger-drop-and-rebuild attack; missing guards stop writes. Each failed on main before this work."""

from __future__ import annotations

import io
import json
import sqlite3
import stat
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from models.cases.entities import Case
from models.db import Database, open_database
from models.dto import Actor
from models.errors import DatabaseUnavailable
from models.org.entities import Role
from models.security.audit import GENESIS_HASH, AuditEntry, row_digest
from models.security.backup import BackupRefused, backup_database, restore_database
from tests.conftest import Cli
from tests.support.documents import db_url
from tests.support.security import PASSWORD, audit_guards_off, make_users


def _counts(db: Database) -> tuple[int, int]:
    with db.read() as s:
        return (s.scalar(select(func.count()).select_from(Case)) or 0,
                s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _assert_refused_and_nothing_changed(db: Database, source: Path, message: str) -> None:
    sysadmin = make_users_once(db)
    before = _counts(db)
    folder = Path(db.engine.url.database or "").parent
    with pytest.raises(BackupRefused, match=message):
        restore_database(db, source, sysadmin)
    assert _counts(db) == before
    assert not list(folder.glob("*.pre-restore-*"))


_ACTORS: dict[str, Actor] = {}


def make_users_once(db: Database) -> Actor:
    key = str(db.engine.url)
    if key not in _ACTORS:
        _ACTORS[key] = make_users(db)[Role.SYSTEM_ADMIN]
    return _ACTORS[key]


def test_restore_refuses_a_shaped_empty_file(demo_db: Database, tmp_path: Path) -> None:
    shaped = tmp_path / "shaped.db"
    with sqlite3.connect(shaped) as conn:
        for table in ("alembic_version (version_num TEXT)", "audit_log (seq INTEGER)", "cases (id INTEGER)"):
            conn.execute(f"CREATE TABLE {table}")
    _assert_refused_and_nothing_changed(demo_db, shaped, "不是调解工作台的数据库")


def test_restore_refuses_another_applications_database(demo_db: Database, tmp_path: Path) -> None:
    other = _backup_via(demo_db, tmp_path / "other.db")
    with sqlite3.connect(other) as conn:
        conn.execute("PRAGMA application_id = 1234")
    _assert_refused_and_nothing_changed(demo_db, other, "不是调解工作台的数据库")


def test_restore_and_open_refuse_a_newer_schema(demo_db: Database, tmp_path: Path) -> None:
    newer = _backup_via(demo_db, tmp_path / "newer.db")
    with sqlite3.connect(newer) as conn:
        conn.execute("DELETE FROM alembic_version")
        conn.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    _assert_refused_and_nothing_changed(demo_db, newer, "比本程序新")
    with pytest.raises(DatabaseUnavailable, match="比本程序新"):
        open_database(f"sqlite:///{newer}")
    assert not list(tmp_path.glob("newer.pre-upgrade-*"))  # refused before any copy


def test_restore_refuses_a_backup_without_audit_rows(demo_db: Database, tmp_path: Path) -> None:
    emptied = _backup_via(demo_db, tmp_path / "emptied.db")
    with sqlite3.connect(emptied) as conn:
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute("DELETE FROM audit_log")
    _assert_refused_and_nothing_changed(demo_db, emptied, "没有任何审计记录")


def test_backup_is_private_rollback_journal_and_restores_from_read_only_media(demo_db: Database,
                                                                            tmp_path: Path) -> None:
    media = tmp_path / "usb"
    backup = _backup_via(demo_db, media / "b.db")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert backup.read_bytes()[18:20] == b"\x01\x01"  # file format 1/1: rollback journal, not WAL
    backup.chmod(0o400)
    media.chmod(0o500)
    try:
        with demo_db.read() as s:
            replaced = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        restore_database(demo_db, backup, make_users_once(demo_db))
    finally:
        media.chmod(0o700)
    assert sorted(p.name for p in media.iterdir()) == ["b.db"]  # nothing written beside it
    with demo_db.read() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    detail = json.loads(last.detail)
    assert last.action == "restore" and detail["replaced_head"] == replaced.row_hash


def test_failed_backup_is_not_audited_and_leaves_no_partial(demo_db: Database, tmp_path: Path) -> None:
    sysadmin = make_users_once(demo_db)
    (tmp_path / "not-a-folder").write_text("x")  # the tests run as root: a file blocks even root
    with pytest.raises(BackupRefused, match="无法写入备份文件"):
        backup_database(demo_db, tmp_path / "not-a-folder" / "b.db", sysadmin)
    assert not list(tmp_path.glob("**/*.partial"))
    with demo_db.read() as s:
        assert not s.scalars(select(AuditEntry).where(AuditEntry.action == "backup")).all()


def _rebuild_chain_without(session: Session, victim: int) -> None:
    """What an insider who read the code does: delete one row and recompute every later hash."""
    rows = [dict(r._mapping) for r in session.execute(select(AuditEntry.__table__).where(AuditEntry.seq > victim)
                                                       .order_by(AuditEntry.seq))]
    session.execute(text("DELETE FROM audit_log WHERE seq >= :v"), {"v": victim})
    prev = session.scalar(select(AuditEntry.row_hash).where(AuditEntry.seq == victim - 1)) or GENESIS_HASH
    for row in rows:
        row["seq"] -= 1
        row["prev_hash"] = prev
        row["row_hash"] = prev = row_digest(row, prev)
        session.execute(insert(cast(Table, AuditEntry.__table__)), row)  # a declarative class's __table__ is a Table


def test_trigger_drop_and_chain_rebuild_is_caught_by_the_automatic_anchors(
        cli: Cli, cli_as: Cli, demo_db: Database) -> None:
    url = db_url(demo_db)
    assert cli_as(Role.MEDIATOR, "--db", url, "cases", "list")[0] == 0  # a sign-in: anchored at start
    with demo_db.write.begin() as s, audit_guards_off(s):
        _rebuild_chain_without(s, victim=40)
    code, out, err = cli("--db", url, "audit", "verify")
    assert code == 1 and ("与锚点不一致" in err or "末尾记录被删除" in err)
    assert "覆盖第 1–" in out


def test_missing_guard_triggers_stop_writes_and_are_reported(cli: Cli, cli_as: Cli, demo_db: Database) -> None:
    url = db_url(demo_db)
    with demo_db.write.begin() as s:
        s.execute(text("DROP TRIGGER audit_log_no_delete"))
    code, _, err = cli_as(Role.MEDIATOR, "--db", url, "agreement", "add", "X", "--item", "x")
    assert code == 2 and "保护触发器缺失" in err and err.count("\n") == 1
    code, _, err = cli("--db", url, "audit", "verify")
    assert code == 1 and "audit_log_no_delete" in err


def test_restore_from_the_cli_needs_the_system_administrator(cli: Cli, demo_db: Database, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    make_users_once(demo_db)
    backup = _backup_via(demo_db, tmp_path / "b.db")
    auditor = f"user{list(Role).index(Role.AUDIT_ADMIN)}"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code, _, err = cli("--db", db_url(demo_db), "restore", str(backup), "--user", auditor, "--password-stdin")
    assert code == 2 and "无权恢复数据库" in err


def _backup_via(db: Database, target: Path) -> Path:
    backup_database(db, target, make_users_once(db))
    return target


def test_pre_upgrade_and_restore_copies_are_private(demo_db: Database, tmp_path: Path) -> None:
    backup = _backup_via(demo_db, tmp_path / "b.db")
    restore_database(demo_db, backup, make_users_once(demo_db))
    folder = Path(demo_db.engine.url.database or "").parent
    copies = list(folder.glob("*.pre-restore-*"))
    assert copies and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in copies)
