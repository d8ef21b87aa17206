"""Backups of the embedded SQLite database: online copies through SQLite's backup API (safe while
other desks write), an integrity-checked restore that refuses a damaged file, and a daily backup
with rotation. A centre's PostgreSQL server is backed up on the server (pg_basebackup / pg_dump).

Copies go through models.db.copy_sqlite, the one copying routine (also used before migrations)."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from models import clock
from models.db import APPLICATION_ID, Database, copy_sqlite, describe, known_revisions
from models.dto import Actor
from models.errors import DomainError
from models.security.anchors import save_anchor
from models.security.audit import Anchor, chain_head, record_event, verify_chain
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
    """Back up the live database to `target` (0600, rollback-journal mode, checked), then audit it
    in the source, only once the file exists, and anchor the backup's chain head in the data
    directory."""
    source = sqlite_path(db.engine)
    with db.read() as session:
        require(session, actor, Permission.BACKUP)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_sqlite(source, target)
    except (OSError, sqlite3.Error) as exc:
        raise BackupRefused(f"无法写入备份文件：{target}（{exc}）；未生成备份") from exc
    try:
        head = check_backup(target)
    except BackupRefused:
        target.unlink(missing_ok=True)
        raise
    with db.write.begin() as session:
        record_event(session, actor, "backup", "database", None, target=target.name, seq=head.seq,
                     head=head.row_hash)
    save_anchor(db, head, "备份")
    return BackupInfo(target, head.seq, target.stat().st_size)


def _read_only(path: Path) -> sqlite3.Connection:
    """Open a backup without writing anything, even a -wal or -journal (read-only media work)."""
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)


def check_backup(path: Path) -> Anchor:
    """Raise BackupRefused unless `path` is this application's database (application id), of a
    schema revision this program knows (never newer), intact (integrity_check) and with an audit
    chain that verifies and is not empty; returns the chain head. Nothing is written to `path`."""
    if not path.is_file():
        raise BackupRefused(f"备份文件不存在或不是文件：{path}")
    try:
        with contextlib.closing(_read_only(path)) as conn:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            result = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revisions = (frozenset(r[0] for r in conn.execute("SELECT version_num FROM alembic_version"))
                         if "alembic_version" in tables else frozenset())
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"备份文件已损坏或不是数据库文件：{path.name}") from exc
    if app_id != APPLICATION_ID or not {"alembic_version", "audit_log", "cases"} <= tables or not revisions:
        raise BackupRefused(f"备份文件不是调解工作台的数据库：{path.name}；未做任何修改")
    if revisions - known_revisions():
        raise BackupRefused(f"备份文件的结构版本（{describe(revisions)}）比本程序新，不能恢复；未做任何修改")
    if result != [("ok",)]:
        raise BackupRefused(f"备份文件完整性检查未通过：{path.name}（{result[0][0]}）")
    return _check_backup_chain(path)


def _check_backup_chain(path: Path) -> Anchor:
    engine = create_engine("sqlite://", creator=lambda: _read_only(path), poolclass=NullPool)
    try:
        with sessionmaker(engine)() as session:
            report = verify_chain(session)
            head = chain_head(session)
    except DBAPIError as exc:
        raise BackupRefused(f"备份文件无法读取审计记录：{path.name}") from exc
    finally:
        engine.dispose()
    if not report.ok:
        raise BackupRefused(f"备份文件的审计链校验失败：{report.problem}；未做任何修改")
    if not report.checked:
        raise BackupRefused(f"备份文件没有任何审计记录，不像真实的数据库备份：{path.name}；未做任何修改")
    return head


def restore_database(db: Database, source: Path, actor: Actor) -> Path:
    """Replace the live database's content with `source` after checking it; the current content is
    kept as a pre-restore copy (returned). Other desks must be closed (SQLite: one desk per file)."""
    target = sqlite_path(db.engine)
    with db.read() as session:
        require(session, actor, Permission.RESTORE)
        replaced = chain_head(session)
    restored = check_backup(source)
    save_anchor(db, replaced, "恢复前")  # the replaced chain stays provable outside the database
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
    safety = target.with_name(f"{target.stem}.pre-restore-{stamp}{target.suffix}")
    copy_sqlite(target, safety)
    db.engine.dispose()
    with contextlib.closing(_read_only(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    with db.write.begin() as session:  # appended after the restored chain, naming what it replaced
        record_event(session, actor, "restore", "database", None, source=source.name, pre_restore=safety.name,
                     restored_seq=restored.seq, replaced_seq=replaced.seq, replaced_head=replaced.row_hash)
    return safety


def daily_backup(db: Database, folder: Path, *, keep: int = KEEP_DAYS, today: date | None = None,
                 actor: Actor | None = None) -> Path | None:
    """Take today's backup unless it exists, then delete the oldest beyond `keep`. Returns the new file."""
    today = today or clock.today()
    actor = actor or Actor()
    target = folder / f"{DAILY_PREFIX}{today:%Y%m%d}.db"
    made = None
    if not target.exists():
        backup_database(db, target, actor)
        made = target
    for old in sorted(folder.glob(f"{DAILY_PREFIX}*.db"))[:-keep]:
        old.unlink()
    return made

