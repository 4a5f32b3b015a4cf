"""``python cli.py content check``: the review status of the shipped content.

Exit 1 on structural problems (a content file that does not load or whose cross-references fail);
entries past their review date and outdated statistics are printed as warnings, exit 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from services.content_review import DEFAULT_MAX_AGE_YEARS, review_content


def cmd_content_check(args: argparse.Namespace) -> int:
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    review = review_content(today, args.max_age)
    for line in review.lines():
        print(line, file=sys.stdout if not line.startswith("error:") else sys.stderr)
    return 0 if review.ok else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("content", help="content maintenance (content check: review status of the shipped content)")
    sub = p.add_subparsers(dest="content_command", required=True)
    check = sub.add_parser("check", help="structural problems (exit 1) and entries due for review (warnings, exit 0)")
    check.add_argument("--today", help="review date, YYYY-MM-DD (default: today)")
    check.add_argument("--max-age", type=int, default=DEFAULT_MAX_AGE_YEARS,
                       help="flag statistics older than this many years when a newer edition is referenced "
                            f"(default {DEFAULT_MAX_AGE_YEARS})")
    check.set_defaults(func=cmd_content_check)
