"""The admins' releases page through AppTest, on the real service and engine: a synthetic preview,
an official release only after the "this freezes period P" confirmation, a refusal shown with its
reason (no real population), a bad period; the list of releases; an analyst cannot reach the page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from questionnaires.registry import get_instrument
from services.demo import seed_demo
from tests.app import test_advisor_pages
from tests.app.test_advisor_pages import APP, clean, page_titles, run, sign_in_as

fresh_app, access = test_advisor_pages.fresh_app, test_advisor_pages.access  # the fixtures: a database per test
RELEASES = "ui/pages/admin/releases.py"
PERIOD = str(datetime.now(UTC).year)  # seed_demo spreads completions over the past year


def open_page(access, monkeypatch, lang="fr"):
    sign_in_as(access, monkeypatch, "admin@x.ca", ["admin"])
    at = AppTest.from_file(APP, default_timeout=240)  # a release (the LP audit) takes seconds to tens of seconds
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(RELEASES).run()
    return clean(at)


def runs(access) -> list[dict]:
    return [r.detail for r in access.repo.users.access_log(limit=50) if r.action == "run_release"]


def test_preview_then_official_after_confirmation(access, monkeypatch):
    seed_demo(access.repo, get_instrument(), 300, 5)
    at = open_page(access, monkeypatch)
    at.selectbox(key="rel_stage").select("T0")  # seed_demo makes T0 assessments
    assert page_titles(at) == ["Diffusions statistiques"] and not at.table
    at.text_input(key="rel_period").input(PERIOD)
    at.checkbox(key="rel_synthetic").check()
    at.button(key="rel_run").click().run()
    assert "produite" in clean(at).success[0].value, [e.value for e in at.error]
    assert runs(access)[0] | {"release_id": None, "firms": None} == {
        "release_id": None, "period": PERIOD, "stages": ["T0"], "synthetic": True, "official": False, "firms": None}
    at.radio(key="rel_kind").set_value("official").run()
    assert at.checkbox(key="rel_confirm").label == f"Je comprends que cette diffusion fige la période {PERIOD}."
    at.button(key="rel_run").click().run()
    assert "Cochez la confirmation" in clean(at).error[0].value and len(runs(access)) == 1  # nothing ran
    at.checkbox(key="rel_confirm").check()
    at.button(key="rel_run").click().run()
    assert clean(at).success and runs(access)[0]["official"] is True
    listed = at.table[0].value
    assert len(listed) == 2 and sorted(listed["Diffusion officielle"]) == ["non", "oui"]


def test_a_refusal_shows_its_reason_and_a_bad_period_runs_nothing(access, monkeypatch):
    at = open_page(access, monkeypatch, lang="en")
    at.text_input(key="rel_period").input("20x6")
    at.button(key="rel_run").click().run()
    assert "must be a year" in clean(at).error[0].value and not runs(access)
    at.text_input(key="rel_period").input(PERIOD)
    at.selectbox(key="rel_stage").select("T0")
    at.button(key="rel_run").click().run()
    refusal = clean(at).error[0].value
    assert refusal.startswith("Release refused: ") and "no consenting, non-synthetic completed assessment" in refusal
    assert not runs(access) and not at.table  # nothing stored


def test_an_analyst_cannot_reach_the_releases_page(access, monkeypatch):
    sign_in_as(access, monkeypatch, "stat@gouv.qc.ca", ["analyst"])
    at = clean(run())
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(RELEASES)
