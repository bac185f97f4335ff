"""Catalog: products, SKUs, listings

Revision ID: catalog_0001
"""
import sqlalchemy as sa
from alembic import op

import xborder.db

revision = 'catalog_0001'
down_revision = None
branch_labels = ('catalog',)
depends_on = 'core_0001'


def upgrade() -> None:
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_zh', sa.String(length=300), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_products_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('org_id', 'code', name=op.f('uq_products_org_id_code'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_org_id'), ['org_id'], unique=False)

    op.create_table('skus',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_zh', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('brand', sa.String(length=100), nullable=False),
    sa.Column('material', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('weight_g', xborder.db.ScaledDecimal(4), nullable=True),
    sa.Column('length_cm', xborder.db.ScaledDecimal(4), nullable=True),
    sa.Column('width_cm', xborder.db.ScaledDecimal(4), nullable=True),
    sa.Column('height_cm', xborder.db.ScaledDecimal(4), nullable=True),
    sa.Column('origin', sa.String(length=2), nullable=False),
    sa.Column('hs_code', sa.String(length=10), nullable=True),
    sa.Column('hs_version', sa.String(length=4), nullable=False),
    sa.Column('battery', sa.Boolean(), nullable=False),
    sa.Column('liquid', sa.Boolean(), nullable=False),
    sa.Column('magnet', sa.Boolean(), nullable=False),
    sa.Column('powder', sa.Boolean(), nullable=False),
    sa.Column('purchase_cost', xborder.db.ScaledDecimal(4), nullable=True),
    sa.Column('purchase_currency', sa.String(length=3), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('barcode', sa.String(length=14), nullable=True),
    sa.Column('rebate_rate', xborder.db.ScaledDecimal(8), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_skus_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_skus_product_id_products'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skus')),
    sa.UniqueConstraint('org_id', 'sku', name=op.f('uq_skus_org_id_sku'))
    )
    with op.batch_alter_table('skus', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skus_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_skus_product_id'), ['product_id'], unique=False)

    op.create_table('listings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=30), nullable=False),
    sa.Column('listing_id', sa.String(length=100), nullable=False),
    sa.Column('seller_sku', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=True),
    sa.Column('price', xborder.db.ScaledDecimal(4), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_listings_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_listings_sku_id_skus'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listings')),
    sa.UniqueConstraint('org_id', 'channel', 'listing_id', 'seller_sku', name=op.f('uq_listings_org_id_channel_listing_id_seller_sku'))
    )
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listings_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_listings_sku_id'), ['sku_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listings_sku_id'))
        batch_op.drop_index(batch_op.f('ix_listings_org_id'))

    op.drop_table('listings')
    with op.batch_alter_table('skus', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skus_product_id'))
        batch_op.drop_index(batch_op.f('ix_skus_org_id'))

    op.drop_table('skus')
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_user_id'))

    op.drop_table('products')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_org_id'))
