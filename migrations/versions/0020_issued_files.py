"""issued files: the register links a DOCX to its PDF twin in the content-addressed store

The issued file itself needs no column: `issued_documents.sha256` already is its key in
`stored_blobs`. A plain ADD COLUMN (no batch): the register's no-update triggers stay in place.

Revision ID: 0020_issued_files
Revises: 0015_blobs
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_issued_files"
down_revision = "0019_document_fields"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("issued_documents", sa.Column("pdf_twin_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("issued_documents", "pdf_twin_sha256")
