"""The relational schema (SQLAlchemy 2 declarative). Alembic migrations in storage/migrations create it.

Design for what comes next (advisor workspace, ministry statistics):
- ``firm`` holds the current profile; each ``assessment`` keeps a copy of the profile it was
  answered with, because a firm can change size or region between stages T0, T1 and T2.
- Re-assessments of one firm share ``firm_id``; ``baseline_id`` points at the T0 they compare with.
- ``advisor`` ↔ ``firm`` through ``advisor_client`` (many clients per advisor, history kept with
  ``ended_at``); an advisor sees an assessment only when its ``consent_advisor`` is set.
- ``note`` is per assessment and optionally per question, written by the firm or an advisor.
- Ministry aggregates read only completed assessments with ``consent_statistics`` set, from the
  flat score columns (no JSON parsing needed for the overall and DII scores).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from domain import JsonObject, MutableAnswers, Stage

JsonColumn = JSON().with_variant(JSONB(), "postgresql")
STAGES = tuple(Stage)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to storage; use datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


def table(model: type[Base]) -> Table:
    """A model's ``Table`` (``__table__`` is typed as the wider ``FromClause``), for SQL Core queries."""
    found = model.__table__
    if not isinstance(found, Table):
        raise TypeError(f"{model.__name__} is not mapped to a Table")
    return found


class Firm(Base):
    __tablename__ = "firm"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[str] = mapped_column(String(16))
    size: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(16))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Assessment(Base):
    __tablename__ = "assessment"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'completed')", name="ck_assessment_status"),
        CheckConstraint("stage IN ('T0', 'T1', 'T2')", name="ck_assessment_stage"),
        Index("ix_assessment_status_consent", "status", "consent_statistics", "synthetic"),
        Index("ix_assessment_firm_stage", "firm_id", "stage"),
        Index("ix_assessment_expires", "expires_at"),
        Index("ix_assessment_completed", "status", "synthetic", "completed_at"),  # a release's population (period)
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    firm_id: Mapped[str] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"))
    baseline_id: Mapped[str | None] = mapped_column(ForeignKey("assessment.id", ondelete="SET NULL"))
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64))
    # Copy of the profile this assessment was answered with.
    firm_name: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[str] = mapped_column(String(16))
    size: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(16))
    answers: Mapped[MutableAnswers] = mapped_column(JsonColumn)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    stage: Mapped[str] = mapped_column(String(2), default="T0")
    consent_statistics: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_advisor: Mapped[bool] = mapped_column(Boolean, default=False)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # drafts only
    # Snapshot of the result at completion, and flat copies for fast aggregates.
    result: Mapped[JsonObject | None] = mapped_column(JsonColumn)
    overall: Mapped[float | None] = mapped_column(Float)
    level: Mapped[str | None] = mapped_column(String(32))
    dii_score: Mapped[int | None] = mapped_column(Integer)
    dii_level: Mapped[str | None] = mapped_column(String(32))
    dimension_scores: Mapped[dict[str, float | None] | None] = mapped_column(JsonColumn)


