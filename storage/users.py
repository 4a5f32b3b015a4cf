"""Accounts, roles, sign-in sessions, failed sign-ins and the access log (rows only; the rules are
in ``auth`` and applied by ``services.access``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, Engine, RowMapping, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from domain import JsonObject
from storage.db import WRITE
from storage.models import AccessLog, AppUser, LoginFailure, LoginSession, RoleGrant, table

USER = table(AppUser)
GRANT = table(RoleGrant)
SESSION = table(LoginSession)
FAILURE = table(LoginFailure)
ACCESS = table(AccessLog)


@dataclass(frozen=True)
class UserRow:
    id: str
    email: str
    display_name: str
    password_hash: str | None
    issuer: str | None
    subject: str | None
    active: bool
    created_at: datetime
    last_sign_in_at: datetime | None
    roles: frozenset[str]


@dataclass(frozen=True)
class SessionRow:
    token_digest: str
    user_id: str
    provider: str
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None
    ended_reason: str | None


@dataclass(frozen=True)
class FailureCounts:
    account: int
    account_last: datetime | None
    client: int
    client_last: datetime | None


@dataclass(frozen=True)
class AccessLogRow:
    id: int
    at: datetime
    user_id: str | None
    email: str
    action: str
    assessment_id: str | None
    firm_id: str | None
    detail: JsonObject


class DuplicateUser(ValueError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


class UserStore:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]):
        self.engine = engine
        self.clock = clock
        self._write = engine.execution_options(**WRITE)

    # ---- accounts and roles ----------------------------------------------------------------------
    def add_user(self, email: str, display_name: str, *, password_hash: str | None = None, issuer: str | None = None,
                 subject: str | None = None, roles: Iterable[str] = (), granted_by: str = "cli") -> str:
        email = normalise_email(email)
        if "@" not in email or not display_name.strip():
            raise ValueError("an account needs an e-mail address and a name")
        if (issuer is None) != (subject is None):
            raise ValueError("an OIDC identity needs both issuer and subject")
        user_id, now = str(uuid.uuid4()), self.clock()
        try:
            with self._write.begin() as conn:
                conn.execute(insert(USER).values(id=user_id, email=email, display_name=display_name.strip(), password_hash=password_hash,
                                                 issuer=issuer, subject=subject, active=True, created_at=now))
                self._grant(conn, user_id, roles, granted_by, now)
        except IntegrityError as exc:
            raise DuplicateUser(f"an account with e-mail {email!r} or this identity already exists") from exc
        return user_id

    def _grant(self, conn: Connection, user_id: str, roles: Iterable[str], granted_by: str, now: datetime) -> None:
        for role in sorted(set(roles)):
            conn.execute(insert(GRANT).values(user_id=user_id, role=role, granted_by=granted_by, granted_at=now))

    def set_roles(self, user_id: str, roles: Iterable[str], granted_by: str) -> None:
        with self._write.begin() as conn:
            self._require(conn, user_id)
            conn.execute(delete(GRANT).where(GRANT.c.user_id == user_id))
            self._grant(conn, user_id, roles, granted_by, self.clock())

    def set_active(self, user_id: str, active: bool) -> None:
        with self._write.begin() as conn:
            self._require(conn, user_id)
            conn.execute(update(USER).where(USER.c.id == user_id).values(active=active))
            if not active:
                self._end_all(conn, user_id, "disabled")

    def set_password_hash(self, user_id: str, password_hash: str | None, *, end_sessions: bool = True) -> None:
        with self._write.begin() as conn:
            self._require(conn, user_id)
            conn.execute(update(USER).where(USER.c.id == user_id).values(password_hash=password_hash))
            if end_sessions:
                self._end_all(conn, user_id, "password")

    def set_identity(self, user_id: str, issuer: str, subject: str) -> None:
        with self._write.begin() as conn:
            self._require(conn, user_id)
            conn.execute(update(USER).where(USER.c.id == user_id).values(issuer=issuer, subject=subject))

    def mark_signed_in(self, user_id: str, at: datetime) -> None:
        with self._write.begin() as conn:
            conn.execute(update(USER).where(USER.c.id == user_id).values(last_sign_in_at=at))

    @staticmethod
    def _require(conn: Connection, user_id: str) -> None:
        if conn.execute(select(USER.c.id).where(USER.c.id == user_id)).first() is None:
            raise KeyError(f"no user {user_id!r}")

    def user(self, user_id: str) -> UserRow | None:
        return self._one(USER.c.id == user_id)

    def user_by_email(self, email: str) -> UserRow | None:
        return self._one(USER.c.email == normalise_email(email))

    def user_by_identity(self, issuer: str, subject: str) -> UserRow | None:
        return self._one((USER.c.issuer == issuer) & (USER.c.subject == subject))

    def _one(self, condition: ColumnElement[bool]) -> UserRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(USER).where(condition)).mappings().first()
            if row is None:
                return None
            roles: frozenset[str] = frozenset(conn.execute(select(GRANT.c.role).where(GRANT.c.user_id == row["id"])).scalars())
        return _user(row, roles)

    def users(self) -> list[UserRow]:
        with self.engine.connect() as conn:
            grants: dict[str, set[str]] = {}
            for grant in conn.execute(select(GRANT.c.user_id, GRANT.c.role)):
                grants.setdefault(str(grant.user_id), set()).add(str(grant.role))
            rows = conn.execute(select(USER).order_by(USER.c.email)).mappings().all()
        return [_user(r, frozenset(grants.get(r["id"], ()))) for r in rows]

    # ---- failed sign-ins -------------------------------------------------------------------------
    def record_failure(self, account_key: str, client_key: str, at: datetime) -> None:
        with self._write.begin() as conn:
            conn.execute(insert(FAILURE).values(account_key=account_key, client_key=client_key[:128], at=at))

    def failures_since(self, account_key: str, client_key: str, since: datetime) -> FailureCounts:
        with self.engine.connect() as conn:
            account = conn.execute(select(func.count(), func.max(FAILURE.c.at)).where(
                FAILURE.c.account_key == account_key, FAILURE.c.at > since)).one()
            client = conn.execute(select(func.count(), func.max(FAILURE.c.at)).where(
                FAILURE.c.client_key == client_key[:128], FAILURE.c.at > since)).one()
        return FailureCounts(account[0], account[1], client[0], client[1])

    def clear_failures(self, account_key: str) -> None:
        with self._write.begin() as conn:
            conn.execute(delete(FAILURE).where(FAILURE.c.account_key == account_key))

    def purge_failures(self, before: datetime) -> None:
        with self._write.begin() as conn:
            conn.execute(delete(FAILURE).where(FAILURE.c.at < before))

    # ---- sessions --------------------------------------------------------------------------------
    def create_session(self, token_digest: str, user_id: str, provider: str, at: datetime) -> None:
        with self._write.begin() as conn:
            conn.execute(insert(SESSION).values(token_digest=token_digest, user_id=user_id, provider=provider, created_at=at,
                                                last_seen_at=at))

    def session(self, token_digest: str) -> SessionRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(SESSION).where(SESSION.c.token_digest == token_digest)).mappings().first()
        return None if row is None else SessionRow(**{k: row[k] for k in SessionRow.__dataclass_fields__})

    def touch_session(self, token_digest: str, at: datetime) -> None:
        with self._write.begin() as conn:
            conn.execute(update(SESSION).where(SESSION.c.token_digest == token_digest, SESSION.c.ended_at.is_(None))
                         .values(last_seen_at=at))

    def end_session(self, token_digest: str, at: datetime, reason: str) -> None:
        with self._write.begin() as conn:
            conn.execute(update(SESSION).where(SESSION.c.token_digest == token_digest, SESSION.c.ended_at.is_(None))
                         .values(ended_at=at, ended_reason=reason))

    def _end_all(self, conn: Connection, user_id: str, reason: str) -> None:
        conn.execute(update(SESSION).where(SESSION.c.user_id == user_id, SESSION.c.ended_at.is_(None))
                     .values(ended_at=self.clock(), ended_reason=reason))

    # ---- access log (append-only) ----------------------------------------------------------------
    def log(self, action: str, *, user_id: str | None, email: str = "", assessment_id: str | None = None,
            firm_id: str | None = None, detail: JsonObject | None = None, conn: Connection | None = None) -> None:
        values = {"at": self.clock(), "user_id": user_id, "email": email, "action": action, "assessment_id": assessment_id,
                  "firm_id": firm_id, "detail": detail or {}}
        if conn is not None:
            conn.execute(insert(ACCESS).values(**values))
            return
        with self.engine.begin() as own:
            own.execute(insert(ACCESS).values(**values))

    def access_log(self, *, assessment_id: str | None = None, user_id: str | None = None, limit: int = 500) -> list[AccessLogRow]:
        query = select(ACCESS).order_by(ACCESS.c.id.desc()).limit(limit)
        if assessment_id is not None:
            query = query.where(ACCESS.c.assessment_id == assessment_id)
        if user_id is not None:
            query = query.where(ACCESS.c.user_id == user_id)
        with self.engine.connect() as conn:
            return [AccessLogRow(**{k: r[k] for k in AccessLogRow.__dataclass_fields__}) for r in conn.execute(query).mappings()]


def _user(row: RowMapping, roles: frozenset[str]) -> UserRow:
    return UserRow(**{k: row[k] for k in UserRow.__dataclass_fields__ if k != "roles"}, roles=roles)
