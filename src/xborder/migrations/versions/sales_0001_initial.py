"""Sales: orders, order lines, saved import mappings

Revision ID: sales_0001
"""
import sqlalchemy as sa
from alembic import op

import xborder.db

revision = 'sales_0001'
down_revision = None
branch_labels = ('sales',)
depends_on = 'core_0001'


def upgrade() -> None:
    op.create_table('sales_import_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('spec', sa.Text(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_sales_import_mappings_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_import_mappings')),
    sa.UniqueConstraint('org_id', 'kind', 'name', name=op.f('uq_sales_import_mappings_org_id_kind_name'))
    )
    with op.batch_alter_table('sales_import_mappings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_import_mappings_org_id'), ['org_id'], unique=False)

    op.create_table('sales_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('order_ref', sa.String(length=64), nullable=False),
    sa.Column('market', sa.String(length=64), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('purchased_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('fulfillment', sa.String(length=16), nullable=True),
    sa.Column('ship_country', sa.String(length=64), nullable=True),
    sa.Column('order_total', xborder.db.ScaledDecimal(4), nullable=True),
    sa.Column('shipping_total', xborder.db.ScaledDecimal(4), nullable=True),
    sa.Column('source_format', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_sales_orders_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_orders')),
    sa.UniqueConstraint('org_id', 'channel', 'order_ref', name=op.f('uq_sales_orders_org_id_channel_order_ref'))
    )
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_orders_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_orders_purchased_at'), ['purchased_at'], unique=False)

    op.create_table('sales_order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('line_ref', sa.String(length=64), nullable=False),
    sa.Column('platform_sku', sa.String(length=128), nullable=False),
    sa.Column('listing_ref', sa.String(length=64), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('quantity', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('item_price', xborder.db.ScaledDecimal(4), nullable=True),
    sa.Column('item_tax', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('shipping_price', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('shipping_tax', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('discount', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_sales_order_lines_order_id_sales_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_sales_order_lines_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_order_lines')),
    sa.UniqueConstraint('order_id', 'line_ref', name=op.f('uq_sales_order_lines_order_id_line_ref'))
    )
    with op.batch_alter_table('sales_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_order_lines_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_order_lines_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_order_lines_platform_sku'), ['platform_sku'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sales_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_order_lines_platform_sku'))
        batch_op.drop_index(batch_op.f('ix_sales_order_lines_org_id'))
        batch_op.drop_index(batch_op.f('ix_sales_order_lines_order_id'))

    op.drop_table('sales_order_lines')
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_orders_purchased_at'))
        batch_op.drop_index(batch_op.f('ix_sales_orders_org_id'))

    op.drop_table('sales_orders')
    with op.batch_alter_table('sales_import_mappings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_import_mappings_org_id'))

    op.drop_table('sales_import_mappings')
