"""deadline settings: the centre's 人民调解 general limit and complexity table (one row; the engine's
defaults apply while it is absent)

Revision ID: 0005_deadline_settings
Revises: 0003_workflow
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_deadline_settings"
down_revision = "0003_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deadline_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("general_length", sa.Integer(), nullable=False),
        sa.Column("general_unit", sa.String(length=12), nullable=False),
        sa.Column("simple_days", sa.Integer(), nullable=False),
        sa.Column("ordinary_days", sa.Integer(), nullable=False),
        sa.Column("complex_days", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_settings")),
    )


def downgrade() -> None:
    op.drop_table("deadline_settings")
