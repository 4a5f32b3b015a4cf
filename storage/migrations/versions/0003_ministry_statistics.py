"""Ministry statistics: stats_release (frozen releases, one official per period and stage set,
UPDATE refused) and an index for a release's population (status, synthetic, completed_at).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 02:45:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('stats_release',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('stages', sa.String(length=16), nullable=False),
    sa.Column('k', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=200), nullable=False),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('firms', sa.Integer(), nullable=False),
    sa.Column('questionnaire_versions', sa.String(length=500), nullable=False),
    sa.Column('parameters', JSON, nullable=False),
    sa.Column('audit', JSON, nullable=False),
    sa.Column('body', JSON, nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stats_release', schema=None) as batch_op:
        batch_op.create_index('ix_stats_release_created', ['created_at'], unique=False)
        batch_op.create_index('uq_stats_release_official_period', ['period', 'stages'], unique=True,
                              sqlite_where=sa.text('official AND NOT synthetic'),
                              postgresql_where=sa.text('official AND NOT synthetic'))
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_completed', ['status', 'synthetic', 'completed_at'], unique=False)
    _no_update()


def _no_update() -> None:
    """A release is frozen: its row can never be changed."""
    if op.get_context().dialect.name == "postgresql":
        op.execute("""CREATE FUNCTION stats_release_frozen() RETURNS trigger LANGUAGE plpgsql AS
                      $$ BEGIN RAISE EXCEPTION 'stats_release is frozen'; END $$""")
        op.execute("""CREATE TRIGGER stats_release_no_update BEFORE UPDATE ON stats_release
                      FOR EACH ROW EXECUTE FUNCTION stats_release_frozen()""")
    else:
        op.execute("""CREATE TRIGGER stats_release_no_update BEFORE UPDATE ON stats_release
                      BEGIN SELECT RAISE(ABORT, 'stats_release is frozen'); END""")


def downgrade() -> None:
    postgres = op.get_context().dialect.name == "postgresql"
    op.execute("DROP TRIGGER IF EXISTS stats_release_no_update" + (" ON stats_release" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS stats_release_frozen()")
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_completed')
    with op.batch_alter_table('stats_release', schema=None) as batch_op:
        batch_op.drop_index('uq_stats_release_official_period')
        batch_op.drop_index('ix_stats_release_created')
    op.drop_table('stats_release')
