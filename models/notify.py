"""Multi-desk awareness on PostgreSQL: which cases other desks changed (LISTEN/NOTIFY), and whether
the server is reachable at all (for the connection-lost banner).

Sending: `attach_notify_hooks` (called by open_database) makes every flush send `case_changed`
with each touched case id inside the committing transaction, so other desks hear of it only when
it commits. Receiving: `CaseChangeListener`. Both are plain blocking calls; the desktop runs the
listener on a worker thread."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

NOTIFY_CHANNEL = "case_changed"


def attach_notify_hooks(sessions: sessionmaker[Session]) -> None:
    """Every session `sessions` makes tells other desks which cases it changed (PostgreSQL only)."""
    event.listen(sessions, "after_flush", _notify_case_changes)


def _notify_case_changes(session: Session, _flush_context: Any) -> None:
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    case_ids = {_case_id(obj) for obj in (*session.new, *session.dirty, *session.deleted)}
    for case_id in sorted(i for i in case_ids if i is not None):
        # PostgreSQL delivers one notification per (channel, payload) and transaction, so a case
        # touched by several flushes is announced once, at commit.
        connection.execute(text("SELECT pg_notify(:channel, :payload)"),
                           {"channel": NOTIFY_CHANNEL, "payload": str(case_id)})


def _case_id(obj: Any) -> int | None:
    state = inspect(obj)
    key = "id" if getattr(type(obj), "__tablename__", "") == "cases" else "case_id"
    return state.dict.get(key) if key in state.mapper.column_attrs else None


def reachable(engine: Engine) -> bool:
    """True when a trivial query succeeds (any dialect); never raises."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False


def psycopg_conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class CaseChangeListener:
    """A dedicated autocommit connection LISTENing for changed case ids."""

    def __init__(self, url: str, connect_timeout: int = 5) -> None:
        import psycopg  # only PostgreSQL deployments pay for the import (~60 ms at start-up)

        self._conn: Any = psycopg.connect(psycopg_conninfo(url), autocommit=True, connect_timeout=connect_timeout)
        self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def wait(self, timeout: float) -> set[int]:
        """Case ids notified within `timeout` seconds (returns early after the first batch)."""
        changed: set[int] = set()
        for note in self._conn.notifies(timeout=timeout, stop_after=1):
            changed.add(int(note.payload))
        for note in self._conn.notifies(timeout=0.05):  # drain what arrived with it
            changed.add(int(note.payload))
        return changed

    def close(self) -> None:
        self._conn.close()
