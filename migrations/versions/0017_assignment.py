"""assignment: co-mediators of a case, the case's 包案领导, the agreement's effective date, and an
agent's ID number and 执业证号 (issue 10: stage moves, roles, intake)

Columns are added with plain add_column (never batch on `cases`: recreating it would drop the search
and count triggers of 0011_pgsearch).

Revision ID: 0017_assignment
Revises: 0011_pgsearch
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_assignment"
down_revision = "0016_corrections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_co_mediators",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), primary_key=True),
    )
    op.create_index("ix_case_co_mediators_user_id", "case_co_mediators", ["user_id"])
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot ALTER a constraint in; a REFERENCES clause on ADD COLUMN is allowed (no batch).
        op.execute("ALTER TABLE cases ADD COLUMN leader_id INTEGER REFERENCES users (id)")
    else:
        op.add_column("cases", sa.Column("leader_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_cases_leader_id_users", "cases", "users", ["leader_id"], ["id"])
    op.add_column("agreements", sa.Column("effective_on", sa.Date(), nullable=True))
    agreements = sa.table("agreements", sa.column("signed_on", sa.Date), sa.column("effective_on", sa.Date))
    # An agreement recorded before this column took effect on the day it was signed.
    op.execute(agreements.update().values(effective_on=agreements.c.signed_on))
    op.add_column("agents", sa.Column("id_number", sa.String(length=30), nullable=True))
    op.add_column("agents", sa.Column("license_no", sa.String(length=30), nullable=True))
    # The repeat-dispute check at intake looks parties up by exact name and by USCC.
    op.create_index("ix_parties_name", "parties", ["name"])
    op.create_index("ix_parties_uscc", "parties", ["uscc"])


def downgrade() -> None:
    op.drop_index("ix_parties_uscc", table_name="parties")
    op.drop_index("ix_parties_name", table_name="parties")
    op.drop_column("agents", "license_no")
    op.drop_column("agents", "id_number")
    op.drop_column("agreements", "effective_on")
    op.drop_column("cases", "leader_id")
    op.drop_index("ix_case_co_mediators_user_id", table_name="case_co_mediators")
    op.drop_table("case_co_mediators")
