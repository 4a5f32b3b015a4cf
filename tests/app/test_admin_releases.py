"""The admins' releases page through AppTest: a preview, an official release only after the
"this freezes period P" confirmation, a refusal shown with its reason, the list of releases; an
analyst cannot reach the page."""

from __future__ import annotations

import pytest

from tests.app import test_advisor_pages
from tests.app.statistics_support import publish_for_admin
from tests.app.test_advisor_pages import clean, page_titles, run, sign_in_as

fresh_app, access = test_advisor_pages.fresh_app, test_advisor_pages.access  # the fixtures: a database per test
RELEASES = "ui/pages/admin/releases.py"


def open_page(access, monkeypatch, lang="fr"):
    service = publish_for_admin(monkeypatch)
    sign_in_as(access, monkeypatch, "admin@x.ca", ["admin"])
    at = clean(run(lang=lang))
    at.switch_page(RELEASES).run()
    return service, clean(at)


def test_preview_then_official_after_confirmation(access, monkeypatch):
    service, at = open_page(access, monkeypatch)
    assert page_titles(at) == ["Diffusions statistiques"]
    assert "r-2025" in at.table[0].value.iloc[:, 0].tolist()
    at.text_input(key="rel_period").input("2026")
    at.checkbox(key="rel_synthetic").check()
    at.button(key="rel_run").click().run()
    assert service.runs[-1] == {"period": "2026", "stages": ("T0", "T1"), "synthetic": True, "official": False,
                                "created_by": "admin@x.ca"}
    assert "Diffusion r-2026-1 produite" in clean(at).success[0].value
    at.radio(key="rel_kind").set_value("official").run()
    assert at.checkbox(key="rel_confirm").label == "Je comprends que cette diffusion fige la période 2026."
    at.button(key="rel_run").click().run()
    assert "Cochez la confirmation" in clean(at).error[0].value and len(service.runs) == 1  # nothing ran
    at.checkbox(key="rel_confirm").check()
    at.button(key="rel_run").click().run()
    assert service.runs[-1]["official"] is True and clean(at).success
    assert {"r-2026-1", "r-2026-2"} <= set(at.table[0].value.iloc[:, 0])


def test_a_refusal_shows_its_reason_and_a_bad_period_runs_nothing(access, monkeypatch):
    service, at = open_page(access, monkeypatch, lang="en")
    at.text_input(key="rel_period").input("20x6")
    at.button(key="rel_run").click().run()
    assert "must be a year" in clean(at).error[0].value and not service.runs
    at.text_input(key="rel_period").input("2026")
    at.selectbox(key="rel_stage").select("T0")
    at.button(key="rel_run").click().run()
    assert service.runs[-1]["stages"] == ("T0",)
    assert clean(at).error[0].value == "Release refused: the disclosure audit could not protect every small cell"


def test_an_analyst_cannot_reach_the_releases_page(access, monkeypatch):
    publish_for_admin(monkeypatch)
    sign_in_as(access, monkeypatch, "stat@gouv.qc.ca", ["analyst"])
    at = clean(run())
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(RELEASES)
