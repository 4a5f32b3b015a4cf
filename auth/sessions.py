"""Sign-in sessions, pure rules: token generation, the stored digest, and expiry.

A session is a 256-bit random token in an HttpOnly cookie; only its SHA-256 is stored (as for
resume codes: the token is uniformly random, so a leaked digest cannot be reversed). It ends at
sign-out (the row is marked ended, so a copied cookie stops working), after ``idle`` without an
interaction, or ``absolute`` after sign-in, whichever comes first; every rerun checks it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most once a minute per session


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta = IDLE_TIMEOUT
    absolute: timedelta = ABSOLUTE_TIMEOUT


DEFAULT_SESSIONS = SessionPolicy()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def expiry_reason(created_at: datetime, last_seen_at: datetime, ended_at: datetime | None, now: datetime,
                  policy: SessionPolicy = DEFAULT_SESSIONS) -> str | None:
    """Why the session is no longer valid ("signed_out", "idle", "absolute"), or None if it is."""
    if ended_at is not None:
        return "signed_out"
    if now - created_at >= policy.absolute:
        return "absolute"
    if now - last_seen_at >= policy.idle:
        return "idle"
    return None
