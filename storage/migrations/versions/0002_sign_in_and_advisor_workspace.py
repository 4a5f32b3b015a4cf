"""Sign-in and advisor workspace: app_user, role_grant, login_session, login_failure, access_log
(append-only), action_plan_item; advisor.user_id; note.visibility (private/shared).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 12:55:08.984071
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('access_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('assessment_id', sa.String(length=36), nullable=True),
    sa.Column('firm_id', sa.String(length=36), nullable=True),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index('ix_access_log_assessment', ['assessment_id'], unique=False)
        batch_op.create_index('ix_access_log_user_at', ['user_id', 'at'], unique=False)

    op.create_table('app_user',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('issuer', sa.String(length=255), nullable=True),
    sa.Column('subject', sa.String(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email'),
    sa.UniqueConstraint('issuer', 'subject', name='uq_app_user_identity')
    )
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('account_key', sa.String(length=64), nullable=False),
    sa.Column('client_key', sa.String(length=128), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index('ix_login_failure_account_at', ['account_key', 'at'], unique=False)
        batch_op.create_index('ix_login_failure_client_at', ['client_key', 'at'], unique=False)

    op.create_table('login_session',
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_reason', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_digest')
    )
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_session_user_id'), ['user_id'], unique=False)

    op.create_table('role_grant',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('granted_by', sa.String(length=254), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('advisor', 'analyst', 'admin')", name='ck_role_grant_role'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role')
    )
    op.create_table('action_plan_item',
    sa.Column('assessment_id', sa.String(length=36), nullable=False),
    sa.Column('action_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("owner IN ('firm', 'advisor')", name='ck_plan_owner'),
    sa.CheckConstraint("status IN ('planned', 'in_progress', 'done')", name='ck_plan_status'),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assessment_id', 'action_id')
    )
    with op.batch_alter_table('advisor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint('uq_advisor_user_id', ['user_id'])
        batch_op.create_foreign_key('fk_advisor_user_id', 'app_user', ['user_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visibility', sa.String(length=8), server_default='private', nullable=False))
        batch_op.create_check_constraint('ck_note_visibility', "visibility IN ('private', 'shared')")

    _append_only_access_log()


def _append_only_access_log() -> None:
    """access_log rows can only be added: no UPDATE, no DELETE."""
    if op.get_context().dialect.name == "postgresql":
        op.execute("""CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
                      $$ BEGIN RAISE EXCEPTION 'access_log is append-only'; END $$""")
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER access_log_no_{event.lower()} BEFORE {event} ON access_log
                          FOR EACH ROW EXECUTE FUNCTION access_log_append_only()""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER access_log_no_{event.lower()} BEFORE {event} ON access_log
                          BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END""")


def downgrade() -> None:
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS access_log_no_{event}" + (" ON access_log" if op.get_context().dialect.name == "postgresql" else ""))
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS access_log_append_only()")
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_constraint('ck_note_visibility', type_='check')
        batch_op.drop_column('visibility')

    with op.batch_alter_table('advisor', schema=None) as batch_op:
        batch_op.drop_constraint('fk_advisor_user_id', type_='foreignkey')
        batch_op.drop_constraint('uq_advisor_user_id', type_='unique')
        batch_op.drop_column('user_id')

    op.drop_table('action_plan_item')
    op.drop_table('role_grant')
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_session_user_id'))

    op.drop_table('login_session')
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failure_client_at')
        batch_op.drop_index('ix_login_failure_account_at')

    op.drop_table('login_failure')
    op.drop_table('app_user')
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index('ix_access_log_user_at')
        batch_op.drop_index('ix_access_log_assessment')

    op.drop_table('access_log')
