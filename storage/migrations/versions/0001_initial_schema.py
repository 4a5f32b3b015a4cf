"""Initial schema: firm, assessment, resume credentials and failures, change log, advisor, advisor_client, note.

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 17:04:27.732257
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# Frozen copies of the types at this revision (migrations must not follow later model edits).
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('advisor',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    op.create_table('firm',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sector', sa.String(length=16), nullable=False),
    sa.Column('size', sa.String(length=16), nullable=False),
    sa.Column('region', sa.String(length=16), nullable=False),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('resume_failure',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('client_key', sa.String(length=128), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resume_failure', schema=None) as batch_op:
        batch_op.create_index('ix_resume_failure_key_at', ['client_key', 'at'], unique=False)

    op.create_table('advisor_client',
    sa.Column('advisor_id', sa.String(length=36), nullable=False),
    sa.Column('firm_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['advisor_id'], ['advisor.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['firm_id'], ['firm.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('advisor_id', 'firm_id')
    )
    with op.batch_alter_table('advisor_client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisor_client_firm_id'), ['firm_id'], unique=False)

    op.create_table('assessment',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('firm_id', sa.String(length=36), nullable=False),
    sa.Column('baseline_id', sa.String(length=36), nullable=True),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=False),
    sa.Column('questionnaire_version', sa.String(length=32), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('firm_name', sa.String(length=200), nullable=False),
    sa.Column('sector', sa.String(length=16), nullable=False),
    sa.Column('size', sa.String(length=16), nullable=False),
    sa.Column('region', sa.String(length=16), nullable=False),
    sa.Column('answers', JSON_DOC, nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('stage', sa.String(length=2), nullable=False),
    sa.Column('consent_statistics', sa.Boolean(), nullable=False),
    sa.Column('consent_advisor', sa.Boolean(), nullable=False),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('result', JSON_DOC, nullable=True),
    sa.Column('overall', sa.Float(), nullable=True),
    sa.Column('level', sa.String(length=32), nullable=True),
    sa.Column('dii_score', sa.Integer(), nullable=True),
    sa.Column('dii_level', sa.String(length=32), nullable=True),
    sa.Column('dimension_scores', JSON_DOC, nullable=True),
    sa.CheckConstraint("stage IN ('T0', 'T1', 'T2')", name='ck_assessment_stage'),
    sa.CheckConstraint("status IN ('draft', 'completed')", name='ck_assessment_status'),
    sa.ForeignKeyConstraint(['baseline_id'], ['assessment.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['firm_id'], ['firm.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_expires', ['expires_at'], unique=False)
        batch_op.create_index('ix_assessment_firm_stage', ['firm_id', 'stage'], unique=False)
        batch_op.create_index('ix_assessment_status_consent', ['status', 'consent_statistics', 'synthetic'], unique=False)

    op.create_table('assessment_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('assessment_id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('step', sa.String(length=64), nullable=True),
    sa.Column('changes', JSON_DOC, nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assessment_log', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_log_assessment', ['assessment_id', 'revision'], unique=False)

    op.create_table('note',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('assessment_id', sa.String(length=36), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=True),
    sa.Column('advisor_id', sa.String(length=36), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['advisor_id'], ['advisor.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.create_index('ix_note_assessment_question', ['assessment_id', 'question_id'], unique=False)

    op.create_table('resume_credential',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('assessment_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code_hash')
    )
    with op.batch_alter_table('resume_credential', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resume_credential_assessment_id'), ['assessment_id'], unique=False)

    _append_only_log()


def _append_only_log() -> None:
    """Rows of assessment_log can be added or deleted (with their assessment), never rewritten."""
    if op.get_context().dialect.name == "postgresql":
        op.execute("""CREATE FUNCTION assessment_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
                      $$ BEGIN RAISE EXCEPTION 'assessment_log is append-only'; END $$""")
        op.execute("""CREATE TRIGGER assessment_log_append_only BEFORE UPDATE ON assessment_log
                      FOR EACH ROW EXECUTE FUNCTION assessment_log_append_only()""")
    else:
        op.execute("""CREATE TRIGGER assessment_log_append_only BEFORE UPDATE ON assessment_log
                      BEGIN SELECT RAISE(ABORT, 'assessment_log is append-only'); END""")


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS assessment_log_append_only ON assessment_log")
        op.execute("DROP FUNCTION IF EXISTS assessment_log_append_only()")
    with op.batch_alter_table('resume_credential', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resume_credential_assessment_id'))

    op.drop_table('resume_credential')
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_index('ix_note_assessment_question')

    op.drop_table('note')
    with op.batch_alter_table('assessment_log', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_log_assessment')

    op.drop_table('assessment_log')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_status_consent')
        batch_op.drop_index('ix_assessment_firm_stage')
        batch_op.drop_index('ix_assessment_expires')

    op.drop_table('assessment')
    with op.batch_alter_table('advisor_client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisor_client_firm_id'))

    op.drop_table('advisor_client')
    with op.batch_alter_table('resume_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_resume_failure_key_at')

    op.drop_table('resume_failure')
    op.drop_table('firm')
    op.drop_table('advisor')
