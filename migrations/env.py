"""Alembic environment, run programmatically by models.db.upgrade_database (no alembic.ini).

Batch mode is on so that SQLite ALTERs rebuild tables instead of half-applying."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from models.schema import is_managed_table, metadata

config = context.config


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (type_ == "table" and name is not None and not is_managed_table(name))


def _configure(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
