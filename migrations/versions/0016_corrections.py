"""作废 (void): cases.voided_at and cases.void_reason. A case registered in error keeps its number and
its rows; these two columns mark it, and the ledger and statistics leave it out.

Plain add_column (never batch mode on `cases`: recreating the table on SQLite drops the search and
count triggers of 0011_pgsearch).

Revision ID: 0016_corrections
Revises: 0011_pgsearch
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_corrections"
down_revision = "0023_anchor_table"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("cases", sa.Column("void_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite ≥ 3.35 drops a plain column in place (no table rebuild, so the triggers stay).
    op.drop_column("cases", "void_reason")
    op.drop_column("cases", "voided_at")
