"""The complete metadata and session hooks: importing this module registers every entity (for
Alembic and tests) and the listeners that keep the audit chain and case deadlines in step."""

from __future__ import annotations

from models.base import Base

# Imported for their table definitions and session listeners.
from models.cases import agreements, catalog  # noqa: F401
from models.cases import entities as cases  # noqa: F401
from models.org import entities as org  # noqa: F401
from models.security import accounts, audit  # noqa: F401
from models.workflow import calendar_store, deadline_service  # noqa: F401
from models.workflow import entities as workflow  # noqa: F401

metadata = Base.metadata

# The search index kept by the services (models/cases/search.py) and the trigger-kept case
# counter (models/cases/counts.py): raw-SQL tables made by the migrations, not ORM tables.
UNMANAGED_TABLE_PREFIXES = ("case_search", "case_counts")


def is_managed_table(name: str) -> bool:
    return not name.startswith(UNMANAGED_TABLE_PREFIXES)
