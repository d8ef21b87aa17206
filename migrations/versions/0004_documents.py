"""Agreements and the register of issued documents (immutable: triggers refuse UPDATE/DELETE).

Revision ID: 0004_documents
Revises: 0001_baseline
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_documents"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

MESSAGE = "已出具的文书不可修改或删除，请出具更正文书"
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER issued_documents_no_{verb.lower()} BEFORE {verb} ON issued_documents "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    for verb in ("UPDATE", "DELETE")
]
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION issued_documents_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql
"""
PG_TRIGGER = (
    "CREATE TRIGGER issued_documents_immutable BEFORE UPDATE OR DELETE ON issued_documents "
    "FOR EACH ROW EXECUTE FUNCTION issued_documents_immutable()"
)


def upgrade() -> None:
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("oral", sa.Boolean(), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("performance", sa.Text(), nullable=False),
        sa.Column("performance_deadline", sa.Date(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("confirmation_notice", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_agreements_case_id_cases"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
        sa.UniqueConstraint("number", name=op.f("uq_agreements_number")),
    )
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreements_case_id"), ["case_id"], unique=False)
    op.create_table(
        "issued_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("number", sa.String(length=80), nullable=False),
        sa.Column("file_format", sa.String(length=4), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_issued_documents_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["corrects_id"], ["issued_documents.id"], name=op.f("fk_issued_documents_corrects_id_issued_documents")
        ),
        sa.ForeignKeyConstraint(["issued_by_id"], ["users.id"], name=op.f("fk_issued_documents_issued_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_documents")),
    )
    with op.batch_alter_table("issued_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issued_documents_case_id"), ["case_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("issued_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_documents_case_id"))
    op.drop_table("issued_documents")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS issued_documents_immutable()")
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreements_case_id"))
    op.drop_table("agreements")
