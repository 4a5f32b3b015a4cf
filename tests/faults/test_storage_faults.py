"""Issue 13, finding 4: storage failures reach users as one sentence in their language, never as a
traceback with SQL and parameters; what they typed stays; operators get the error in the log.

Each case breaks the app's own database while it runs (AppTest, one SQLite file per test): disk
full (SQLite's page limit), read-only, a lock held by another connection, an I/O error, a NUL in
a firm name, an assessment deleted from another window.
"""

from __future__ import annotations

import logging
import sqlite3
import tomllib

import pytest
import streamlit as st
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

import storage.db
from domain import Profile
from questionnaires.registry import get_instrument
from tests.answer_gen import fill_other_steps
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
SECRET = "Atelier Secret-Nom 4242"
FAILED = {"fr": "L’enregistrement est momentanément indisponible", "en": "Saving is temporarily unavailable"}
GONE = {"fr": "Cette évaluation n’existe plus", "en": "This assessment no longer exists"}


@pytest.fixture(autouse=True)
def fresh_app(tmp_path, monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def repo(url):
    from storage import open_repository

    return open_repository(url)


def new_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def fill_profile(at: AppTest, name: str = SECRET) -> AppTest:
    at.button(key="start").click().run()
    at.selectbox(key="profile_sector").select("31-33")
    at.selectbox(key="profile_size").select("20-49")
    at.selectbox(key="profile_region").select("05")
    at.text_input(key="profile_name").input(name)
    return at


def shown(at: AppTest) -> str:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "success", "error", "warning", "text", "code")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def assert_one_sentence(at: AppTest, expected: dict[str, str], locale: str = "fr") -> None:
    assert not at.exception, [e.message for e in at.exception]  # no traceback element at all
    errors = [e.value for e in at.error]
    assert any(expected[locale] in e for e in errors), errors
    page = shown(at)
    for leak in ("Traceback", "sqlite3", "SELECT", "INSERT", "UPDATE", "[parameters", "OperationalError", "/tmp/"):
        assert leak not in page, leak


def break_connections(url: str, pragma: str) -> None:
    """Every new connection of the app's engine runs ``pragma``; pooled ones are dropped."""
    engine = repo(url).engine
    event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute(pragma))
    engine.dispose()


def fail_writes(url: str, message: str) -> None:
    """Every INSERT or UPDATE of the app's engine fails in the driver with SQLite's ``message``
    (SQLite's own page limit cannot make a small insert fail: it fits in an existing page)."""
    def refuse(_conn, _cursor, statement, _parameters, _context, _many):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
            raise sqlite3.OperationalError(message)

    event.listen(repo(url).engine, "before_cursor_execute", refuse)


def test_disk_full_when_starting_keeps_the_form_and_says_so(fresh_app, caplog):
    at = fill_profile(new_app())
    fail_writes(fresh_app, "database or disk is full")
    with caplog.at_level(logging.ERROR, logger="ui.errors"):
        at.button[0].click().run()
    assert_one_sentence(at, FAILED)
    assert at.text_input(key="profile_name").value == SECRET  # what the user typed is still there
    assert at.selectbox(key="profile_sector").value == "31-33"
    record = next(r for r in caplog.records if r.name == "ui.errors")
    assert record.exc_info and "full" in str(record.exc_info[1])  # operators see the cause in the log
    assert SECRET not in str(record.exc_info[1])  # but not the values (hide_parameters)


def test_read_only_database_while_answering_and_completing(fresh_app):
    at = fill_profile(new_app(lang="en"))
    at.button[0].click().run()
    fill_other_steps(at)  # enough answers for results (issue 12), saved before the database turns read-only
    break_connections(fresh_app, "PRAGMA query_only=ON")
    at.radio(key="w:strategy_readiness:written_plan").set_value("yes").run()
    assert not at.exception
    assert at.session_state["draft"].answers["strategy_readiness"] == {"written_plan": "yes"}  # kept in the session
    at.switch_page("ui/pages/results.py").run()
    at.button(key="complete").click().run()
    assert_one_sentence(at, FAILED, "en")


def test_a_lock_held_too_long_gives_the_message_not_a_traceback(fresh_app, monkeypatch, tmp_path):
    monkeypatch.setattr(storage.db, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(storage.db, "BEGIN_IMMEDIATE_TRIES", 1)
    at = fill_profile(new_app())
    repo(fresh_app)
    holder = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the database
    try:
        at.button[0].click().run()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_one_sentence(at, FAILED)
    assert at.text_input(key="profile_name").value == SECRET
    at.button[0].click().run()  # the lock is gone: the same form now starts the assessment
    assert not at.exception and at.session_state["draft"].profile.name == SECRET


def test_an_io_error_on_resume_and_on_delete(fresh_app, monkeypatch):
    from storage.repository import Repository

    created = repo(fresh_app).start_assessment(get_instrument(), Profile("31-33", "20-49", "05", SECRET))

    def io_error(*_args, **_kwargs):
        raise OperationalError("SELECT resume_credential.assessment_id FROM resume_credential WHERE code_hash = ?",
                               (SECRET,), sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(Repository, "resume", io_error)
    monkeypatch.setattr(Repository, "delete_with_code", io_error)
    at = new_app(resume=created.resume_code)  # a resume link
    assert_one_sentence(at, FAILED)
    at = new_app(lang="en")
    at.switch_page("ui/pages/resume.py").run()
    at.text_input(key="resume_code_input").input(created.resume_code)
    at.button[0].click().run()
    assert_one_sentence(at, FAILED, "en")
    at.switch_page("ui/pages/privacy.py").run()
    at.text_input(key="delete_code").input(created.resume_code)
    at.checkbox(key="delete_confirm").check()
    at.button[0].click().run()
    assert_one_sentence(at, FAILED, "en")
    assert SECRET not in shown(at)


@pytest.mark.parametrize("name", ["Atelier\x00Nul", "Atelier\x07Bell", "Ligne\u2028sep"])
def test_control_characters_in_a_name_are_refused_at_the_form(fresh_app, name):
    at = fill_profile(new_app(), name=name)
    at.button[0].click().run()
    assert not at.exception
    assert "draft" not in at.session_state  # nothing was started
    assert at.error  # the invalid-answer message


def test_an_assessment_deleted_in_another_window(fresh_app):
    at = fill_profile(new_app())
    at.button[0].click().run()
    fill_other_steps(at, skip=())  # enough answers for results (issue 12)
    draft = at.session_state["draft"]
    assert repo(fresh_app).delete_with_code(draft.resume_code) is True  # from the privacy page of another window
    at.switch_page("ui/pages/results.py").run()
    at.button(key="complete").click().run()
    assert_one_sentence(at, GONE)
    assert "draft" not in at.session_state  # the window forgets it


def test_user_facing_error_details_are_off_and_sql_errors_hide_parameters(tmp_path):
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    engine = storage.db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(OperationalError) as err, engine.connect() as conn:
        conn.execute(text("SELECT * FROM missing WHERE name = :name"), {"name": SECRET})
    assert SECRET not in str(err.value) and "hidden" in str(err.value)
