"""Resume codes: 140 random bits shown as 7 blocks of 4 Crockford base32 characters.

Only ``code_hash(code)`` is stored. Plain SHA-256 rather than HMAC with a server secret: the code
is 140 uniformly random bits, so a leaked hash cannot be reversed or brute-forced anyway, and no
secret file has to be created, backed up, rotated or shared between app servers (losing such a
file would silently invalidate every code).
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 28  # 28 × 5 = 140 bits ≥ 128
GROUP = 4
# Crockford decoding: letters people confuse with digits read as those digits.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalize(code: str) -> str:
    """Upper-case, without dashes or whitespace, ambiguous letters read as digits."""
    return "".join(code.split()).replace("-", "").upper().translate(_READ_AS)


def code_hash(code: str) -> str:
    """Hash of the normalised code; malformed input hashes too, so every lookup takes one path."""
    return hashlib.sha256(normalize(code).encode("utf-8", "replace")).hexdigest()
