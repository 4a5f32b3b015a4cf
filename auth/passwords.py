"""Password hashing with Argon2id (argon2-cffi).

Parameters: m = 64 MiB, t = 2, p = 1. One verification costs about 100 ms on the quiet 2-core
reference machine (``python -m bench.bench_advisor``, ``sign_in_check``; README "Advisors"): slow enough to
make offline guessing expensive, fast enough for a sign-in. The OWASP minimum (19 MiB, t = 2)
measured 50 ms here. ``needs_rehash`` lets the parameters rise later: a stored hash made with
older parameters is replaced at the next successful sign-in.

An unknown account is checked against a fixed dummy hash made with the same parameters, so
"unknown user" and "wrong password" take the same time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024  # argon2 hashes anything, but a megabyte "password" is a denial of service


@dataclass(frozen=True)
class HashParameters:
    time_cost: int = 2
    memory_cost_kib: int = 65536
    parallelism: int = 1


PRODUCTION = HashParameters()
TESTS = HashParameters(time_cost=1, memory_cost_kib=1024)  # tests only: about 0.5 ms


class Passwords:
    """Hash and verify passwords; at most ``max_concurrent`` verifications run at once per process
    (each takes 64 MiB), so a burst of sign-ins queues instead of exhausting memory."""

    def __init__(self, parameters: HashParameters = PRODUCTION, max_concurrent: int = 2):
        self.parameters = parameters
        self._hasher = PasswordHasher(time_cost=parameters.time_cost, memory_cost=parameters.memory_cost_kib,
                                      parallelism=parameters.parallelism, type=Type.ID)
        self._slots = threading.BoundedSemaphore(max_concurrent)

    @cached_property
    def _dummy(self) -> str:
        return self._hasher.hash("not a password: compared against when the account does not exist")

    def hash(self, password: str) -> str:
        check_strength(password)
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; False for a mismatch, a malformed hash, or no hash
        (unknown account, or an account that signs in with OIDC only), each in the same time."""
        candidate = password[:MAX_PASSWORD_CHARS]
        with self._slots:
            try:
                return self._hasher.verify(stored_hash or self._dummy, candidate) and stored_hash is not None
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)


def check_strength(password: str) -> None:
    """NIST SP 800-63B style: a length floor and ceiling, no composition rules."""
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise ValueError(f"a password needs between {MIN_PASSWORD_CHARS} and {MAX_PASSWORD_CHARS} characters")
    if password.strip() == "" or len(set(password)) < 4:
        raise ValueError("this password is too simple")