class ResumeCredential(Base):
    """Only a hash of the resume code is kept (see storage.codes)."""

    __tablename__ = "resume_credential"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ResumeFailure(Base):
    """One failed resume attempt per row, per client key (a session id, or "global")."""

    __tablename__ = "resume_failure"
    __table_args__ = (Index("ix_resume_failure_key_at", "client_key", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_key: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class AssessmentLog(Base):
    """Append-only history: one row per change (start, answers, profile, complete)."""

    __tablename__ = "assessment_log"
    __table_args__ = (Index("ix_assessment_log_assessment", "assessment_id", "revision"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))
    step: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[JsonObject] = mapped_column(JsonColumn)


class Advisor(Base):
    __tablename__ = "advisor"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AdvisorClient(Base):
    __tablename__ = "advisor_client"
    advisor_id: Mapped[str] = mapped_column(ForeignKey("advisor.id", ondelete="CASCADE"), primary_key=True)
    firm_id: Mapped[str] = mapped_column(ForeignKey("firm.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Note(Base):
    """A note on an assessment, optionally on one question; ``advisor_id`` None means the firm wrote it."""

    __tablename__ = "note"
    __table_args__ = (Index("ix_note_assessment_question", "assessment_id", "question_id"),
                      CheckConstraint("visibility IN ('private', 'shared')", name="ck_note_visibility"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    question_id: Mapped[str | None] = mapped_column(String(64))
    advisor_id: Mapped[str | None] = mapped_column(ForeignKey("advisor.id", ondelete="SET NULL"))
    # private: the advisor only; shared: printed in the client's PDF
    visibility: Mapped[str] = mapped_column(String(8), default="private", server_default="private")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


# ---- sign-in, roles, access log, action plan (issue 9) ------------------------------------------------


class AppUser(Base):
    """A person who signs in: a local account (``password_hash``) and/or an OIDC identity
    (``issuer``, ``subject``: never matched by e-mail). Roles are in ``role_grant``."""

    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_app_user_identity"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    issuer: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RoleGrant(Base):
    __tablename__ = "role_grant"
    __table_args__ = (CheckConstraint("role IN ('advisor', 'analyst', 'admin')", name="ck_role_grant_role"),)
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    granted_by: Mapped[str] = mapped_column(String(254))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginSession(Base):
    """One sign-in: only the SHA-256 of the cookie token (or of the OIDC identity and its ``iat``)."""

    __tablename__ = "login_session"
    token_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(16))


class LoginFailure(Base):
    """One failed sign-in: per account key (SHA-256 of the normalised e-mail, known or not) and client."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_account_at", "account_key", "at"), Index("ix_login_failure_client_at", "client_key", "at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_key: Mapped[str] = mapped_column(String(64))
    client_key: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccessLog(Base):
    """Append-only (triggers refuse UPDATE and DELETE): who signed in, viewed, changed or exported
    which assessment, linked or reassigned which firm, changed which account. No foreign keys, so
    rows outlive the users and assessments they name."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_assessment", "assessment_id"), Index("ix_access_log_user_at", "user_id", "at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[str | None] = mapped_column(String(36))
    email: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(32))
    assessment_id: Mapped[str | None] = mapped_column(String(36))
    firm_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[JsonObject] = mapped_column(JsonColumn)


class ActionPlanItem(Base):
    """The plan agreed in a guided session: the roadmap actions kept, in order, who does each and by when."""

    __tablename__ = "action_plan_item"
    __table_args__ = (CheckConstraint("owner IN ('firm', 'advisor')", name="ck_plan_owner"),
                      CheckConstraint("status IN ('planned', 'in_progress', 'done')", name="ck_plan_status"))
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True)
    action_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    owner: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


# ---- ministry statistics (issue 10) --------------------------------------------------------------------


class StatsRelease(Base):
    """One frozen statistics release: its parameters, audit and published tables (``body``, the
    codec's JSON of ``releases.model.Release``). Written once, never updated (a trigger refuses
    UPDATE). At most one official, non-synthetic release per (period, stage set): a released period
    is frozen, since differencing two releases of one period would isolate the firms in between."""

    __tablename__ = "stats_release"
    __table_args__ = (
        Index("uq_stats_release_official_period", "period", "stages", unique=True,
              sqlite_where=text("official AND NOT synthetic"), postgresql_where=text("official AND NOT synthetic")),
        Index("ix_stats_release_created", "created_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    period: Mapped[str] = mapped_column(String(16))
    stages: Mapped[str] = mapped_column(String(16))  # "T0", "T1" or "T0+T1"
    k: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(200))
    synthetic: Mapped[bool] = mapped_column(Boolean)
    official: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(254))
    firms: Mapped[int] = mapped_column(Integer)
    questionnaire_versions: Mapped[str] = mapped_column(String(500))  # "id@version", comma-separated
    parameters: Mapped[JsonObject] = mapped_column(JsonColumn)
    audit: Mapped[JsonObject] = mapped_column(JsonColumn)
    body: Mapped[JsonObject] = mapped_column(JsonColumn)
