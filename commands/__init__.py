"""Command line: ``python cli.py COMMAND ...`` (see ``python cli.py --help``).

Each command is a small function in this package that parses its arguments and calls the
application layer (``services``); output goes to stdout, problems to stderr as
``PATH:LINE: message`` or ``row N: question: message``, with exit code 1.
"""

from __future__ import annotations

import argparse

from commands import backup, benchmarks, content, content_check, report, score, stats, storage, users
from commands.output import fail
from content.errors import ContentError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cli.py", description="Digital-maturity self-assessment: command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    content.register(sub)
    score.register(sub)
    content.register_schema(sub)
    storage.register(sub)
    report.register(sub)
    benchmarks.register(sub)
    content_check.register(sub)
    users.register(sub)
    backup.register(sub)
    stats.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from benchmarks.disclosure import DisclosureError
    from questionnaires.registry import UnknownQuestionnaire
    from releases.model import ReleaseRefused

    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except ContentError as exc:
        return fail(str(p) for p in exc.problems)
    except (UnknownQuestionnaire, DisclosureError) as exc:  # a user's choice of id or k; other errors are bugs
        return fail([str(exc.args[0]) if exc.args else str(exc)])
    except ReleaseRefused as exc:  # a statistics release that cannot be published safely (seed-demo --with-release)
        return fail([f"release refused: {exc.reason}"])
    except UnicodeDecodeError as exc:
        return fail([f"input is not UTF-8 text (byte {exc.start}: {exc.reason})"])
    except OSError as exc:  # a file that cannot be read or written: one line, no traceback
        return fail([f"{exc.filename or ''}{': ' if exc.filename else ''}{exc.strerror or type(exc).__name__}"])
