"""FX: stored dated rates, FX settlements

Revision ID: fx_0001
"""
import sqlalchemy as sa
from alembic import op

import xborder.db

revision = 'fx_0001'
down_revision = None
branch_labels = ('fx',)
depends_on = 'core_0001'


def upgrade() -> None:
    op.create_table('fx_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('pivot', sa.String(length=3), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rate', xborder.db.ScaledDecimal(8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fx_rates')),
    sa.UniqueConstraint('source', 'currency', 'day', name=op.f('uq_fx_rates_source_currency_day')),
    info={'global': True}
    )
    op.create_table('fx_settlements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('platform', sa.String(length=24), nullable=False),
    sa.Column('ref', sa.String(length=100), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('foreign_amount', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('cny_received', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('fee', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('quoted_rate', xborder.db.ScaledDecimal(8), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_fx_settlements_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fx_settlements')),
    sa.UniqueConstraint('org_id', 'platform', 'ref', name=op.f('uq_fx_settlements_org_id_platform_ref'))
    )
    with op.batch_alter_table('fx_settlements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fx_settlements_org_id'), ['org_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('fx_settlements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fx_settlements_org_id'))

    op.drop_table('fx_settlements')
    op.drop_table('fx_rates')
