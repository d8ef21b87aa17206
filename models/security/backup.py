"""Backups of the embedded SQLite database: online copies through SQLite's backup API (safe while
other desks write), an integrity-checked restore that refuses a damaged file, and a daily backup
with rotation. A centre's PostgreSQL server is backed up on the server (pg_basebackup / pg_dump).

Copies go through models.db.copy_sqlite, the one copying routine (also used before migrations)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from models import clock
from models.db import Database, copy_sqlite, make_engine
from models.dto import Actor
from models.errors import DomainError
from models.security.audit import record_event, verify_chain
from models.security.permissions import Permission, require

DAILY_PREFIX = "daily-"
KEEP_DAYS = 7  # daily copies kept (a week): a 1M-case file is 1.7 GB a copy


class BackupRefused(DomainError):
    pass


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    audit_seq: int
    size: int


def sqlite_path(engine: Engine) -> Path:
    if engine.dialect.name != "sqlite" or not engine.url.database or engine.url.database == ":memory:":
        raise BackupRefused("只能备份本机 SQLite 数据库；中心的 PostgreSQL 数据库请在服务器上用 pg_dump 或 pg_basebackup 备份")
    return Path(engine.url.database)


def backup_database(db: Database, target: Path, actor: Actor) -> BackupInfo:
    """Back up the live database to `target`; audited in the source before the copy is taken,
    so the backup's own chain includes the event."""
    source = sqlite_path(db.engine)
    with db.write.begin() as session:
        require(session, actor, Permission.BACKUP)
        record_event(session, actor, "backup", "database", None, target=target.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    copy_sqlite(source, target)
    seq = check_backup(target)
    return BackupInfo(target, seq, target.stat().st_size)


def check_backup(path: Path) -> int:
    """Raise BackupRefused unless `path` is an intact, migrated database with an unbroken audit
    chain; returns the audit chain's last sequence number."""
    if not path.is_file():
        raise BackupRefused(f"备份文件不存在：{path}")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"备份文件已损坏或不是数据库文件：{path.name}") from exc
    if result != [("ok",)]:
        raise BackupRefused(f"备份文件完整性检查未通过：{path.name}（{result[0][0]}）")
    if not {"alembic_version", "audit_log", "cases"} <= tables:
        raise BackupRefused(f"备份文件不是调解工作台的数据库：{path.name}")
    return _check_backup_chain(path)


def _check_backup_chain(path: Path) -> int:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with sessionmaker(engine)() as session:
            report = verify_chain(session)
    finally:
        engine.dispose()
    if not report.ok:
        raise BackupRefused(f"备份文件的审计链校验失败：{report.problem}")
    return report.checked


def restore_database(db: Database, source: Path, actor: Actor) -> Path:
    """Replace the live database's content with `source` after checking it; the current content is
    kept as a pre-restore copy (returned). Other desks must be closed (SQLite: one desk per file)."""
    target = sqlite_path(db.engine)
    with db.read() as session:
        require(session, actor, Permission.RESTORE)
    check_backup(source)
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
    safety = target.with_name(f"{target.stem}.pre-restore-{stamp}{target.suffix}")
    copy_sqlite(target, safety)
    db.engine.dispose()
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    with db.write.begin() as session:
        record_event(session, actor, "restore", "database", None, source=source.name, pre_restore=safety.name)
    return safety


def daily_backup(db: Database, folder: Path, *, keep: int = KEEP_DAYS, today: date | None = None) -> Path | None:
    """Take today's backup unless it exists, then delete the oldest beyond `keep`. Returns the new file."""
    today = today or clock.today()
    target = folder / f"{DAILY_PREFIX}{today:%Y%m%d}.db"
    made = None
    if not target.exists():
        backup_database(db, target, Actor())
        made = target
    for old in sorted(folder.glob(f"{DAILY_PREFIX}*.db"))[:-keep]:
        old.unlink()
    return made

