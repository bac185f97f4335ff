"""Selection: research snapshots and listings, saved forecasts

Revision ID: selection_0001
"""
import sqlalchemy as sa
from alembic import op

import xborder.db

revision = 'selection_0001'
down_revision = None
branch_labels = ('selection',)
depends_on = ('core_0001',)


def upgrade() -> None:

    op.create_table('forecast_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('horizon', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('first_week', sa.Date(), nullable=False),
    sa.Column('mase', xborder.db.ScaledDecimal(8), nullable=True),
    sa.Column('mase_baseline', xborder.db.ScaledDecimal(8), nullable=True),
    sa.Column('baseline', sa.String(length=80), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_forecast_runs_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast_runs'))
    )
    with op.batch_alter_table('forecast_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forecast_runs_org_id'), ['org_id'], unique=False)

    op.create_table('research_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('marketplace', sa.String(length=60), nullable=False),
    sa.Column('preset', sa.String(length=40), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_research_snapshots_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_snapshots')),
    sa.UniqueConstraint('org_id', 'sha256', name=op.f('uq_research_snapshots_org_id_sha256'))
    )
    with op.batch_alter_table('research_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_research_snapshots_org_id'), ['org_id'], unique=False)

    op.create_table('forecast_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('product', sa.String(length=64), nullable=False),
    sa.Column('market', sa.String(length=60), nullable=False),
    sa.Column('model', sa.String(length=40), nullable=False),
    sa.Column('series_class', sa.String(length=20), nullable=False),
    sa.Column('mase', xborder.db.ScaledDecimal(8), nullable=True),
    sa.Column('sigma_week', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('weekly', sa.Text(), nullable=False),
    sa.Column('history', sa.Text(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_forecast_lines_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['forecast_runs.id'], name=op.f('fk_forecast_lines_run_id_forecast_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast_lines')),
    sa.UniqueConstraint('run_id', 'product', 'market', name=op.f('uq_forecast_lines_run_id_product_market'))
    )
    with op.batch_alter_table('forecast_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forecast_lines_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forecast_lines_run_id'), ['run_id'], unique=False)

    op.create_table('research_listings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('price', xborder.db.ScaledDecimal(4), nullable=False),
    sa.Column('rating', xborder.db.ScaledDecimal(2), nullable=True),
    sa.Column('review_count', sa.Integer(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('seller_count', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('marketplace', sa.String(length=60), nullable=False),
    sa.Column('brand', sa.String(length=200), nullable=False),
    sa.Column('asin', sa.String(length=40), nullable=False),
    sa.Column('est_sales', sa.Integer(), nullable=True),
    sa.Column('launch_date', sa.Date(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_research_listings_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['snapshot_id'], ['research_snapshots.id'], name=op.f('fk_research_listings_snapshot_id_research_snapshots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_listings')),
    sa.UniqueConstraint('snapshot_id', 'key', name=op.f('uq_research_listings_snapshot_id_key'))
    )
    with op.batch_alter_table('research_listings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_research_listings_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_research_listings_snapshot_id'), ['snapshot_id'], unique=False)


def downgrade() -> None:


    with op.batch_alter_table('research_listings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_research_listings_snapshot_id'))
        batch_op.drop_index(batch_op.f('ix_research_listings_org_id'))

    op.drop_table('research_listings')
    with op.batch_alter_table('forecast_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forecast_lines_run_id'))
        batch_op.drop_index(batch_op.f('ix_forecast_lines_org_id'))

    op.drop_table('forecast_lines')
    with op.batch_alter_table('research_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_research_snapshots_org_id'))

    op.drop_table('research_snapshots')
    with op.batch_alter_table('forecast_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forecast_runs_org_id'))

    op.drop_table('forecast_runs')
