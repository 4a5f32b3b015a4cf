"""The two database backends every storage-facing test runs on: a new SQLite file, or a database of
its own on the throwaway PostgreSQL server that scripts/test.sh starts (TEST_POSTGRES_URL)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import make_engine, upgrade
from storage.repository import Repository

PG_URL = os.environ.get("TEST_POSTGRES_URL")
NO_PG = "TEST_POSTGRES_URL is not set (scripts/test.sh / make test start a throwaway PostgreSQL server and set it)"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason=NO_PG))]


def _admin(sql: str) -> None:
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


@contextmanager
def own_database(name: str) -> Iterator[str]:
    """A database of our own on the test server (other test files' connections stay untouched)."""
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_url(backend: str, tmp_path: Path, pg_url: str | None) -> str:
    """A database URL with an empty schema: a new SQLite file, or a wiped PostgreSQL schema."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/app.db"
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return pg_url


def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """``fresh_url`` for a fixture parametrised with ``BACKENDS``; the PostgreSQL case uses the
    module's own ``pg_url`` fixture (a database named after that module's tests)."""
    backend = request.param  # type: ignore[attr-defined]
    return fresh_url(backend, tmp_path, request.getfixturevalue("pg_url") if backend == "postgresql" else None)


@contextmanager
def migrated_repository(request: pytest.FixtureRequest, tmp_path: Path, clock: Callable[[], datetime]) -> Iterator[Repository]:
    """A repository on a fresh, migrated database of the backend ``request`` asks for."""
    engine = make_engine(backend_url(request, tmp_path))
    upgrade(engine)
    try:
        yield Repository(engine, clock=clock)
    finally:
        engine.dispose()
