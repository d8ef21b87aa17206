"""search and counts on both databases: pinyin in the SQLite FTS5 table, a GIN-indexed tsvector
table on PostgreSQL (models/cases/search.py), rebuilt from the parties; the case_counts counter
table and its triggers (models/cases/counts.py)

Revision ID: 0011_pgsearch
Revises: 0001_baseline
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

from models.cases.counts import DROP, create_counter
from models.cases.search import rebuild_index

revision = "0011_pgsearch"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

SQLITE_TABLE = "CREATE VIRTUAL TABLE case_search USING fts5(names, phones, ids, pinyin, tokenize='unicode61')"
OLD_SQLITE_TABLE = "CREATE VIRTUAL TABLE case_search USING fts5(names, phones, ids, tokenize='unicode61')"
SQLITE_CASCADE = (
    "CREATE TRIGGER case_search_cascade AFTER DELETE ON cases BEGIN DELETE FROM case_search WHERE rowid = OLD.id; END"
)
PG_TABLE = (
    "CREATE TABLE case_search (case_id integer PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,"
    " terms tsvector NOT NULL)"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS case_search")
        op.execute(SQLITE_TABLE)
        op.execute(SQLITE_CASCADE)  # PostgreSQL's REFERENCES … ON DELETE CASCADE, for FTS5
    else:
        op.execute(PG_TABLE)
        op.execute("CREATE INDEX case_search_terms ON case_search USING gin (terms)")
    rebuild_index(op.get_bind())
    create_counter(op.get_bind())


def downgrade() -> None:
    for statement in DROP[op.get_bind().dialect.name]:
        op.execute(statement)
    op.execute("DROP TABLE IF EXISTS case_search")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS case_search_cascade")
        op.execute(OLD_SQLITE_TABLE)
