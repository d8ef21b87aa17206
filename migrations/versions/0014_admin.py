"""admin: committees get their own agreement-number pattern (no longer derived from the case
pattern by replacing 人调字, which collided when the case pattern lacked it)

Revision ID: 0014_admin
Revises: 0005_deadline_settings
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_admin"
down_revision = "0005_deadline_settings"
branch_labels = None
depends_on = None

DEFAULT_AGREEMENT_PATTERN = "{代字}人调协字〔{YYYY}〕{n}号"


def upgrade() -> None:
    with op.batch_alter_table("committees") as batch:
        batch.add_column(sa.Column("agreement_number_pattern", sa.String(length=80), nullable=True))
    committees = sa.table("committees", sa.column("number_pattern", sa.String), sa.column("agreement_number_pattern", sa.String))
    # Keep the numbers existing centres already issue: 人调字 → 人调协字 as before; a pattern
    # without 人调字 gets the default agreement pattern (its old agreements collided anyway).
    op.execute(committees.update().values(agreement_number_pattern=sa.case(
        (committees.c.number_pattern.like("%人调字%"), sa.func.replace(committees.c.number_pattern, "人调字", "人调协字")),
        else_=DEFAULT_AGREEMENT_PATTERN,
    )))
    with op.batch_alter_table("committees") as batch:
        batch.alter_column("agreement_number_pattern", existing_type=sa.String(length=80), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("committees") as batch:
        batch.drop_column("agreement_number_pattern")
