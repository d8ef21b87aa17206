"""How a CLI command gets its database: one place that resolves --db and opens (and migrates) it."""

from __future__ import annotations

import argparse

from models.db import Database, open_database
from models.dto import Actor


def database(args: argparse.Namespace, *, upgrade: bool = True) -> Database:
    return open_database(getattr(args, "db", None), upgrade=upgrade)


def acting_user(args: argparse.Namespace, db: Database) -> Actor:
    """Who runs this command: every command that reads personal data or changes anything asks here
    (one seam, so sign-in on the command line is decided in one place). Today this is still the
    anonymous local operator; the trust work replaces it with a signed-in user."""
    return Actor()


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """--db on the top level and on every sub-command (so it may be written before or after it)."""
    parser.add_argument(
        "--db", metavar="URL", default=argparse.SUPPRESS,
        help="数据库地址（SQLAlchemy URL），默认用户数据目录中的 SQLite 文件；也可用环境变量 MEDIATION_DB_URL",
    )
