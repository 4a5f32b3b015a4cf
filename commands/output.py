"""What every command shares: problems to stderr with exit code 1, and option types."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

DB_URL_HELP = "database URL (default: DATABASE_URL, else sqlite:///data/app.db)"


def fail(messages: Iterable[str]) -> int:
    for message in messages:
        print(message, file=sys.stderr)
    return 1


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
