"""analysis: 防激化 records, the centre's 考核 weights, legacy values of imported ledger rows

Revision ID: 0012_analysis
Revises: 0009_workflow
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.base


revision = '0012_analysis'
down_revision = "0009_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assessment_weights',
    sa.Column('indicator', sa.String(length=20), nullable=False),
    sa.Column('weight', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('indicator', name=op.f('pk_assessment_weights'))
    )
    op.create_table('legacy_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('natural_key', sa.String(length=64), nullable=False),
    sa.Column('legacy_number', sa.String(length=80), nullable=True),
    sa.Column('legacy_id_numbers', sa.Text(), nullable=False),
    sa.Column('id_flagged', sa.Boolean(), nullable=False),
    sa.Column('source_file', sa.String(length=200), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=False),
    sa.Column('imported_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_legacy_records_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legacy_records')),
    sa.UniqueConstraint('case_id', name=op.f('uq_legacy_records_case_id')),
    sa.UniqueConstraint('natural_key', name=op.f('uq_legacy_records_natural_key'))
    )
    op.create_table('prevention_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('persons', sa.Integer(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_prevention_records_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_prevention_records_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prevention_records'))
    )
    with op.batch_alter_table('prevention_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prevention_records_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prevention_records_recorded_on'), ['recorded_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('prevention_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prevention_records_recorded_on'))
        batch_op.drop_index(batch_op.f('ix_prevention_records_case_id'))

    op.drop_table('prevention_records')
    op.drop_table('legacy_records')
    op.drop_table('assessment_weights')
