"""``python cli.py backup OUT``: a consistent copy of the database while the app runs.

SQLite: SQLite's online backup API (pages copied under a read lock, retried if a writer changes
them), then the copy is checked with ``PRAGMA integrity_check``. PostgreSQL: ``pg_dump
--format=custom`` (restore with ``pg_restore --clean --if-exists -d URL OUT``; README "Backups").
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
from pathlib import Path

from commands.output import DB_URL_HELP, fail


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump reads it (no ``+driver``)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def cmd_backup(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from storage.db import database_url

    url = database_url(args.url)
    parsed, out = make_url(url), Path(args.out)
    if out.exists() and not args.force:
        return fail([f"{out}: already exists (use --force to replace it)"])
    out.parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "sqlite":
        source = Path(parsed.database or "")
        if not source.is_file():
            return fail([f"{source}: no such database file"])
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(out) as dst:
            src.backup(dst)
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        src.close()
        dst.close()
        if check != "ok":
            return fail([f"{out}: the copy failed its integrity check ({check})"])
    elif parsed.get_backend_name() == "postgresql":
        if shutil.which("pg_dump") is None:
            return fail(["pg_dump not found: install postgresql-client"])
        run = subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={out}", libpq_url(url)],
                             capture_output=True, text=True)
        if run.returncode != 0:
            return fail([f"pg_dump failed: {run.stderr.strip().splitlines()[-1] if run.stderr.strip() else run.returncode}"])
    else:
        return fail([f"backup: unsupported database {parsed.get_backend_name()}"])
    print(f"{parsed.render_as_string(hide_password=True)}: backed up to {out} ({out.stat().st_size} bytes)")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("backup", help="consistent online copy of the database (SQLite backup API, or pg_dump)")
    p.add_argument("out", help="the backup file to write")
    p.add_argument("--url", help=DB_URL_HELP)
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.set_defaults(func=cmd_backup)
