"""Database engines: URL resolution, SQLite pragmas and write transactions, schema migrations.

SQLite notes (measured in /work/shared/reference/stack-notes.md §6): WAL; ``busy_timeout`` makes
writers wait instead of failing; and a read-then-write transaction must start with ``BEGIN
IMMEDIATE``, because a deferred ``BEGIN`` cannot wait for the write lock when it upgrades (94 % of
such transactions failed). ``synchronous=FULL``, not NORMAL: with NORMAL a commit is not synced to
disk until the next checkpoint, so a power cut drops saves the user was told had succeeded
(tests/faults/test_power_cut.py loses hundreds of acknowledged autosaves with NORMAL, none with
FULL); FULL costs about 0.6 ms per autosave here.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "data" / "app.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000
BEGIN_IMMEDIATE_TRIES = 4  # up to 4 × busy_timeout waiting for the write lock
SQLITE_SYNCHRONOUS = "FULL"  # see the module docstring: NORMAL loses acknowledged saves on power loss
WRITE = {"storage_write": True}  # execution option: this transaction reads then writes


def database_url(url: str | None = None) -> str:
    """The explicit URL, else ``DATABASE_URL``, else the embedded SQLite file ``data/app.db``."""
    return url or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _compact_json(value: object) -> str:
    # No padding and literal accents: shorter rows, and French text stays readable in a SQL shell.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, json_serializer=_compact_json, hide_parameters=True)
    file = None
    if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
        file = Path(parsed.database)
        file.parent.mkdir(parents=True, exist_ok=True)
        _refuse_a_lost_database(file)
    # isolation_level=None: pysqlite emits no BEGIN of its own, so the "begin" event below decides.
    # hide_parameters: error messages and logs show the SQL, never the values (names, codes, paths).
    engine = create_engine(url, json_serializer=_compact_json, hide_parameters=True,
                           connect_args={"isolation_level": None, "timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    if file is not None:
        _watch_the_file(engine, file)
    return engine


MARKER_SUFFIX = ".created"  # beside the SQLite file: it existed, so a missing file is a loss, not a first run


def _refuse_a_lost_database(file: Path) -> None:
    from storage.views import StorageUnavailable

    marker = file.with_name(file.name + MARKER_SUFFIX)
    if not file.exists() and marker.exists():
        raise StorageUnavailable(f"{file} is missing but was created on {marker.read_text(encoding='utf-8').strip()}: "
                                 f"restore it from a backup, or delete {marker} to start with an empty database")


def _watch_the_file(engine: Engine, file: Path) -> None:
    """Remember the file's identity at the first connection; every later transaction checks that
    the path still names that file, so a database deleted (or replaced) under the running app is
    refused at once instead of taking writes into a file nobody will find after a restart."""
    from storage.views import StorageUnavailable

    identity: list[tuple[int, int]] = []

    def first_connect(_dbapi: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        stat = file.stat()
        identity.append((stat.st_dev, stat.st_ino))
        marker = file.with_name(file.name + MARKER_SUFFIX)
        if not marker.exists():
            import datetime as dt

            marker.write_text(dt.datetime.now(dt.UTC).isoformat(timespec="seconds") + "\n", encoding="utf-8")

    def check(_conn: Connection) -> None:
        try:
            stat = file.stat()
        except FileNotFoundError:
            stat = None
        if stat is None or (identity and (stat.st_dev, stat.st_ino) != identity[0]):
            raise StorageUnavailable(f"the database file {file} was deleted or replaced while the app was running")

    event.listen(engine, "first_connect", first_connect)
    event.listen(engine, "begin", check)


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", f"busy_timeout={BUSY_TIMEOUT_MS}", f"synchronous={SQLITE_SYNCHRONOUS}", "foreign_keys=ON",
                   "secure_delete=ON"):  # deleted rows are zeroed in the file (storage.erasure)
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    dbapi_connection = conn.connection.dbapi_connection
    if not isinstance(dbapi_connection, sqlite3.Connection):  # make_engine listens on pysqlite engines only
        raise TypeError(f"expected a sqlite3 connection, got {type(dbapi_connection).__name__}")
    if not conn.get_execution_options().get("storage_write", False):
        dbapi_connection.execute("BEGIN")
        return
    # Each try waits up to busy_timeout; SQLite's busy handler is not a fair queue, so under heavy
    # load a writer can be overtaken for longer than that: retry before giving up.
    for attempt in range(BEGIN_IMMEDIATE_TRIES):
        try:
            dbapi_connection.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if attempt == BEGIN_IMMEDIATE_TRIES - 1 or "locked" not in str(exc):
                raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc  # the type SQLAlchemy raises elsewhere


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the Alembic migrations up to ``revision``, safely when several processes start at once."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect().execution_options(**WRITE) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            # Serialise concurrent upgrades; the lock is released with the transaction.
            conn.execute(text("SELECT pg_advisory_xact_lock(7150426)"))
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
