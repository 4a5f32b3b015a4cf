"""Throttling of failed sign-ins, pure: given the recent failures, how long to wait.

Two counters, both stored in the database by ``storage.users`` (so they hold across replicas and
restarts): per account (the normalised e-mail, whether or not it exists, so the rule reveals
nothing) and per client (the remote address). Past ``free_failures`` failures within ``window``,
each attempt waits ``first_delay`` doubled for each further failure, capped at ``max_delay``.

Why an attacker cannot lock a legitimate user out for good: the wait is capped (15 minutes), it
only counts failures inside the window, throttled attempts are refused before any check and are
not counted, and no account is ever disabled automatically. An administrator can also clear an
account's failures at once (``cli.py users reset-password`` or ``users unlock``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(minutes=15)
    client_free_failures: int = 20  # one office behind one address: more room than per account


DEFAULT_THROTTLE = ThrottlePolicy()


def wait_seconds(failures: int, last_failure: datetime | None, now: datetime, policy: ThrottlePolicy = DEFAULT_THROTTLE,
                 *, free: int | None = None) -> float:
    """Seconds to wait before the next attempt (0: go ahead). ``failures`` counts the failures
    within ``policy.window``; ``last_failure`` is the newest of them."""
    allowed = policy.free_failures if free is None else free
    if failures < allowed or last_failure is None:
        return 0.0
    delay = min(policy.first_delay * 2 ** min(failures - allowed, 20), policy.max_delay)
    remaining: float = (last_failure + delay - now).total_seconds()
    return max(0.0, remaining)
