"""The complete metadata: importing this module registers every entity, for Alembic and tests."""

from __future__ import annotations

from models import accounts, agreements, audit, calendar_store, cases, catalog, org, workflow  # noqa: F401  (imported for their table definitions)
from models.base import Base

metadata = Base.metadata

# SQLite-only full-text table kept by the services (not an ORM table; see models/search.py).
UNMANAGED_TABLE_PREFIXES = ("case_search",)


def is_managed_table(name: str) -> bool:
    return not name.startswith(UNMANAGED_TABLE_PREFIXES)
