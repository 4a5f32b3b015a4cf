"""``python cli.py migrate`` (schema up to date) and ``python cli.py purge`` (retention); open_repository does both too."""

from __future__ import annotations

import argparse


def cmd_migrate(args: argparse.Namespace) -> int:
    from storage.db import current_revision, database_url, make_engine, upgrade

    url = database_url(args.url)
    engine = make_engine(url)
    try:
        upgrade(engine, args.revision)
        print(f"{engine.url.render_as_string(hide_password=True)}: schema at revision {current_revision(engine)}")
    finally:
        engine.dispose()
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from storage.db import database_url, make_engine, upgrade
    from storage.repository import Repository

    engine = make_engine(database_url(args.url))
    try:
        upgrade(engine)
        print(f"{Repository(engine).purge_expired()} expired draft(s) deleted")
    finally:
        engine.dispose()
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("migrate", help="create or upgrade the database schema (DATABASE_URL, default data/app.db)")
    p.add_argument("--url", help="database URL (default: DATABASE_URL, else sqlite:///data/app.db)")
    p.add_argument("--revision", default="head", help="target Alembic revision (default: head)")
    p.set_defaults(func=cmd_migrate)

    p = subparsers.add_parser("purge", help="delete drafts past their retention date (run daily, e.g. from cron)")
    p.add_argument("--url", help="database URL (default: DATABASE_URL, else sqlite:///data/app.db)")
    p.set_defaults(func=cmd_purge)
