"""8 processes × 200 autosaves into ONE assessment: no answer and no log row may be lost.

Each process merges its own question keys through ``save_answers`` (read-modify-write), started
together behind a barrier, on SQLite (BEGIN IMMEDIATE) and PostgreSQL (SELECT ... FOR UPDATE).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from domain import Profile
from questionnaires.registry import Instrument, load_questionnaire
from storage import Repository, open_repository
from storage.db import current_revision, make_engine, upgrade
from storage.models import AssessmentLog
from tests.conftest import FIXTURES
from tests.databases import BACKENDS, fresh_url, own_database

WORKERS, SAVES = 8, 200
MINI = FIXTURES / "mini.yaml"


def wide_instrument(tmp_path: Path) -> Instrument:
    """The mini instrument plus one number question per (worker, save), so every write has its own key."""
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["id"] = "mini-wide"
    data["questions"] += [{"id": f"p{w}_{s}", "dimension": "alpha", "type": "number", "min": 0, "max": 1000,
                           "scoring": {"points": [[0, 0], [1000, 1]]}, "label": {"fr": f"Q {w}.{s}", "en": f"Q {w}.{s}"}}
                          for w in range(WORKERS) for s in range(SAVES)]
    path = tmp_path / "mini-wide.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_questionnaire(path)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with own_database("storage_concurrency_tests") as url:
        yield url


def url_for(request, backend: str, tmp_path: Path) -> str:
    return fresh_url(backend, tmp_path, request.getfixturevalue("pg_url") if backend == "postgresql" else None)


def autosave_worker(url: str, instrument: Instrument, assessment_id: str, worker: int, barrier) -> None:
    engine = make_engine(url)  # a fresh engine per process: never share connections across fork
    repo = Repository(engine)
    repo.register_instrument(instrument)
    barrier.wait()
    for save in range(SAVES):
        repo.save_answers(assessment_id, {f"p{worker}_{save}": save + worker}, step=f"w{worker}")
    engine.dispose()




def first_start_worker(url: str, barrier) -> None:
    barrier.wait()
    open_repository(url).engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_several_processes_starting_on_an_empty_database_migrate_it_once(request, backend, tmp_path):
    url = url_for(request, backend, tmp_path)
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(4)
    workers = [ctx.Process(target=first_start_worker, args=(url, barrier)) for _ in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(timeout=60)
    assert [p.exitcode for p in workers] == [0] * 4
    engine = make_engine(url)
    assert current_revision(engine) == "0003"
    engine.dispose()


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_autosaves_lose_nothing(request, backend, tmp_path):
    url = url_for(request, backend, tmp_path)
    instrument = wide_instrument(tmp_path)
    engine = make_engine(url)
    upgrade(engine)
    repo = Repository(engine)
    assessment_id = repo.start_assessment(instrument, Profile("31-33", "20-49", "05")).assessment_id
    engine.dispose()  # no pooled connection may cross the fork

    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(WORKERS)
    workers = [ctx.Process(target=autosave_worker, args=(url, instrument, assessment_id, w, barrier)) for w in range(WORKERS)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(timeout=100)
    assert [p.exitcode for p in workers] == [0] * WORKERS

    view = repo.load(assessment_id)
    assert view.answers == {f"p{w}_{s}": s + w for w in range(WORKERS) for s in range(SAVES)}
    assert view.revision == WORKERS * SAVES
    log = AssessmentLog.__table__
    with engine.connect() as conn:
        per_worker = dict(conn.execute(select(log.c.step, func.count()).where(
            log.c.assessment_id == assessment_id, log.c.kind == "answers").group_by(log.c.step)).all())
        revisions = conn.execute(select(log.c.revision).where(log.c.kind == "answers")).scalars().all()
        if backend == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert per_worker == {f"w{w}": SAVES for w in range(WORKERS)}
    assert sorted(revisions) == list(range(1, WORKERS * SAVES + 1))
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_threads_sharing_one_repository_lose_nothing(request, backend, tmp_path, mini):
    """Streamlit serves every session from threads of one process, all using one cached repository."""
    engine = make_engine(url_for(request, backend, tmp_path))
    upgrade(engine)
    repo = Repository(engine)
    ids = [repo.start_assessment(mini, Profile("31-33", "20-49", "05")).assessment_id for _ in range(4)]
    errors: list[BaseException] = []

    def session(i: int) -> None:
        try:
            for n in range(50):
                repo.save_answers(ids[i], {"online_share": n})
                repo.save_answers(ids[(i + 1) % 4], {"plan": ("low", "mid", "high")[n % 3]})
                repo.load(ids[i])
        except BaseException as exc:  # re-raised below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [(v.revision, v.answers) for v in map(repo.load, ids)] == [(100, {"online_share": 49, "plan": "mid"})] * 4
    engine.dispose()
