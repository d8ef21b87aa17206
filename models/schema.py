"""The complete metadata and the session hooks: importing this module registers every entity (for
Alembic and tests); `attach_session_hooks` puts the listeners that keep the audit chain, the other
desks' notifications and case deadlines in step on a session factory (open_database calls it for
the factories it makes — nothing listens on the global Session class)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from models.analysis import entities as analysis  # noqa: F401
from models.base import Base
from models.casefile import entities as casefile  # noqa: F401

# Imported for their table definitions.
from models.cases import agreements, catalog, record_entities  # noqa: F401
from models.cases import entities as cases  # noqa: F401
from models.documents import settings as documents  # noqa: F401
from models.files import store as files  # noqa: F401
from models.notify import attach_notify_hooks
from models.org import entities as org  # noqa: F401
from models.security import accounts, anchor_rows  # noqa: F401
from models.security.audit import attach_audit_hooks
from models.workflow import calendar_store  # noqa: F401
from models.workflow import entities as workflow  # noqa: F401
from models.workflow.deadline_service import attach_deadline_hooks

metadata = Base.metadata

# The search index kept by the services (models/cases/search.py) and the trigger-kept case
# counter (models/cases/counts.py): raw-SQL tables made by the migrations, not ORM tables.
UNMANAGED_TABLE_PREFIXES = ("case_search", "case_counts")


def attach_session_hooks(sessions: sessionmaker[Session]) -> None:
    """The listeners every session of the application runs: audit chain, NOTIFY, deadline re-sync."""
    attach_audit_hooks(sessions)
    attach_notify_hooks(sessions)
    attach_deadline_hooks(sessions)


def is_managed_table(name: str) -> bool:
    return not name.startswith(UNMANAGED_TABLE_PREFIXES)
