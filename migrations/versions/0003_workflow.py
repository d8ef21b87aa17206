"""workflow: deadline instances and extensions, editable calendar, supervision thresholds and
督办 orders, dispatch history, level moves and 会诊, the 诉调对接 register, arbitration records

Revision ID: 0003_workflow
Revises: 0001_baseline
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_workflow"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days'))
    )
    op.create_table('supervision_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('blue_days_before', sa.Integer(), nullable=False),
    sa.Column('yellow_days_overdue', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_settings'))
    )
    op.create_table('arbitration_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('track', sa.String(length=20), nullable=False),
    sa.Column('commission', sa.String(length=60), nullable=False),
    sa.Column('has_agreement', sa.Boolean(), nullable=False),
    sa.Column('knew_on', sa.Date(), nullable=True),
    sa.Column('applied_on', sa.Date(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('case_number', sa.String(length=40), nullable=True),
    sa.Column('award_on', sa.Date(), nullable=True),
    sa.Column('award_served_on', sa.Date(), nullable=True),
    sa.Column('result', sa.String(length=20), nullable=True),
    sa.Column('sued_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_arbitration_records_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arbitration_records'))
    )
    with op.batch_alter_table('arbitration_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arbitration_records_case_id'), ['case_id'], unique=False)

    op.create_table('case_deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('rule_code', sa.String(length=30), nullable=False),
    sa.Column('trigger_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('base_due', sa.Date(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_deadlines_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_deadlines')),
    sa.UniqueConstraint('case_id', 'rule_code', 'trigger_date', name='uq_case_deadlines_case_rule_trigger')
    )
    with op.batch_alter_table('case_deadlines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_deadlines_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_case_deadlines_open_due', ['completed_on', 'due_date'], unique=False)

    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('host', sa.String(length=50), nullable=False),
    sa.Column('departments', sa.Text(), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('conclusion', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_consultations_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_consultations_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_case_id'), ['case_id'], unique=False)

    op.create_table('court_referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('court', sa.String(length=60), nullable=False),
    sa.Column('tribunal', sa.String(length=60), nullable=True),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('procedure', sa.String(length=4), nullable=True),
    sa.Column('pre_suit_number', sa.String(length=40), nullable=True),
    sa.Column('odr_number', sa.String(length=40), nullable=True),
    sa.Column('cause', sa.String(length=60), nullable=False),
    sa.Column('claim_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('outcome_reason', sa.String(length=30), nullable=True),
    sa.Column('closing_method', sa.String(length=20), nullable=True),
    sa.Column('concluded_on', sa.Date(), nullable=True),
    sa.Column('failure_report', sa.Text(), nullable=False),
    sa.Column('agreement_effective_on', sa.Date(), nullable=True),
    sa.Column('confirmation_applied_on', sa.Date(), nullable=True),
    sa.Column('confirmation_accepted_on', sa.Date(), nullable=True),
    sa.Column('confirmation_number', sa.String(length=40), nullable=True),
    sa.Column('ruling', sa.String(length=10), nullable=True),
    sa.Column('ruling_on', sa.Date(), nullable=True),
    sa.Column('decree_number', sa.String(length=40), nullable=True),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('filing_number', sa.String(length=40), nullable=True),
    sa.Column('trial_procedure', sa.String(length=4), nullable=True),
    sa.Column('trial_concluded_on', sa.Date(), nullable=True),
    sa.Column('performance', sa.String(length=10), nullable=True),
    sa.Column('performance_due', sa.Date(), nullable=True),
    sa.Column('enforcement_applied_on', sa.Date(), nullable=True),
    sa.Column('enforcement_number', sa.String(length=40), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_court_referrals_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_court_referrals')),
    sa.UniqueConstraint('case_id', name=op.f('uq_court_referrals_case_id')),
    sa.UniqueConstraint('pre_suit_number', name=op.f('uq_court_referrals_pre_suit_number'))
    )
    with op.batch_alter_table('court_referrals', schema=None) as batch_op:
        batch_op.create_index('ix_court_referrals_referred', ['referred_on', 'id'], unique=False)

    op.create_table('level_moves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=True),
    sa.Column('to_unit_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_level_moves_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['from_unit_id'], ['org_units.id'], name=op.f('fk_level_moves_from_unit_id_org_units')),
    sa.ForeignKeyConstraint(['to_unit_id'], ['org_units.id'], name=op.f('fk_level_moves_to_unit_id_org_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_level_moves_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_level_moves'))
    )
    with op.batch_alter_table('level_moves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_level_moves_case_id'), ['case_id'], unique=False)

    op.create_table('supervision_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=4), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_by_name', sa.String(length=50), nullable=False),
    sa.Column('requirement', sa.Text(), nullable=False),
    sa.Column('reply_due', sa.Date(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('replied_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_supervision_orders_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_supervision_orders_issued_by_id_users')),
    sa.ForeignKeyConstraint(['replied_by_id'], ['users.id'], name=op.f('fk_supervision_orders_replied_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_supervision_orders_number')),
    sa.UniqueConstraint('year', 'seq', name='uq_supervision_orders_year_seq')
    )
    with op.batch_alter_table('supervision_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_orders_case_id'), ['case_id'], unique=False)

    op.create_table('deadline_extensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deadline_id', sa.Integer(), nullable=False),
    sa.Column('granted_on', sa.Date(), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['deadline_id'], ['case_deadlines.id'], name=op.f('fk_deadline_extensions_deadline_id_case_deadlines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_deadline_extensions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_extensions'))
    )
    with op.batch_alter_table('deadline_extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_extensions_deadline_id'), ['deadline_id'], unique=False)

    op.create_table('dispatch_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispatch_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('step', sa.String(length=4), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=True),
    sa.Column('to_status', sa.String(length=10), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('desk_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('satisfaction', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['desk_id'], ['desks.id'], name=op.f('fk_dispatch_events_desk_id_desks')),
    sa.ForeignKeyConstraint(['dispatch_id'], ['dispatches.id'], name=op.f('fk_dispatch_events_dispatch_id_dispatches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_dispatch_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_events'))
    )
    with op.batch_alter_table('dispatch_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatch_events_dispatch_id'), ['dispatch_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dispatch_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatch_events_dispatch_id'))

    op.drop_table('dispatch_events')
    with op.batch_alter_table('deadline_extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_extensions_deadline_id'))

    op.drop_table('deadline_extensions')
    with op.batch_alter_table('supervision_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_orders_case_id'))

    op.drop_table('supervision_orders')
    with op.batch_alter_table('level_moves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_level_moves_case_id'))

    op.drop_table('level_moves')
    with op.batch_alter_table('court_referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_court_referrals_referred')

    op.drop_table('court_referrals')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_case_id'))

    op.drop_table('consultations')
    with op.batch_alter_table('case_deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_case_deadlines_open_due')
        batch_op.drop_index(batch_op.f('ix_case_deadlines_case_id'))

    op.drop_table('case_deadlines')
    with op.batch_alter_table('arbitration_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arbitration_records_case_id'))

    op.drop_table('arbitration_records')
    op.drop_table('supervision_settings')
    op.drop_table('calendar_days')
