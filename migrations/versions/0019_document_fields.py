"""documents: the agreement's 各方当事人的责任 and 违约责任 filled by the mediator; the centre's document
settings (double-sided page numbers, the basic court where the committees sit)

Revision ID: 0019_document_fields
Revises: 0011_pgsearch
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_document_fields"
down_revision = "0021_casefile"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain add_column (no batch): nothing here recreates a table.
    op.add_column("agreements", sa.Column("responsibilities", sa.Text(), nullable=False, server_default=""))
    op.add_column("agreements", sa.Column("breach_clause", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "document_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("double_sided", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("basic_court", sa.String(length=60), nullable=False, server_default=""),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )


def downgrade() -> None:
    op.drop_table("document_settings")
    op.drop_column("agreements", "breach_clause")
    op.drop_column("agreements", "responsibilities")
