"""Database access: where the database is, how every connection is set up, and bringing its
schema to the current migration (with a file backup first on SQLite).

The embedded default is a SQLite file in the user's data directory; any SQLAlchemy URL (a
centre's PostgreSQL server) can be given with --db or MEDIATION_DB_URL."""

from __future__ import annotations

import ast
import os
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from models import clock
from models.errors import DatabaseUnavailable

if TYPE_CHECKING:
    from alembic.config import Config

ENV_URL = "MEDIATION_DB_URL"
APP_NAME = "mediation-desk"


def default_url() -> str:
    """The embedded SQLite file in the user's data directory (created on first use)."""
    folder = Path(user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'mediation.db'}"


def resolve_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get(ENV_URL) or default_url()


def _sqlite_on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # pysqlite's own transaction handling is switched off so that BEGIN is ours (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # BEGIN IMMEDIATE takes the write lock up front, so a writer waits (busy_timeout) instead of
    # failing with "database is locked" when it later upgrades a read lock.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; raises DatabaseUnavailable with a Chinese message for a bad URL."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite":
            kwargs.setdefault("pool_pre_ping", True)  # a connection the server dropped is replaced, not failed
        engine = create_engine(parsed, **kwargs)
    except ImportError as exc:  # a dialect whose driver is not installed (mysql://, …)
        raise DatabaseUnavailable("不支持的数据库地址：只支持 SQLite 文件和 PostgreSQL（postgresql+psycopg://…）") from exc
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        shown = re.sub(r"//([^:/@]*):[^@/]*@", r"//\1:***@", url)  # never print a password
        raise DatabaseUnavailable(f"数据库地址无效：{shown}（{exc}）".replace(url, shown)) from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


@dataclass(frozen=True)
class Database:
    """Engine plus the two session factories: reads, and writes (which lock early on SQLite)."""

    engine: Engine
    read: sessionmaker[Session]
    write: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"


def open_database(url: str | None = None, *, upgrade: bool = True) -> Database:
    """Resolve, connect, and (by default) migrate to head. The composition root calls this once."""
    from models.schema import attach_session_hooks  # every entity, and the hooks its sessions run

    engine = make_engine(resolve_url(url))
    if upgrade:
        upgrade_database(engine)
    _keep_private(engine)
    writer = engine.execution_options(write=True)
    read = sessionmaker(engine, expire_on_commit=False)
    write = sessionmaker(writer, expire_on_commit=False)
    for factory in (read, write):
        attach_session_hooks(factory)
    return Database(engine=engine, read=read, write=write)


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("migrations")))
    if engine is not None:
        # configparser treats % as interpolation: a URL such as ?host=%2Ftmp must be escaped.
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


# Alembic is imported only when a migration actually runs: importing it costs ~0.15 s of every
# start, and at start the database is almost always current. These two read the same facts
# Alembic would (tests/test_migrations.py checks they agree with it).
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*=\s*(.+)$", re.MULTILINE)


def current_revisions(engine: Engine) -> frozenset[str]:
    """The revisions stamped in alembic_version (empty for a new database)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return frozenset()
        return frozenset(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def known_revisions() -> frozenset[str]:
    """Every revision this program ships (a database stamped with any other is newer than it)."""
    return _revision_graph()[0]


def head_revisions() -> frozenset[str]:
    """Every head: features may add migration branches off one parent until a merge joins them."""
    revisions, parents = _revision_graph()
    return frozenset(revisions - parents)


def _revision_graph() -> tuple[frozenset[str], frozenset[str]]:
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (resources.files("migrations") / "versions").iterdir():
        if not script.name.endswith(".py"):
            continue
        fields = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        revisions.add(ast.literal_eval(fields["revision"]))
        down = ast.literal_eval(fields["down_revision"])
        parents.update(down if isinstance(down, tuple) else (down,) if down else ())
    return frozenset(revisions), frozenset(parents)


def describe(revisions: frozenset[str]) -> str:
    return "、".join(sorted(revisions)) or "空库"


def upgrade_database(engine: Engine) -> Path | None:
    """Migrate to head; on an existing SQLite file that needs upgrading, copy it first.

    Returns the backup path when one was made."""
    try:
        current = current_revisions(engine)
    except DBAPIError as exc:
        raise DatabaseUnavailable(_describe_connect_error(engine, exc)) from exc
    check_ours(engine, current)  # before anything is copied or changed
    if current == head_revisions():
        _stamp_application_id(engine)
        return None
    backup = _backup_before_upgrade(engine) if current else None
    from alembic import command

    with engine.begin() as conn:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    _stamp_application_id(engine)
    return backup


def _keep_private(engine: Engine) -> None:
    """A SQLite file holds personal data: owner-only (0600), and the `.partial` copies a crash left
    beside it are swept."""
    from models.security.files import make_private, sweep_partials

    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    path = Path(engine.url.database)
    for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.exists():
            make_private(companion)
    sweep_partials(path.parent)


# "MDSK": PRAGMA application_id of every SQLite file this program creates or upgrades, so a
# restore or an open can tell its own databases from another application's.
APPLICATION_ID = 0x4D44534B


def check_ours(engine: Engine, current: frozenset[str]) -> None:
    """Refuse a database of another application, or one stamped by a newer version of this one."""
    newer = current - known_revisions()
    if newer:
        raise DatabaseUnavailable(f"数据库结构版本（{describe(newer)}）比本程序新：请用新版程序打开；未做任何修改")
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        app_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
        foreign = bool(app_id) and app_id != APPLICATION_ID
        if not app_id and not current:  # unstamped and unmigrated: ours only if empty
            foreign = bool(set(inspect(conn).get_table_names()) - {"alembic_version"})
    if foreign:
        raise DatabaseUnavailable(f"这不是调解工作台的数据库：{engine.url.database}；未做任何修改")


def _stamp_application_id(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            if conn.exec_driver_sql("PRAGMA application_id").scalar() != APPLICATION_ID:
                conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
                conn.commit()


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy through the SQLite backup API (a plain file copy could miss commits still
    in the WAL), written beside the target and renamed, so a crash never leaves half a backup."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file (no -wal/-shm)
    partial.chmod(0o600)  # personal data: the owner only
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)


def _backup_before_upgrade(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    source = Path(engine.url.database)
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
    target = source.with_name(f"{source.stem}.pre-upgrade-{stamp}{source.suffix}")
    copy_sqlite(source, target)
    return target


def _describe_connect_error(engine: Engine, exc: DBAPIError) -> str:
    text = str(exc.orig) if exc.orig else str(exc)
    if engine.dialect.name == "sqlite":
        if "not a database" in text or "malformed" in text:
            return f"数据库文件已损坏或不是数据库文件：{engine.url.database}"
        return f"无法打开数据库文件：{engine.url.database}（{text.strip()}）"
    return f"无法连接数据库服务器 {engine.url.host or ''}：{text.strip().splitlines()[0] if text.strip() else ''}"
