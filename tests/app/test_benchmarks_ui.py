"""The results-page benchmarks section, rendered with AppTest against a seeded and an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import cli
from benchmarks.peers import MetricComparison, PeerComparison
from i18n import t
from questionnaires.registry import Instrument
from ui.sections import RESULT_TABS
from ui.sections.benchmarks import peer_chart, peer_rows, render_comparison, render_statistics

SCRIPT = '''
from questionnaires.registry import get_instrument
from domain import Profile
from services.pool import load_pool
from services.results import results_for
from storage import open_repository
from ui.sections.benchmarks import render_comparison, render_statistics
from ui.sections.context import ResultsContext

inst = get_instrument()
answers = {"web_presence": ["website"], "online_sales_channels": ["none"], "staff_internet_access": "over_75"}
profile = Profile("44-45", "1-4", "06")
context = ResultsContext(results_for(inst, profile, answers, load_pool(open_repository(URL), inst)), LOCALE, None)
render_comparison(context)
render_statistics(context)
'''


@pytest.fixture(autouse=True)
def _clear_caches() -> None:
    st.cache_resource.clear()


def _app(tmp_path: Path, url: str, locale: str) -> AppTest:
    script = tmp_path / "section.py"
    script.write_text(f"URL = {url!r}\nLOCALE = {locale!r}\n" + SCRIPT, encoding="utf-8")
    return AppTest.from_file(str(script), default_timeout=60).run()


def test_sections_are_in_their_tabs() -> None:
    tabs = {tab.label_key: tab.sections for tab in RESULT_TABS}
    assert render_comparison in tabs["app.results.tab.comparison"] and render_statistics in tabs["app.results.tab.statistics"]


def test_synthetic_pool_is_labelled_and_shown(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert cli.main(["seed-demo", "--n", "300", "--seed", "2", "--url", url]) == 0
    at = _app(tmp_path, url, "fr")
    assert not at.exception
    assert "Données synthétiques" in at.warning[0].value
    assert [s.value for s in at.subheader][:3] == ["Vos scores parmi les entreprises comparables", "Votre profil type",
                                                   "Ce qu'utilisent déjà les entreprises semblables plus avancées"]
    assert "Comparaison avec les statistiques officielles" in [s.value for s in at.subheader]
    text = " ".join(m.value for m in at.markdown)
    assert "Vend en ligne" in text and "Population différente" in text
    assert len(at.dataframe) == 1
    assert any("statcan.gc.ca" in c.value for c in at.caption)


def test_empty_database_says_there_is_not_enough_data(tmp_path: Path) -> None:
    at = _app(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}", "en")
    assert not at.exception and not at.warning
    assert "Not enough comparable businesses yet: at least 10" in at.info[0].value
    assert len(at.dataframe) == 0
    assert "Not enough businesses yet to identify typical profiles" in " ".join(m.value for m in at.markdown)


def test_peer_rows_and_chart_skip_suppressed_cells(instrument: Instrument) -> None:
    q = instrument.questionnaire
    peers = PeerComparison({
        "overall": MetricComparison("overall", 40.0, 55.0, 12, "sector+size", (30.0, 38.0, 50.0)),
        "strategy": MetricComparison("strategy", 20.0, None, 0, None, None),
    }, k=10, synthetic=False, pool_size=12)
    rows = peer_rows(q, peers, "en")
    assert [r["label"] for r in rows] == ["Overall score", q.dimensions[0].label.en]
    assert rows[0]["cell"] == "same sector and size (all regions)" and rows[1]["cell"] == "fewer than 10 businesses"
    spec = peer_chart(rows, "en").to_dict()
    band_data = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert [r["metric"] for r in band_data] == ["overall"]  # no quartiles drawn for a suppressed cell


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_every_code_the_core_returns_has_a_string(locale: str) -> None:
    caveats = ("size_outside_population", "size_partly_outside", "sector_outside_population", "other_economy")
    keys = [f"benchmarks.caveat.{c}" for c in caveats]
    keys += [f"benchmarks.neighbours.{r}" for r in ("not_enough_data", "no_leaders")]
    keys += [f"benchmarks.neighbours.scope.{s}" for s in ("sector", "all_sectors")]
    keys += [f"benchmarks.cell.{c.replace('+', '_')}" for c in ("sector+size+region", "sector+size", "sector", "all")]
    assert all(t(key, locale, size="x") for key in keys)
