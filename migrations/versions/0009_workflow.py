"""workflow doors: the arbitration application records whether a labour/personnel relation exists
(the 劳动人事争议 track's precondition, checked on every move into 裁); the 诉调对接 register
keeps the court a 司法确认 was applied to and the day the 调解书 was issued

Revision ID: 0009_workflow
Revises: 0005_deadline_settings
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_workflow"
down_revision = "0005_deadline_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("arbitration_records") as batch:
        batch.add_column(sa.Column("employment_relation", sa.Boolean(), server_default="0", nullable=False))
    with op.batch_alter_table("court_referrals") as batch:
        batch.add_column(sa.Column("confirmation_court", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("decree_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("court_referrals") as batch:
        batch.drop_column("decree_on")
        batch.drop_column("confirmation_court")
    with op.batch_alter_table("arbitration_records") as batch:
        batch.drop_column("employment_relation")
