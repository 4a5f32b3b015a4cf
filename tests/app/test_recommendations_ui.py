"""The roadmap section of the results page through AppTest (the PDF bytes are tested in test_pdf.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.sections as results_sections
from domain import Profile
from i18n import t
from questionnaires.registry import get_instrument
from services.results import prepare_report
from tests.answer_gen import fill_other_steps, one_top_answer_per_step
from tests.conftest import ROOT
from ui.sections.roadmap import render as roadmap_section
from ui.sections.roadmap import render_what_if

APP = str(ROOT / "app.py")
HOSTILE = "Café <b>Bob & Fils</b>"
ANSWERS = {"strategy_readiness": {"written_plan": "no"}}


@pytest.fixture(autouse=True)
def fresh_app(tmp_path, monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")


def test_roadmap_and_what_if_have_their_tabs():
    tabs = {tab.label_key: tab.sections for tab in results_sections.RESULT_TABS}
    assert tabs["app.results.tab.roadmap"] == (roadmap_section,) and tabs["app.results.tab.whatif"] == (render_what_if,)


def results_page(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.button(key="start").click().run()
    at.selectbox(key="profile_sector").select("31-33")
    at.selectbox(key="profile_size").select("1-4")
    at.selectbox(key="profile_region").select("05")
    at.text_input(key="profile_name").input(HOSTILE)
    at.button[0].click().run()
    at.radio(key="w:strategy_readiness:written_plan").set_value(ANSWERS["strategy_readiness"]["written_plan"]).run()
    fill_other_steps(at, top=False)  # results need a scored answer in every dimension
    return at.switch_page("ui/pages/results.py").run()


def page_text(at: AppTest) -> str:
    kinds = ("header", "subheader", "markdown", "caption", "info", "error")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def expected_titles(lang: str) -> list[str]:
    profile = Profile("31-33", "1-4", "05", HOSTILE)
    answers = {**ANSWERS, **one_top_answer_per_step(get_instrument().questionnaire, profile, skip=("strategy",), top=False)}
    data = prepare_report(get_instrument(), profile, answers, dt.date(2026, 11, 26))
    return [item.action.title.get(lang) for item in data.roadmap.items]


@pytest.mark.parametrize(("lang", "title", "button"), [
    ("fr", "Feuille de route numérique", "Télécharger le rapport PDF"),
    ("en", "Digital roadmap", "Download the PDF report"),
])
def test_roadmap_what_if_and_download_render(lang, title, button):
    at = results_page(lang)
    titles = expected_titles(lang)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    text = page_text(at)
    assert title in text
    table = t("app.summary.radar_table", lang)  # the summary chart's table; every other expander is an action
    assert [e.label for e in at.expander if e.label != table] == titles and len(titles) == 10
    assert "MES" not in " ".join(e.label for e in at.expander)  # a 1-4 employee shop is not told to install an MES
    download = [b for b in at.get("download_button") if b.proto.label == button]
    assert len(download) == 1
    choose = at.multiselect[0]
    assert [choose.format_func(v) for v in choose.value] == titles  # the what-if starts from the roadmap
    before = at.table[-1].value.iloc[0, 2]
    choose.set_value([]).run()
    assert not at.exception
    after_none = at.table[-1].value
    assert after_none.iloc[0, 1] == after_none.iloc[0, 2]  # nothing chosen: projected equals today
    assert before != after_none.iloc[0, 2]


def _sparse_roadmap_section() -> None:
    """The roadmap and what-if sections for a firm that answered strategy only (the results page now asks for an
    answer in every dimension first, issue 12; the same bundle reaches the PDF and the CLI)."""
    from domain import Profile
    from questionnaires.registry import get_instrument
    from services.results import results_for
    from ui.sections.context import ResultsContext
    from ui.sections.roadmap import render, render_what_if

    bundle = results_for(get_instrument(), Profile("31-33", "1-4", "05"), {"strategy_readiness": {"written_plan": "no"}})
    render(ResultsContext(bundle, "en", None))
    render_what_if(ResultsContext(bundle, "en", None))


def test_first_scores_are_explained_in_the_roadmap_and_the_what_if():
    """Issue 14: only strategy is answered, so most actions give another dimension its first score;
    the section says so next to each and under the what-if, and never calls it a gain."""
    at = AppTest.from_function(_sparse_roadmap_section, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    text = page_text(at).replace("\\", "")  # captions are Markdown-escaped (ui.text.literal)
    assert ": first score, " in text and "a first score is not counted as a gain" in text
    assert "Together, these actions give a first score to" in text  # the what-if, for the whole roadmap
    assert "Estimated gain: +0.0 " not in text
