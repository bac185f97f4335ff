"""Procurement: suppliers, price breaks, purchase orders, receipts, charges, purchase invoices, stock

Revision ID: procurement_0001
"""
import sqlalchemy as sa
from alembic import op

import xborder.db

revision = 'procurement_0001'
down_revision = None
branch_labels = ('procurement',)
depends_on = ('core_0001', 'catalog_0001')


def upgrade() -> None:

    op.create_table('suppliers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('moq', sa.Integer(), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('invoice_type', sa.String(length=20), nullable=False),
    sa.Column('vat_rate', xborder.db.ScaledDecimal(8), nullable=False),
    sa.Column('contact', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_suppliers_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    sa.UniqueConstraint('org_id', 'name', name=op.f('uq_suppliers_org_id_name'))
    )
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suppliers_org_id'), ['org_id'], unique=False)

    op.create_table('purchase_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=False),
    sa.Column('expected_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_purchase_orders_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_orders_supplier_id_suppliers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_orders')),
    sa.UniqueConstraint('org_id', 'number', name=op.f('uq_purchase_orders_org_id_number'))
    )
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_orders_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_orders_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('purchase_charges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('amount', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_charges_order_id_purchase_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_purchase_charges_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_charges'))
    )
    with op.batch_alter_table('purchase_charges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_charges_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_charges_org_id'), ['org_id'], unique=False)

    op.create_table('purchase_invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('invoice_date', sa.Date(), nullable=False),
    sa.Column('invoice_type', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('net_amount', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('vat_amount', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('vat_rate', xborder.db.ScaledDecimal(8), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_invoices_order_id_purchase_orders'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_purchase_invoices_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_invoices_supplier_id_suppliers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_invoices')),
    sa.UniqueConstraint('org_id', 'supplier_id', 'number', name=op.f('uq_purchase_invoices_org_id_supplier_id_number'))
    )
    with op.batch_alter_table('purchase_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_invoices_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_invoices_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_invoices_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('purchase_order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('quantity', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('unit_price', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('received_qty', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_order_lines_order_id_purchase_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_purchase_order_lines_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_purchase_order_lines_sku_id_skus'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order_lines'))
    )
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_sku_id'), ['sku_id'], unique=False)

    op.create_table('purchase_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_receipts_order_id_purchase_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_purchase_receipts_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_receipts'))
    )
    with op.batch_alter_table('purchase_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_receipts_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_receipts_org_id'), ['org_id'], unique=False)

    op.create_table('stock_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('on_hand', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('counted_on', sa.Date(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_stock_levels_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_stock_levels_sku_id_skus'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_levels')),
    sa.UniqueConstraint('org_id', 'sku_id', name=op.f('uq_stock_levels_org_id_sku_id'))
    )
    with op.batch_alter_table('stock_levels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_levels_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_levels_sku_id'), ['sku_id'], unique=False)

    op.create_table('supplier_prices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=False),
    sa.Column('min_qty', sa.Integer(), nullable=False),
    sa.Column('unit_price', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_supplier_prices_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_supplier_prices_sku_id_skus'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_prices_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_prices')),
    sa.UniqueConstraint('supplier_id', 'sku_id', 'min_qty', name=op.f('uq_supplier_prices_supplier_id_sku_id_min_qty'))
    )
    with op.batch_alter_table('supplier_prices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_prices_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_prices_sku_id'), ['sku_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_prices_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('purchase_invoice_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('quantity', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('net_amount', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('vat_amount', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['purchase_invoices.id'], name=op.f('fk_purchase_invoice_lines_invoice_id_purchase_invoices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_purchase_invoice_lines_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sku_id'], ['skus.id'], name=op.f('fk_purchase_invoice_lines_sku_id_skus'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_invoice_lines'))
    )
    with op.batch_alter_table('purchase_invoice_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_invoice_lines_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_invoice_lines_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_invoice_lines_sku_id'), ['sku_id'], unique=False)

    op.create_table('purchase_receipt_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('quantity', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_line_id'], ['purchase_order_lines.id'], name=op.f('fk_purchase_receipt_lines_order_line_id_purchase_order_lines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_purchase_receipt_lines_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['receipt_id'], ['purchase_receipts.id'], name=op.f('fk_purchase_receipt_lines_receipt_id_purchase_receipts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_receipt_lines'))
    )
    with op.batch_alter_table('purchase_receipt_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_receipt_lines_order_line_id'), ['order_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_receipt_lines_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_receipt_lines_receipt_id'), ['receipt_id'], unique=False)


def downgrade() -> None:


    with op.batch_alter_table('purchase_receipt_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_receipt_lines_receipt_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_receipt_lines_org_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_receipt_lines_order_line_id'))

    op.drop_table('purchase_receipt_lines')
    with op.batch_alter_table('purchase_invoice_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_invoice_lines_sku_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_invoice_lines_org_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_invoice_lines_invoice_id'))

    op.drop_table('purchase_invoice_lines')
    with op.batch_alter_table('supplier_prices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_prices_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_prices_sku_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_prices_org_id'))

    op.drop_table('supplier_prices')
    with op.batch_alter_table('stock_levels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_levels_sku_id'))
        batch_op.drop_index(batch_op.f('ix_stock_levels_org_id'))

    op.drop_table('stock_levels')
    with op.batch_alter_table('purchase_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_receipts_org_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_receipts_order_id'))

    op.drop_table('purchase_receipts')
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_sku_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_org_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_order_id'))

    op.drop_table('purchase_order_lines')
    with op.batch_alter_table('purchase_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_invoices_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_invoices_org_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_invoices_order_id'))

    op.drop_table('purchase_invoices')
    with op.batch_alter_table('purchase_charges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_charges_org_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_charges_order_id'))

    op.drop_table('purchase_charges')
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_orders_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_orders_org_id'))

    op.drop_table('purchase_orders')
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suppliers_org_id'))

    op.drop_table('suppliers')
