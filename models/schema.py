"""The complete metadata and session hooks: importing this module registers every entity (for
Alembic and tests) and the listeners that keep the audit chain and case deadlines in step."""

from __future__ import annotations

# Imported for their table definitions and session listeners.
from models import (  # noqa: F401
    accounts,
    agreements,
    audit,
    calendar_store,
    cases,
    catalog,
    deadline_service,
    org,
    workflow,
)
from models.base import Base

metadata = Base.metadata

# SQLite-only full-text table kept by the services (not an ORM table; see models/search.py).
UNMANAGED_TABLE_PREFIXES = ("case_search",)


def is_managed_table(name: str) -> bool:
    return not name.startswith(UNMANAGED_TABLE_PREFIXES)
