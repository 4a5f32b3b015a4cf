"""Sign-in, sessions, authorisation checks and the access log: the one place pages and commands
ask "who is this, and may they?".

API (stable; the ministry statistics pages use it the same way):

- ``Access(repo)``: one per repository (``ui.cache.access()`` in the app);
- ``sign_in(email, password, client_key) -> SignInOutcome``: local accounts (argon2id), throttled
  per account and per client in the database, one answer for every failure;
- ``principal_for_token(token)`` (local cookie) and ``principal_for_oidc(...)`` (``st.user``): the
  ``Principal`` with its roles from the database, or None when the session ended, timed out,
  or the account is disabled or has no role; checked on every rerun;
- ``sign_out(principal)``: ends the session row, so a copied cookie stops working;
  ``sign_out_token(token)`` does the same from the cookie (the sign-out route);
- ``require(principal, action, facts=None)``: raises ``Denied`` unless ``auth.can`` allows it;
- ``log(principal, action, ...)``: one append-only ``access_log`` row.

In the Streamlit app, pages get the principal from ``ui.auth.current_principal()``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from auth.passwords import Passwords
from auth.policy import Action, AssessmentAccess, Principal, Role, can
from auth.sessions import DEFAULT_SESSIONS, TOUCH_EVERY, SessionPolicy, expiry_reason, new_token, token_digest
from auth.throttle import DEFAULT_THROTTLE, ThrottlePolicy, wait_seconds
from domain import JsonObject
from storage.repository import Repository
from storage.users import UserRow, normalise_email


class Denied(LookupError):
    """Not allowed. For assessments the message is the same as for a missing one: "not found"."""


@dataclass(frozen=True)
class SignInOutcome:
    principal: Principal | None  # None: failed (one reason for every failure) or throttled
    token: str | None = None  # the cookie value, shown to nobody; only its digest is stored
    retry_after: float = 0.0  # > 0: throttled, try again after this many seconds


def account_key(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode("utf-8", "replace")).hexdigest()


class Access:
    def __init__(self, repo: Repository, passwords: Passwords | None = None, *, throttle: ThrottlePolicy = DEFAULT_THROTTLE,
                 sessions: SessionPolicy = DEFAULT_SESSIONS):
        self.repo = repo
        self.users = repo.users
        self.passwords = passwords or Passwords()
        self.throttle = throttle
        self.sessions = sessions

    def now(self) -> datetime:
        return self.repo.clock()

    # ---- local sign-in -----------------------------------------------------------------------------
    def sign_in(self, email: str, password: str, client_key: str) -> SignInOutcome:
        now, key = self.now(), account_key(email)
        counts = self.users.failures_since(key, client_key, now - self.throttle.window)
        wait = max(wait_seconds(counts.account, counts.account_last, now, self.throttle),
                   wait_seconds(counts.client, counts.client_last, now, self.throttle, free=self.throttle.client_free_failures))
        if wait > 0:
            return SignInOutcome(None, retry_after=wait)
        user = self.users.user_by_email(email)
        # Always one argon2 verification (against a dummy hash for an unknown account), so the
        # time taken does not tell whether the account exists.
        matched = self.passwords.verify(user.password_hash if user is not None else None, password)
        if user is None or not matched or not user.active:
            self.users.record_failure(key, client_key, now)
            self.users.log("sign_in_failed", user_id=None, email="", detail={"account_key": key[:16]})
            return SignInOutcome(None)
        if user.password_hash is not None and self.passwords.needs_rehash(user.password_hash):
            self.users.set_password_hash(user.id, self.passwords.hash(password), end_sessions=False)
        self.users.clear_failures(key)
        token = new_token()
        principal = self._start_session(user, token_digest(token), "local", now)
        return SignInOutcome(principal, token)

    def _start_session(self, user: UserRow, digest: str, provider: str, now: datetime) -> Principal:
        self.users.create_session(digest, user.id, provider, now)
        self.users.mark_signed_in(user.id, now)
        self.users.log("sign_in", user_id=user.id, email=user.email, detail={"provider": provider})
        return self._principal(user, digest, provider)

    def _principal(self, user: UserRow, digest: str, provider: str) -> Principal:
        roles = frozenset(Role(r) for r in user.roles if r in Role.__members__.values())
        advisor = self.repo.advisors.advisor_for_user(user.id) if Role.ADVISOR in roles else None
        return Principal(user.id, user.email, user.display_name, roles, advisor.id if advisor is not None else None,
                         advisor.organisation if advisor is not None else "", digest, provider)

    # ---- every rerun -------------------------------------------------------------------------------
    def principal_for_token(self, token: str | None) -> Principal | None:
        """The principal of a local session cookie, or None (unknown, ended, timed out, disabled)."""
        if not token:
            return None
        return self._check_session(token_digest(token))

    def principal_for_oidc(self, provider: str, issuer: str, subject: str, issued_at: float | None) -> Principal | None:
        """The principal of an OIDC identity (``st.user``): the account with this (issuer, subject),
        never matched by e-mail; roles from our database. A session row keyed by the identity and
        the ID token's ``iat`` carries the same idle and absolute timeouts as local sign-ins, and
        signing out ends it, so the 30-day identity cookie alone never signs anyone in."""
        user = self.users.user_by_identity(issuer, subject)
        if user is None or not user.active:
            return None
        digest = token_digest(f"oidc\n{issuer}\n{subject}\n{issued_at}")
        if self.users.session(digest) is None:
            now = self.now()
            if issued_at is None or now.timestamp() - issued_at >= self.sessions.absolute.total_seconds():
                return None
            return self._start_session(user, digest, provider, now)
        return self._check_session(digest)

    def _check_session(self, digest: str) -> Principal | None:
        row = self.users.session(digest)
        if row is None:
            return None
        now = self.now()
        reason = expiry_reason(row.created_at, row.last_seen_at, row.ended_at, now, self.sessions)
        if reason is not None:
            if row.ended_at is None:
                self.users.end_session(digest, now, reason)
            return None
        user = self.users.user(row.user_id)
        if user is None or not user.active:
            return None
        if now - row.last_seen_at >= TOUCH_EVERY:
            self.users.touch_session(digest, now)
        return self._principal(user, digest, row.provider)

    def live(self, principal: Principal) -> Principal | None:
        """``principal`` as the database sees it now (None: signed out, timed out or disabled since),
        for a principal held across reruns (a guided session's writer)."""
        return self._check_session(principal.session_id)

    def sign_out(self, principal: Principal) -> None:
        self.users.end_session(principal.session_id, self.now(), "signed_out")
        self.users.log("sign_out", user_id=principal.user_id, email=principal.email)

    def sign_out_token(self, token: str | None) -> bool:
        """End the live session of a local cookie (the sign-out route); False when none was live."""
        principal = self.principal_for_token(token)
        if principal is None:
            return False
        self.sign_out(principal)
        return True

    # ---- authorisation -----------------------------------------------------------------------------
    def require(self, principal: Principal | None, action: Action, facts: AssessmentAccess | None = None) -> Principal:
        if principal is None or not can(principal, action, facts):
            raise Denied(action.value)
        return principal

    def log(self, principal: Principal, action: str, *, assessment_id: str | None = None, firm_id: str | None = None,
            detail: JsonObject | None = None) -> None:
        self.users.log(action, user_id=principal.user_id, email=principal.email, assessment_id=assessment_id, firm_id=firm_id,
                       detail=detail)

