"""anchor table: on PostgreSQL the automatic audit anchors are also kept in `audit_anchors`, which
the two-role set-up hands to the audit owner role (desks may only add and read rows), so every
desk's anchors are in one place that no desk can rewrite

Revision ID: 0023_anchor_table
Revises: 0015_blobs
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_anchor_table"
down_revision = "0015_blobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("place", sa.String(length=20), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":  # the same guard as audit_log's (0002)
        op.execute("CREATE TRIGGER audit_anchors_no_update_delete BEFORE UPDATE OR DELETE ON audit_anchors "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()")
        op.execute("CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()")
        op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_anchors FROM PUBLIC")


def downgrade() -> None:
    op.drop_table("audit_anchors")
