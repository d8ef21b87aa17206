"""Case counts without scanning the cases: a counter table kept exact by database triggers.

`case_counts` holds one row per (committee, desk, stage, dispute type, risk colour) with the
number of cases in it; triggers on `cases` (both databases, created by the 0011 migration) move
a case between rows in the same transaction that inserts, deletes or re-files it, so a count is
exact and transactional — the list's scroll-bar length and every 共 N 件 figure must agree with
the rows. Why triggers and not the services: every writer (registration, corrections, imports,
a bulk loader, a future path) is covered without having to remember it. A list filter made only
of these columns is answered by summing at most a few thousand counter rows; any other filter
(a search, a filter added later) is counted on the cases themselves.

A NULL desk or colour is stored as 0 / '' so the key is unique on both databases."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import ColumnElement, Connection, column, func, select, table, text
from sqlalchemy.orm import Session

COUNTED = ("committee_id", "desk_id", "stage", "dispute_type_code", "risk_colour")
counter = table("case_counts", column("n"), *(column(name) for name in COUNTED))

CREATE_TABLE = (
    "CREATE TABLE case_counts (committee_id integer NOT NULL, desk_id integer NOT NULL,"
    " stage varchar(4) NOT NULL, dispute_type_code varchar(8) NOT NULL, risk_colour varchar(2) NOT NULL,"
    " n integer NOT NULL, PRIMARY KEY (committee_id, desk_id, stage, dispute_type_code, risk_colour))"
)


def _key(row: str) -> str:
    return (f"{row}.committee_id, coalesce({row}.desk_id, 0), {row}.stage, {row}.dispute_type_code,"
            f" coalesce({row}.risk_colour, '')")


def _add(row: str) -> str:
    return (f"INSERT INTO case_counts (committee_id, desk_id, stage, dispute_type_code, risk_colour, n)"
            f" VALUES ({_key(row)}, 1) ON CONFLICT (committee_id, desk_id, stage, dispute_type_code, risk_colour)"
            f" DO UPDATE SET n = case_counts.n + 1;")


def _remove(row: str) -> str:
    return (f"UPDATE case_counts SET n = n - 1 WHERE (committee_id, desk_id, stage, dispute_type_code, risk_colour)"
            f" = ({_key(row)});")


WATCHED = ", ".join(COUNTED)
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN {_add('NEW')} END",
    f"CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN {_remove('OLD')} END",
    f"CREATE TRIGGER case_counts_update AFTER UPDATE OF {WATCHED} ON cases BEGIN {_remove('OLD')} {_add('NEW')} END",
)
PG_TRIGGERS = (
    "CREATE FUNCTION case_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" IF TG_OP <> 'INSERT' THEN {_remove('OLD')} END IF;"
    f" IF TG_OP <> 'DELETE' THEN {_add('NEW')} END IF;"
    " RETURN NULL; END $$",
    f"CREATE TRIGGER case_counts_track AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} ON cases"
    " FOR EACH ROW EXECUTE FUNCTION case_counts_track()",
)
DROP = {
    "sqlite": ("DROP TRIGGER IF EXISTS case_counts_insert", "DROP TRIGGER IF EXISTS case_counts_delete",
               "DROP TRIGGER IF EXISTS case_counts_update", "DROP TABLE IF EXISTS case_counts"),
    "postgresql": ("DROP TRIGGER IF EXISTS case_counts_track ON cases", "DROP FUNCTION IF EXISTS case_counts_track()",
                   "DROP TABLE IF EXISTS case_counts"),
}


def create_counter(connection: Connection) -> None:
    """The table, its triggers, and its rows for the cases already there (the migration)."""
    connection.execute(text(CREATE_TABLE))
    for statement in SQLITE_TRIGGERS if connection.dialect.name == "sqlite" else PG_TRIGGERS:
        connection.execute(text(statement))
    rebuild_counts(connection)


def rebuild_counts(connection: Connection) -> None:
    """Recount from the cases (after a bulk load that bypassed the triggers)."""
    connection.execute(text("DELETE FROM case_counts"))
    connection.execute(text(
        f"INSERT INTO case_counts (committee_id, desk_id, stage, dispute_type_code, risk_colour, n)"
        f" SELECT {_key('cases')}, count(*) FROM cases GROUP BY {_key('cases')}"
    ))


def counter_conditions(flt: Any) -> list[ColumnElement[bool]] | None:
    """The filter as conditions on the counter table, or None when it has a criterion the
    counter cannot answer (a search, or any filter field added later)."""
    values = {k: v for k, v in dataclasses.asdict(flt).items() if v not in (None, "")}
    if set(values) - set(COUNTED):
        return None
    found: list[ColumnElement[bool]] = []
    for name, value in values.items():
        if name == "dispute_type_code":  # a parent code also matches its sub-codes
            found.append(counter.c.dispute_type_code.like(f"{value}%"))
        else:
            found.append(counter.c[name] == value)
    return found


def counted(session: Session, flt: Any) -> int | None:
    """The number of cases matching `flt` from the counter table, or None if it cannot say."""
    conditions = counter_conditions(flt)
    if conditions is None:
        return None
    return int(session.scalar(select(func.coalesce(func.sum(counter.c.n), 0)).where(*conditions)) or 0)
