"""Accessibility in a real browser: ``<html lang>`` follows the chosen language, and axe-core
(bundled in axe-playwright-python, offline) on the pages, both languages. Violations of the
WCAG 2.1 A/AA rules fail the test."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page

from tests.e2e.test_app_browser import EN, FR, go_to_results, start, wait_for_run

pytestmark = pytest.mark.e2e
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in results.response["violations"]]


@pytest.mark.parametrize(("lang", "words", "sector"), [("fr", FR, "Fabrication"), ("en", EN, "Manufacturing")])
def test_lang_matches_the_language_and_axe_on_every_page(app_server, browser, lang, words, sector, record_property):
    page = browser.new_page()
    page.goto(f"{app_server.url}/?lang={lang}")
    wait_for_run(page)
    found = {}
    assert page.evaluate("document.documentElement.lang") == lang  # Streamlit serves lang="en" on every page
    found["welcome"] = axe_violations(page)
    for path in ("privacy", "resume"):
        page.goto(f"{app_server.url}/{path}?lang={lang}")
        wait_for_run(page)
        assert page.evaluate("document.documentElement.lang") == lang
        found[path] = axe_violations(page)
    page.goto(f"{app_server.url}/?lang={lang}")
    wait_for_run(page)
    start(page, words, sector=sector)
    assert page.evaluate("document.documentElement.lang") == lang
    found["questionnaire"] = axe_violations(page)
    go_to_results(page, words)
    found["results"] = axe_violations(page)
    other = "en" if lang == "fr" else "fr"
    page.get_by_test_id("stSidebar").get_by_text("English" if other == "en" else "Français").click()
    wait_for_run(page)
    assert page.evaluate("document.documentElement.lang") == other  # the switch changes it without a reload
    page.close()
    record_property("axe", json.dumps(found))
    assert {page: v for page, v in found.items() if v} == {}, json.dumps(found, ensure_ascii=False)
