"""The results page computes a firm's results once: one rerun scores the firm once, compares it
with the pool once and builds the roadmap once, whatever sections are shown; a second rerun and
the PDF download reuse them (services.results.ResultsBundle)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import benchmarks.indicators
import benchmarks.report
import recommendations.prioritise
import scoring.engine
import services.results
from tests.answer_gen import fill_other_steps
from tests.app.test_app_pages import APP, start_through_profile

# Every name under which the core functions can be reached (module attribute and import sites).
COUNTED = {
    "score_firm": [(scoring.engine, "score_firm"), (services.results, "score_firm")],
    "benchmark_firm": [(benchmarks.report, "benchmark_firm"), (services.results, "benchmark_firm")],
    "compare_indicators": [(benchmarks.indicators, "compare_indicators"), (benchmarks.report, "compare_indicators"),
                           (services.results, "compare_indicators")],
    "build_roadmap": [(recommendations.prioritise, "build_roadmap"), (services.results, "build_roadmap")],
}


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    counter: Counter[str] = Counter()

    def counting(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counter[name] += 1
            return original(*args, **kwargs)
        return wrapper

    for name, sites in COUNTED.items():
        original = getattr(*sites[0])
        for module, attribute in sites:
            monkeypatch.setattr(module, attribute, counting(name, original))
    yield counter


@pytest.fixture
def seeded_app(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    import cli

    st.cache_data.clear()
    st.cache_resource.clear()
    services.results._BUNDLES.clear()
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["seed-demo", "--n", "300", "--seed", "3", "--url", url]) == 0  # a pool: every comparison is exercised
    at = start_through_profile(AppTest.from_file(APP, default_timeout=60).run())
    at.radio(key="w:strategy_readiness:written_plan").set_value("yes").run()
    at.radio(key="w:strategy_readiness:management_ready").set_value("partly").run()
    fill_other_steps(at)  # results need a scored answer in every dimension
    return at


def test_one_rerun_scores_compares_and_prioritises_once(seeded_app: AppTest, calls: Counter[str]) -> None:
    at = seeded_app.switch_page("ui/pages/results.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.header[0].value and any("synthétiques" in w.value for w in at.warning)  # the benchmarks section ran
    assert calls == Counter(score_firm=1, benchmark_firm=1, compare_indicators=1, build_roadmap=1)

    at.run()  # a rerun with the same answers (e.g. a what-if change) reuses the bundle
    assert not at.exception
    assert calls == Counter(score_firm=1, benchmark_firm=1, compare_indicators=1, build_roadmap=1)


def test_the_pdf_download_recomputes_nothing(seeded_app: AppTest, calls: Counter[str]) -> None:
    at = seeded_app.switch_page("ui/pages/results.py").run()
    assert not at.exception
    [bundle] = list(services.results._BUNDLES._values.values())
    before = Counter(calls)
    pdf = services.results.report_pdf(bundle, "fr", dt.date(2026, 12, 1))  # what the download button's callable runs
    assert pdf.startswith(b"%PDF") and calls == before

