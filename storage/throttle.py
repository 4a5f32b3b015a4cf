"""Wrong resume codes: slowed down per browser session and per client address, never globally.

A code is 140 random bits, so guessing one is hopeless at any rate (2**139 tries on average); the
limits below exist to keep a misbehaving client from hammering the database and to tell a person
who mistypes to slow down. A global ceiling would add no security and let anyone lock everyone
out (finding 1 of issue 13), so there is none:

- per session key (one random key per browser session): after ``MAX_FAILURES`` wrong codes in
  ``FAILURE_WINDOW`` the session must wait (30 s, doubling up to 10 min), even for a right code;
- per client address (the peer address, or the address a configured, trusted proxy reports):
  after ``ADDRESS_MAX_FAILURES`` wrong codes, further *wrong* codes from that address get the same
  wait, but a right code always opens. Many people can share one address (an office, a proxy
  whose header is not configured), so an attacker there must never lock the others out.

Failures are rows of ``resume_failure``: the session key as is, the address as ``ip:<address>``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, func, insert, select

from storage.models import ResumeFailure, table

MAX_FAILURES = 5  # wrong resume codes allowed per session key within FAILURE_WINDOW
ADDRESS_MAX_FAILURES = 20  # per client address (several people may share one)
FAILURE_WINDOW = timedelta(minutes=10)
FIRST_DELAY = timedelta(seconds=30)  # doubled for each further failure, capped at FAILURE_WINDOW
KEY_LENGTH = 128
ADDRESS_PREFIX = "ip:"

FAIL = table(ResumeFailure)


def address_key(address: str | None) -> str | None:
    return None if not address else (ADDRESS_PREFIX + address)[:KEY_LENGTH]


def wait_seconds(conn: Connection, key: str, now: datetime, allowed: int) -> float:
    """Seconds ``key`` must still wait after its recent failures (0: it may try now)."""
    row = conn.execute(select(func.count(), func.max(FAIL.c.at)).where(
        FAIL.c.client_key == key, FAIL.c.at > now - FAILURE_WINDOW)).one()
    count: int = row[0]
    last: datetime | None = row[1]
    if count < allowed or last is None:
        return 0.0
    delay = min(FIRST_DELAY * 2 ** min(count - allowed, 10), FAILURE_WINDOW)  # 2**10 × 30 s is past the cap
    return max(0.0, float((last + delay - now).total_seconds()))


def record_failure(conn: Connection, keys: list[str], now: datetime) -> None:
    conn.execute(insert(FAIL), [{"client_key": key, "at": now} for key in keys])
