"""Builders shared by the security tests: one account per role, and a way around the audit_log
triggers (what an attacker holding the database file or a superuser login could do)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from models.db import Database
from models.dto import Actor
from models.org.entities import Role
from models.security.accounts import Credential, add_user

PASSWORD = "Correct-Horse-9"
SQLITE_GUARDS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '审计记录不可修改'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '审计记录不可删除'); END",
)


def make_users(db: Database, *, changed: bool = True) -> dict[Role, Actor]:
    """One account per role, created by the system operator; returns each one's Actor. With
    changed (the default) each has already replaced its one-time password, so services accept it."""
    actors = {}
    with db.write.begin() as session:
        for i, role in enumerate(Role):
            user_id = add_user(session, Actor(), f"user{i}", f"用户{i}", role, PASSWORD)
            session.get(Credential, user_id).must_change = not changed
            actors[role] = Actor(user_id, None)
    return actors


@contextmanager
def audit_guards_off(session: Session) -> Iterator[Session]:
    """Inside the block, raw SQL may change audit_log; the guards are back afterwards."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("DROP TRIGGER audit_log_no_delete"))
    yield session
    if postgres:
        session.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
    else:
        for statement in SQLITE_GUARDS:
            session.execute(text(statement))
