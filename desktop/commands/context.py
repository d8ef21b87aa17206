"""How a CLI command gets its database and who runs it: the one seam for sign-in on the command line.

Every command that reads personal data or changes anything runs as a signed-in person:
`--user NAME` after the sub-command, the password typed at the terminal (no echo) or, with
`--password-stdin`, the first line of standard input. It is checked by the same `accounts.login`
as the sign-in window (lockout counted, sign-in audited) and the services then apply the same
permission table as the GUI. An account whose password must be changed is refused until
`mediation-desk passwd --user NAME`.

Without --user only local maintenance runs (`db upgrade`, `backup`, `audit verify`), and only on a
local SQLite file, which whoever runs it already holds: it acts as the local operator, named by
the operating-system account in an audited `local_operator` event."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from models.cases.queries import find_case_id
from models.db import Database, open_database, resolve_url
from models.dto import Actor
from models.errors import ValidationFailed
from models.security import accounts
from models.security.anchors import anchor_now
from models.security.audit import record_event
from models.security.guards import check_guards
from models.security.permissions import Permission, PermissionDenied, require

SIGN_IN_HINT = "请在子命令后加 --user 登录名（密码在终端输入，或加 --password-stdin 从标准输入读取）"


class SignInRequired(PermissionDenied):
    pass


T = TypeVar("T")


def database(args: argparse.Namespace, *, upgrade: bool = True, guarded: bool = True, create: bool = False) -> Database:
    """The database named by --db (or the default), migrated; refused when its audit guards are gone.
    Only `create` commands (setup-admin, demo, db upgrade) may bring a new SQLite file into being."""
    url = getattr(args, "db", None)
    if url is not None and not url.strip():
        raise ValidationFailed("--db 不能为空：请给出数据库地址，或省略 --db 使用默认数据库")
    if not create:
        _refuse_missing_file(resolve_url(url))
    db = open_database(url, upgrade=upgrade)
    if guarded and upgrade:
        with db.engine.connect() as conn:
            check_guards(conn)
    return db


def _refuse_missing_file(url: str) -> None:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # open_database explains a bad address in one line
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not path.is_file():
            raise ValidationFailed(f"数据库文件不存在：{path}（新数据库请先运行 setup-admin 或 db upgrade；未创建任何文件）")


def read_secret(args: argparse.Namespace, prompt: str, *, confirm: bool = False) -> str:
    """One secret: the next line of stdin with --password-stdin, else typed at the terminal."""
    try:
        if getattr(args, "password_stdin", False):
            line = sys.stdin.readline()
            if not line:
                raise ValidationFailed("标准输入中没有密码（--password-stdin 须逐行提供密码）")
            return line.rstrip("\r\n")
        with warnings.catch_warnings():  # no terminal: getpass would echo the password, so refuse
            warnings.simplefilter("error", getpass.GetPassWarning)
            first = getpass.getpass(prompt)
            if confirm and getpass.getpass("请再次输入：") != first:
                raise ValidationFailed("两次输入的密码不一致")
        return first
    except (EOFError, OSError, getpass.GetPassWarning) as exc:
        raise ValidationFailed("无法从终端读取密码：请加 --password-stdin，从标准输入传入密码") from exc


def acting_user(args: argparse.Namespace, db: Database) -> Actor:
    """The signed-in person running this command (refused without a valid --user and password)."""
    username = (getattr(args, "user", None) or "").strip()
    if not username:
        raise SignInRequired(f"此命令须以本人账户执行：{SIGN_IN_HINT}")
    signed = accounts.login(db.write, username, read_secret(args, f"{username} 的密码："))
    if signed.must_change_password:
        raise PermissionDenied(f"账户 {username} 须先修改密码：mediation-desk passwd --user {username}")
    with db.read() as session:  # each start anchors the chain outside the database
        anchor_now(db, session, "启动")
    return signed.actor()


def local_operator(args: argparse.Namespace, db: Database, command: str) -> Actor:
    """`acting_user` when --user is given; otherwise, on a local SQLite file only, the local
    operator, named by the operating-system account in an audited event."""
    if getattr(args, "user", None):
        return acting_user(args, db)
    check_local_operator(args, db, command)
    actor = Actor()
    with db.write.begin() as session:
        record_event(session, actor, "local_operator", "audit_log", None, os_user=_os_user(), command=command)
    return actor


def check_local_operator(args: argparse.Namespace, db: Database, command: str) -> None:
    """Refuse before any work when the local operator is not allowed (a server database)."""
    if not getattr(args, "user", None) and not db.is_sqlite:
        raise SignInRequired(f"服务器数据库上“{command}”须以本人账户执行：{SIGN_IN_HINT}")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "未知"


def database_owner(db: Database) -> str:
    """Who owns the database this command opened, refusing anyone else: the operating-system owner
    of a SQLite file, or the PostgreSQL role that owns the database (break-glass needs either)."""
    if db.is_sqlite:
        path = db.engine.url.database or ""
        if not path or not os.path.exists(path) or os.stat(path).st_uid != os.getuid():
            raise PermissionDenied("紧急重置须由数据库文件的所有者在本机执行")
        return f"文件所有者 {_os_user()}"
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT current_user, pg_get_userbyid(datdba) FROM pg_database "
                                "WHERE datname = current_database()")).one()
    if row[0] != row[1]:
        raise PermissionDenied("紧急重置须以数据库所有者的角色连接服务器数据库")
    return f"数据库所有者 {row[0]}"


def add_db_option(parser: argparse.ArgumentParser, *, sign_in: bool = True) -> None:
    """--db on the top level and on every sub-command (so it may be written before or after it),
    and (for a sub-command) who runs it: see `acting_user`."""
    parser.add_argument(
        "--db", metavar="URL", default=argparse.SUPPRESS,
        help="数据库地址（SQLAlchemy URL），默认用户数据目录中的 SQLite 文件；也可用环境变量 MEDIATION_DB_URL",
    )
    if sign_in:
        parser.add_argument("--user", metavar="NAME", help="以该账户执行（登录名；须输入其密码）")
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入逐行读取密码（不提示）")


def read_case(args: argparse.Namespace, query: Callable[[Session, int], T]) -> T:
    """The read every `… show` command does: sign in, check 查看案件, run `query` for the case
    numbered `args.case` in one read session."""
    db = database(args)
    actor = acting_user(args, db)
    with db.read() as session:
        require(session, actor, Permission.CASE_VIEW)
        return query(session, find_case_id(session, args.case))


def write_as(args: argparse.Namespace, work: Callable[[Session, Actor], T]) -> T:
    """The write every changing command does: sign in first (on SQLite the write transaction is
    the one writer, so no password prompt may hold it), then run `work` in one write transaction."""
    db = database(args)
    actor = acting_user(args, db)
    with db.write.begin() as session:
        return work(session, actor)


def write_on_case(args: argparse.Namespace, work: Callable[[Session, int, Actor], T]) -> T:
    """`write_as` for the case numbered `args.case`."""
    return write_as(args, lambda session, actor: work(session, find_case_id(session, args.case), actor))
