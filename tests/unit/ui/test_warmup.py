"""The start-up warm-up: it fills the results page's own caches (pool, peer cells, archetype model),
so the first results view fits nothing; ``WARM_UP=0`` turns it off; server.py runs it at start."""

from __future__ import annotations

import pytest
import streamlit as st

import benchmarks.archetypes as archetypes
import cli
from domain import Profile
from questionnaires.registry import get_instrument
from tests.answer_gen import one_top_answer_per_step
from ui import cache, warmup


@pytest.fixture
def seeded(tmp_path, monkeypatch) -> str:
    st.cache_resource.clear()
    archetypes._CACHE.clear()
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    assert cli.main(["seed-demo", "--n", "300", "--seed", "3", "--url", url]) == 0
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("WARM_UP", raising=False)
    return url


def test_warm_up_fills_the_caches_the_results_page_reads(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    thread = warmup.start()
    assert thread is not None
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert archetypes._CACHE, "the archetype model was not fitted"
    instrument = get_instrument()

    def no_fit(*args, **kwargs):
        raise AssertionError("the first results view fitted the archetype model again")

    monkeypatch.setattr(archetypes, "fit_archetypes", no_fit)
    monkeypatch.setattr(cache, "load_pool", no_fit)  # the pool comes from the warm cache
    profile = Profile("44-45", "5-19", "06")
    bundle, unavailable = cache.firm_results(instrument, profile, one_top_answer_per_step(instrument.questionnaire, profile), None)
    assert not unavailable and bundle.benchmarks is not None and bundle.benchmarks.archetype.available


def test_warm_up_is_off_with_warm_up_0(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARM_UP", "0")
    assert warmup.start() is None
    assert not archetypes._CACHE


def test_a_failing_warm_up_is_logged_not_raised(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(warmup, "warm_up", broken)
    monkeypatch.delenv("WARM_UP", raising=False)
    thread = warmup.start()
    assert thread is not None
    thread.join(timeout=10)
    assert "warm-up failed" in caplog.text


def test_the_server_starts_the_warm_up_with_its_lifespan(monkeypatch: pytest.MonkeyPatch) -> None:
    from starlette.testclient import TestClient

    import server

    started = []
    monkeypatch.setattr(warmup, "start", lambda: started.append(True))
    with TestClient(server.app):
        assert started == [True]
