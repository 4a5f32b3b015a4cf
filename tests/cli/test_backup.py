"""Backups (issue 13, part 2): an online SQLite copy with `cli.py backup`, and pg_dump / pg_restore
for PostgreSQL: back up, wipe, restore, and the firm resumes with the same code."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from commands.backup import libpq_url
from domain import Profile
from storage.db import make_engine, upgrade
from storage.repository import Repository
from tests.conftest import ROOT

PG_URL = os.environ.get("TEST_POSTGRES_URL")


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_sqlite_online_backup_while_the_app_writes(tmp_path, mini):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    repo = Repository(make_engine(url))
    upgrade(repo.engine)
    new = repo.start_assessment(mini, Profile("31-33", "20-49", "05", "Sauvegarde"))
    repo.save_answers(new.assessment_id, {"plan": "high"})
    stop = threading.Event()

    def keep_writing() -> None:
        while not stop.is_set():
            repo.save_answers(new.assessment_id, {"plan": "low"})
            repo.save_answers(new.assessment_id, {"plan": "high"})

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        run = cli("backup", str(tmp_path / "copy.db"), "--url", url)
    finally:
        stop.set()
        writer.join()
    assert run.returncode == 0, run.stderr
    copy = Repository(make_engine(f"sqlite:///{tmp_path / 'copy.db'}"))
    copy.register_instrument(mini)
    assert copy.resume(new.resume_code).answers["plan"] in ("low", "high")
    assert cli("backup", str(tmp_path / "copy.db"), "--url", url).returncode == 1  # never overwritten silently
    repo.engine.dispose()
    copy.engine.dispose()


@pytest.mark.skipif(not PG_URL, reason="TEST_POSTGRES_URL is not set (make test starts a throwaway PostgreSQL server)")
def test_postgresql_dump_wipe_restore_and_resume_with_the_same_code(tmp_path, mini):
    database = f"backup_{os.getpid()}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    url = make_url(PG_URL).set(database=database).render_as_string(hide_password=False)
    try:
        repo = Repository(make_engine(url))
        upgrade(repo.engine)
        new = repo.start_assessment(mini, Profile("31-33", "20-49", "05", "Sauvegarde PG"))
        repo.save_answers(new.assessment_id, {"plan": "high"})
        dump = tmp_path / "dm.dump"
        run = cli("backup", str(dump), "--url", url)
        assert run.returncode == 0, run.stderr
        with repo.engine.begin() as conn:  # the disaster
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        repo.engine.dispose()
        restore = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", libpq_url(url), str(dump)],
                                 capture_output=True, text=True)
        assert restore.returncode == 0, restore.stderr
        again = Repository(make_engine(url))
        again.register_instrument(mini)
        assert again.resume(new.resume_code).answers == {"plan": "high"}
        again.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
