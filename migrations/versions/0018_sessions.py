"""sessions: mediation sessions as records (scheduled or held, mediators, parties with their
statements, agents present) and follow-up visits (回访) with the parties visited. New tables only.

Revision ID: 0018_sessions
Revises: 0011_pgsearch
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_sessions"
down_revision = "0020_issued_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mediation_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("others", sa.String(length=200), nullable=False),
        sa.Column("proposal", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_mediation_sessions_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_mediation_sessions_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_sessions")),
    )
    op.create_index(op.f("ix_mediation_sessions_case_id"), "mediation_sessions", ["case_id"])
    op.create_index(op.f("ix_mediation_sessions_held_on"), "mediation_sessions", ["held_on"])
    op.create_table(
        "mediation_session_mediators",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["mediation_sessions.id"],
                                name=op.f("fk_mediation_session_mediators_session_id_mediation_sessions"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_mediation_session_mediators_user_id_users")),
        sa.PrimaryKeyConstraint("session_id", "user_id", name=op.f("pk_mediation_session_mediators")),
    )
    op.create_table(
        "mediation_session_agents",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["mediation_sessions.id"],
                                name=op.f("fk_mediation_session_agents_session_id_mediation_sessions"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], name=op.f("fk_mediation_session_agents_agent_id_agents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", "agent_id", name=op.f("pk_mediation_session_agents")),
    )
    op.create_table(
        "mediation_session_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["mediation_sessions.id"],
                                name=op.f("fk_mediation_session_parties_session_id_mediation_sessions"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"], name=op.f("fk_mediation_session_parties_party_id_parties"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_session_parties")),
    )
    op.create_index(op.f("ix_mediation_session_parties_session_id"), "mediation_session_parties", ["session_id"])
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=4), nullable=False),
        sa.Column("performance", sa.String(length=6), nullable=False),
        sa.Column("performed_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("satisfaction", sa.String(length=10), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("visitor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_follow_ups_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["visitor_id"], ["users.id"], name=op.f("fk_follow_ups_visitor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    op.create_index(op.f("ix_follow_ups_case_id"), "follow_ups", ["case_id"])
    op.create_table(
        "follow_up_parties",
        sa.Column("follow_up_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["follow_up_id"], ["follow_ups.id"], name=op.f("fk_follow_up_parties_follow_up_id_follow_ups"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"], name=op.f("fk_follow_up_parties_party_id_parties"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("follow_up_id", "party_id", name=op.f("pk_follow_up_parties")),
    )


def downgrade() -> None:
    for table in ("follow_up_parties", "follow_ups", "mediation_session_parties", "mediation_session_agents",
                  "mediation_session_mediators", "mediation_sessions"):
        op.drop_table(table)
