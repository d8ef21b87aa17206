"""Signing in on the command line in tests: one account per role in the database a command
names with --db, created on first use (password already changed, so the services accept it)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from unittest.mock import patch

import pytest
from sqlalchemy import select

from models.db import open_database
from models.dto import Actor
from models.org.entities import Role, User
from models.security.accounts import Credential, add_user, setup_first_admin
from models.security.permissions import ADMIN_ROLES

CLI_PASSWORD = "Cli#signed-in-2026"


def cli_username(role: Role) -> str:
    return f"cli-{list(Role).index(role)}"


def ensure_cli_user(url: str, role: Role) -> str:
    """The test account of `role` in the database at `url` (created once, password changed)."""
    username = cli_username(role)
    database = open_database(url)
    try:
        with database.write.begin() as session:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                if role in ADMIN_ROLES:
                    user_id = setup_first_admin(session, username, str(role), CLI_PASSWORD, role)
                else:
                    user_id = add_user(session, Actor(), username, str(role), role, CLI_PASSWORD)
                session.get(Credential, user_id).must_change = False
    finally:
        database.engine.dispose()
    return username


def db_argument(args: Sequence[str]) -> str:
    return args[list(args).index("--db") + 1]


def main_as(role: Role, args: Sequence[str], stdin: str = "") -> int:
    """`mediation-desk ARGS… --user NAME --password-stdin` signed in as the test account of `role`."""
    from desktop.cli import main

    username = ensure_cli_user(db_argument(args), role)
    with patch("sys.stdin", io.StringIO(f"{CLI_PASSWORD}\n{stdin}")):
        return main([*args, "--user", username, "--password-stdin"])


def signed_runner(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    def run(role: Role, *args: str, stdin: str = "") -> tuple[int, str, str]:
        code = main_as(role, args, stdin)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def assign_to_cli_mediator(url: str, number: str) -> None:
    """Make the CLI test mediator the case's mediator: a mediator changes only the cases assigned
    to them or registered at their desk (models.security.permissions.case_refusal)."""
    username = ensure_cli_user(url, Role.MEDIATOR)
    database = open_database(url)
    try:
        with database.write.begin() as session:
            from models.cases.entities import Case  # test set-up: a direct write, like a data fix

            user_id = session.scalar(select(User.id).where(User.username == username))
            session.scalars(select(Case).where(Case.number == number)).one().mediator_id = user_id
    finally:
        database.engine.dispose()


def cli_on_sqlite_only(database: object) -> None:
    """Skip a command-line check on the PostgreSQL run: each command opens (and leaves to the
    process's end) its own engine, which pytest reports as unclosed connections; the services
    behind it are tested on both databases."""
    if getattr(database, "is_sqlite", True) is False:
        pytest.skip("命令行检查只在 SQLite 上运行")
