"""Copy the generator's SQLite file into a new PostgreSQL database with COPY, for the benchmarks.

The schema comes from the app's migrations; every table the file holds is copied in foreign-key
order (triggers off while copying), then the search index is built by the app's own bulk path
(models/cases/search.py), the counter recounted (models/cases/counts.py), sequences moved past
the copied ids, and the tables vacuumed and analysed (as autovacuum would leave them).
Usage: python bench/load_postgres.py FILE.db postgresql+psycopg://postgres@127.0.0.1:5432/NAME"""

from __future__ import annotations

import argparse
import sqlite3
import time
from typing import Any, cast

import psycopg
from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.engine import make_url

from models.cases.counts import rebuild_counts
from models.cases.search import PARTY_ROWS, iter_case_terms, pg_terms
from models.db import open_database
from models.schema import metadata

SKIPPED = {"alembic_version", "case_search", "case_counts"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sqlite_file")
    parser.add_argument("url")
    args = parser.parse_args()
    started = time.perf_counter()
    _recreate(args.url)
    db = open_database(args.url)  # migrations: the same schema the app makes
    source = sqlite3.connect(args.sqlite_file)
    with db.engine.connect() as conn:
        # the psycopg connection under SQLAlchemy's (typed Any there): COPY is psycopg's own API
        raw = cast("psycopg.Connection[Any]", conn.connection.driver_connection)
        raw.execute("SET TIME ZONE 'UTC'")  # SQLite keeps UTC timestamps without a zone
        raw.execute("SET session_replication_role = replica")  # no FK checks or triggers while copying
        tables = set(inspect(conn).get_table_names()) - SKIPPED
        for table in (t.name for t in metadata.sorted_tables if t.name in tables):
            rows = _copy(source, raw, table)
            print(f"{table:28} {rows:>10,} rows  {time.perf_counter() - started:6.0f} s", flush=True)
        raw.execute("SET session_replication_role = origin")
        _index(source, raw)
        print(f"{'case_search':28} built  {time.perf_counter() - started:6.0f} s", flush=True)
        rebuild_counts(conn)
        _reset_sequences(conn, tables)
        conn.commit()
    db.engine.dispose()
    _vacuum(args.url)
    print(f"loaded in {time.perf_counter() - started:.0f} s")


def _recreate(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()


def _copy(source: sqlite3.Connection, raw: psycopg.Connection[Any], table: str) -> int:
    pg_columns = {c.name for c in metadata.tables[table].columns}
    columns = [r[1] for r in source.execute(f'PRAGMA table_info("{table}")') if r[1] in pg_columns]
    names = ", ".join(f'"{c}"' for c in columns)
    raw.execute(f'DELETE FROM "{table}"')
    count = 0
    with raw.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in source.execute(f'SELECT {names} FROM "{table}"'):
            copy.write_row(row)
            count += 1
    return count


def _index(source: sqlite3.Connection, raw: psycopg.Connection[Any]) -> None:
    with raw.cursor().copy("COPY case_search (case_id, terms) FROM STDIN") as copy:
        for case_id, terms in iter_case_terms(source.execute(PARTY_ROWS)):
            copy.write_row((case_id, pg_terms(terms)))


def _reset_sequences(conn: Connection, tables: set[str]) -> None:
    for table in sorted(tables):
        if "id" in metadata.tables[table].columns and metadata.tables[table].c.id.autoincrement is not False:
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1)) FROM \"{table}\""
                f" WHERE pg_get_serial_sequence('{table}', 'id') IS NOT NULL"
            ))


def _vacuum(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE)")
    engine.dispose()


if __name__ == "__main__":
    main()
