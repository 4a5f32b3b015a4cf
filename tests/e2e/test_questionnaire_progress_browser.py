"""Issue 12 in a real browser: an answer click reruns only its question (a fragment), yet the step
list's counts follow it, and every click is written (by the autosave worker) to the database."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_app_browser import FR, start, wait_for_run
from tests.e2e.test_sme_issue12 import main, stored_answers

pytestmark = pytest.mark.e2e


def test_counts_follow_answer_clicks_and_every_click_is_written(app_server, browser):
    page = browser.new_page()
    page.goto(app_server.url)
    wait_for_run(page)
    start(page, FR)
    code = page.locator(".st-key-resume-code-box code").first.inner_text().strip()
    steps = page.locator(".st-key-step-list li")
    expect(steps).to_have_count(7)
    first = steps.first
    expect(first).to_contain_text("(étape en cours)")
    expect(first).to_contain_text(re.compile(r"réponses\s*: 0 sur"))
    main(page).get_by_test_id("stCheckbox").first.locator("label").click()  # a checklist: its first box
    wait_for_run(page)
    expect(first).to_contain_text(re.compile(r"réponses\s*: 1 sur"))  # the count of a question now answered
    rows = main(page).get_by_role("radiogroup")
    rows.nth(0).locator("label").nth(0).click()  # "Non" on two rows of one matrix: its second click changes no count
    wait_for_run(page)
    rows.nth(1).locator("label").nth(0).click()
    wait_for_run(page)
    expect(first).to_contain_text(re.compile(r"réponses\s*: 2 sur"))
    expect(page.get_by_text("n'ont pas pu être enregistrées")).to_have_count(0)
    for _ in range(50):  # the worker writes while the page is drawn: allow it a moment on a busy machine
        saved = stored_answers(app_server, code)
        if len(saved.get("strategy_readiness", {})) == 2:
            break
        page.wait_for_timeout(100)
    assert len(saved["strategy_readiness"]) == 2 and set(saved["strategy_readiness"].values()) == {"no"}
    assert saved["digital_investment_areas"]
    page.close()
