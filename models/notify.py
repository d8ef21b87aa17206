"""Multi-desk awareness on PostgreSQL: which cases other desks changed (LISTEN/NOTIFY; the audit
hook sends `case_changed` with the case id inside each committing transaction), and whether the
server is reachable at all (for the connection-lost banner).

Both are plain blocking calls; the desktop runs them on a worker thread."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from models.security.audit import NOTIFY_CHANNEL


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
