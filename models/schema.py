"""The complete metadata and session hooks: importing this module registers every entity (for
Alembic and tests) and the listeners that keep the audit chain and case deadlines in step."""

from __future__ import annotations

from models.analysis import entities as analysis  # noqa: F401
from models.base import Base

# Imported for their table definitions and session listeners.
from models.cases import agreements, catalog  # noqa: F401
from models.cases import entities as cases  # noqa: F401
from models.org import entities as org  # noqa: F401
from models.security import accounts, audit  # noqa: F401
from models.workflow import calendar_store, deadline_service  # noqa: F401
from models.workflow import entities as workflow  # noqa: F401

metadata = Base.metadata

# SQLite-only full-text table kept by the services (not an ORM table; see models/cases/search.py).
UNMANAGED_TABLE_PREFIXES = ("case_search",)


def is_managed_table(name: str) -> bool:
    return not name.startswith(UNMANAGED_TABLE_PREFIXES)
