"""Payments: payouts, payout lines, collection receipts

Revision ID: payments_0001
"""
import sqlalchemy as sa
from alembic import op

import xborder.db

revision = 'payments_0001'
down_revision = None
branch_labels = ('payments',)
depends_on = 'core_0001'


def upgrade() -> None:
    op.create_table('payments_payouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=24), nullable=False),
    sa.Column('payout_ref', sa.String(length=100), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('total', xborder.db.ScaledDecimal(4), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('deposit_date', sa.Date(), nullable=True),
    sa.Column('marketplace', sa.String(length=8), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_payments_payouts_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments_payouts')),
    sa.UniqueConstraint('org_id', 'provider', 'payout_ref', name=op.f('uq_payments_payouts_org_id_provider_payout_ref'))
    )
    with op.batch_alter_table('payments_payouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_payouts_org_id'), ['org_id'], unique=False)

    op.create_table('payments_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=24), nullable=False),
    sa.Column('ref', sa.String(length=100), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('fee', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('fx_rate', xborder.db.ScaledDecimal(8), nullable=True),
    sa.Column('target_amount', xborder.db.ScaledDecimal(4), nullable=True),
    sa.Column('target_currency', sa.String(length=3), nullable=True),
    sa.Column('counterparty', sa.String(length=200), nullable=True),
    sa.Column('store', sa.String(length=100), nullable=True),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_payments_receipts_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments_receipts')),
    sa.UniqueConstraint('org_id', 'provider', 'ref', name=op.f('uq_payments_receipts_org_id_provider_ref'))
    )
    with op.batch_alter_table('payments_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_receipts_org_id'), ['org_id'], unique=False)

    op.create_table('payments_payout_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payout_id', sa.Integer(), nullable=False),
    sa.Column('line_key', sa.String(length=32), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=True),
    sa.Column('transaction_type', sa.String(length=60), nullable=True),
    sa.Column('amount_type', sa.String(length=60), nullable=True),
    sa.Column('description', sa.String(length=120), nullable=True),
    sa.Column('fee_class', sa.String(length=20), nullable=False),
    sa.Column('unexpected', sa.Boolean(), nullable=False),
    sa.Column('amount', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('order_ref', sa.String(length=64), nullable=True),
    sa.Column('sku', sa.String(length=128), nullable=True),
    sa.Column('quantity', xborder.db.ScaledDecimal(4), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_payments_payout_lines_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['payout_id'], ['payments_payouts.id'], name=op.f('fk_payments_payout_lines_payout_id_payments_payouts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments_payout_lines')),
    sa.UniqueConstraint('org_id', 'line_key', name=op.f('uq_payments_payout_lines_org_id_line_key'))
    )
    with op.batch_alter_table('payments_payout_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_payout_lines_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_payout_lines_payout_id'), ['payout_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('payments_payout_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_payout_lines_payout_id'))
        batch_op.drop_index(batch_op.f('ix_payments_payout_lines_org_id'))

    op.drop_table('payments_payout_lines')
    with op.batch_alter_table('payments_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_receipts_org_id'))

    op.drop_table('payments_receipts')
    with op.batch_alter_table('payments_payouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_payouts_org_id'))

    op.drop_table('payments_payouts')
