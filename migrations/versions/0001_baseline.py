"""baseline schema

Revision ID: 0001_baseline
Revises: 
Create Date: 2026-11-22

Also creates, on SQLite only, the per-character FTS5 table behind party-name search
(trigram cannot match 1–2 character names; see docs/DECISIONS.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001_baseline'
down_revision = None
branch_labels = None
depends_on = None

CREATE_CASE_SEARCH = (
    "CREATE VIRTUAL TABLE case_search USING fts5(names, phones, ids, tokenize='unicode61')"
)


def upgrade() -> None:
    op.create_table('desks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desks')),
    sa.UniqueConstraint('name', name=op.f('uq_desks_name'))
    )
    op.create_table('dispute_types',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('parent_code', sa.String(length=8), nullable=True),
    sa.Column('legacy_alias', sa.String(length=100), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['dispute_types.code'], name=op.f('fk_dispute_types_parent_code_dispute_types')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_dispute_types'))
    )
    op.create_table('org_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['org_units.id'], name=op.f('fk_org_units_parent_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_units')),
    sa.UniqueConstraint('parent_id', 'name', name='uq_org_units_parent_name')
    )
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_units_parent_id'), ['parent_id'], unique=False)

    op.create_table('committees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('number_pattern', sa.String(length=80), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('desk_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['desk_id'], ['desks.id'], name=op.f('fk_committees_desk_id_desks')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_committees_org_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committees')),
    sa.UniqueConstraint('name', name=op.f('uq_committees_name'))
    )
    op.create_table('number_sequences',
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['committee_id'], ['committees.id'], name=op.f('fk_number_sequences_committee_id_committees')),
    sa.PrimaryKeyConstraint('committee_id', 'year', 'kind', name=op.f('pk_number_sequences'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=50), nullable=False),
    sa.Column('display_name', sa.String(length=50), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=True),
    sa.Column('committee_id', sa.Integer(), nullable=True),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['committee_id'], ['committees.id'], name=op.f('fk_users_committee_id_committees')),
    sa.ForeignKeyConstraint(['desk_id'], ['desks.id'], name=op.f('fk_users_desk_id_desks')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_users_org_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_desk_id'), ['desk_id'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('committee_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=True),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('source_channel', sa.String(length=20), nullable=False),
    sa.Column('dispute_type_code', sa.String(length=8), nullable=False),
    sa.Column('risk_colour', sa.String(length=2), nullable=True),
    sa.Column('complexity', sa.String(length=10), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('people_involved', sa.Integer(), nullable=False),
    sa.Column('mass_incident', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.String(length=200), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('claims', sa.Text(), nullable=False),
    sa.Column('stage', sa.String(length=4), nullable=False),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('mediation_kind', sa.String(length=20), nullable=True),
    sa.Column('docking_channel', sa.String(length=4), nullable=True),
    sa.Column('mediation_outcome', sa.String(length=10), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('arbitration_track', sa.String(length=20), nullable=True),
    sa.Column('arbitration_result', sa.String(length=20), nullable=True),
    sa.Column('court_outcome', sa.String(length=20), nullable=True),
    sa.Column('followup_satisfaction', sa.String(length=10), nullable=True),
    sa.Column('mediator_id', sa.Integer(), nullable=True),
    sa.Column('first_handler_id', sa.Integer(), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('received_date', sa.Date(), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['committee_id'], ['committees.id'], name=op.f('fk_cases_committee_id_committees')),
    sa.ForeignKeyConstraint(['desk_id'], ['desks.id'], name=op.f('fk_cases_desk_id_desks')),
    sa.ForeignKeyConstraint(['dispute_type_code'], ['dispute_types.code'], name=op.f('fk_cases_dispute_type_code_dispute_types')),
    sa.ForeignKeyConstraint(['first_handler_id'], ['users.id'], name=op.f('fk_cases_first_handler_id_users')),
    sa.ForeignKeyConstraint(['mediator_id'], ['users.id'], name=op.f('fk_cases_mediator_id_users')),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id'], name=op.f('fk_cases_org_unit_id_org_units')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_cases_registered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('committee_id', 'year', 'seq', name='uq_cases_committee_year_seq'),
    sa.UniqueConstraint('number', name=op.f('uq_cases_number'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_desk_received', ['desk_id', 'received_date', 'id'], unique=False)
        batch_op.create_index('ix_cases_received', ['received_date', 'id'], unique=False)
        batch_op.create_index('ix_cases_risk_received', ['risk_colour', 'received_date', 'id'], unique=False)
        batch_op.create_index('ix_cases_stage_received', ['stage', 'received_date', 'id'], unique=False)
        batch_op.create_index('ix_cases_type_received', ['dispute_type_code', 'received_date', 'id'], unique=False)

    op.create_table('dispatches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_dispatches_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_dispatches_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatches'))
    )
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatches_case_id'), ['case_id'], unique=False)

    op.create_table('parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=6), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('sex', sa.String(length=2), nullable=True),
    sa.Column('ethnicity', sa.String(length=10), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('occupation', sa.String(length=100), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('id_type', sa.String(length=20), nullable=True),
    sa.Column('id_number', sa.String(length=30), nullable=True),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('legal_rep', sa.String(length=50), nullable=True),
    sa.Column('legal_rep_title', sa.String(length=50), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_parties_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parties'))
    )
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parties_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_parties_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_parties_phone'), ['phone'], unique=False)

    op.create_table('stage_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_stage', sa.String(length=4), nullable=True),
    sa.Column('to_stage', sa.String(length=4), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('desk_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_stage_events_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['desk_id'], ['desks.id'], name=op.f('fk_stage_events_desk_id_desks')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_stage_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_events'))
    )
    with op.batch_alter_table('stage_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_events_case_id'), ['case_id'], unique=False)

    op.create_table('agents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=True),
    sa.Column('authority', sa.String(length=10), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['parties.id'], name=op.f('fk_agents_party_id_parties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agents'))
    )
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agents_party_id'), ['party_id'], unique=False)

    op.create_table('dispatch_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispatch_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=6), nullable=False),
    sa.Column('unit_name', sa.String(length=100), nullable=False),
    sa.Column('desk_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['desk_id'], ['desks.id'], name=op.f('fk_dispatch_targets_desk_id_desks')),
    sa.ForeignKeyConstraint(['dispatch_id'], ['dispatches.id'], name=op.f('fk_dispatch_targets_dispatch_id_dispatches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_dispatch_targets_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_targets'))
    )
    with op.batch_alter_table('dispatch_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatch_targets_dispatch_id'), ['dispatch_id'], unique=False)


    if op.get_bind().dialect.name == "sqlite":
        op.execute(CREATE_CASE_SEARCH)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS case_search")
    with op.batch_alter_table('dispatch_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatch_targets_dispatch_id'))

    op.drop_table('dispatch_targets')
    with op.batch_alter_table('agents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agents_party_id'))

    op.drop_table('agents')
    with op.batch_alter_table('stage_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_events_case_id'))

    op.drop_table('stage_events')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parties_phone'))
        batch_op.drop_index(batch_op.f('ix_parties_id_number'))
        batch_op.drop_index(batch_op.f('ix_parties_case_id'))

    op.drop_table('parties')
    with op.batch_alter_table('dispatches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatches_case_id'))

    op.drop_table('dispatches')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_type_received')
        batch_op.drop_index('ix_cases_stage_received')
        batch_op.drop_index('ix_cases_risk_received')
        batch_op.drop_index('ix_cases_received')
        batch_op.drop_index('ix_cases_desk_received')

    op.drop_table('cases')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_desk_id'))

    op.drop_table('users')
    op.drop_table('number_sequences')
    op.drop_table('committees')
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_units_parent_id'))

    op.drop_table('org_units')
    op.drop_table('dispute_types')
    op.drop_table('desks')
