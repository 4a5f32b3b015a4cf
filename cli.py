"""Command line entry point: ``python cli.py COMMAND ...`` (the commands live in ``commands/``)."""

from __future__ import annotations

import sys

from commands import build_parser, main
from commands.score import score_documents

__all__ = ["build_parser", "main", "score_documents"]

if __name__ == "__main__":
    sys.exit(main())
