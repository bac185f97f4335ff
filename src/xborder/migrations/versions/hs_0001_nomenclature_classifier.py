"""HS: nomenclature codes and sections per load, training examples, stored classifier

Revision ID: hs_0001
"""
import sqlalchemy as sa
from alembic import op

revision = 'hs_0001'
down_revision = None
branch_labels = ('hs',)
depends_on = 'core_0001'


def upgrade() -> None:
    op.create_table('hs_codes',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('version', sa.String(length=8), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('parent', sa.String(length=6), nullable=True),
    sa.Column('section', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['data_sources.id'], name=op.f('fk_hs_codes_source_id_data_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'code', name=op.f('pk_hs_codes'))
    )
    with op.batch_alter_table('hs_codes', schema=None) as batch_op:
        batch_op.create_index('ix_hs_codes_version_code', ['version', 'code'], unique=False)

    op.create_table('hs_sections',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=8), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['data_sources.id'], name=op.f('fk_hs_sections_source_id_data_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'section', name=op.f('pk_hs_sections'))
    )

    op.create_table('hs_training_examples',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('hs6', sa.String(length=6), nullable=True),
    sa.Column('code', sa.String(length=10), nullable=True),
    sa.Column('file', sa.String(length=200), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['data_sources.id'], name=op.f('fk_hs_training_examples_source_id_data_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hs_training_examples'))
    )
    with op.batch_alter_table('hs_training_examples', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hs_training_examples_source_id'), ['source_id'], unique=False)

    op.create_table('hs_classifier_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('hs_version', sa.String(length=8), nullable=False),
    sa.Column('library', sa.String(length=100), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('inputs', sa.Text(), nullable=False),
    sa.Column('n_label', sa.Integer(), nullable=False),
    sa.Column('n_nomen', sa.Integer(), nullable=False),
    sa.Column('n_vague', sa.Integer(), nullable=False),
    sa.Column('n_classes', sa.Integer(), nullable=False),
    sa.Column('artefact', sa.LargeBinary(), nullable=False),
    sa.Column('artefact_bytes', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['data_sources.id'], name=op.f('fk_hs_classifier_models_source_id_data_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hs_classifier_models'))
    )
    with op.batch_alter_table('hs_classifier_models', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hs_classifier_models_source_id'), ['source_id'], unique=False)


def downgrade() -> None:
    op.drop_table('hs_classifier_models')
    op.drop_table('hs_training_examples')
    op.drop_table('hs_sections')
    op.drop_table('hs_codes')
