"""Issue 12 in a real browser: what a firm owner tripped on (language switch mid-step, browsing a
completed assessment, reload and server restart mid-step, the French decimal comma, an empty
assessment) plus the results page screenshots. Debian's Chromium, the app on a throwaway SQLite."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_app_browser import EN, FR, go_to_results, shot, start, wait_for_run

pytestmark = pytest.mark.e2e


def main(page: Page):
    return page.get_by_test_id("stMain")


def first_row(page: Page):
    """The first radio row of the step (a matrix row of the strategy step)."""
    return main(page).get_by_role("radiogroup").first


def test_switching_language_mid_step_keeps_every_answer_on_screen(app_server, browser):
    page = browser.new_page()
    page.goto(app_server.url)
    wait_for_run(page)
    start(page, FR)
    row = first_row(page)
    row.locator("label").nth(1).click()
    wait_for_run(page)
    box = main(page).get_by_role("checkbox").first
    main(page).get_by_test_id("stCheckbox").first.locator("label").click()
    wait_for_run(page)
    expect(box).to_be_checked()
    page.get_by_test_id("stSidebar").get_by_text("English").click()
    wait_for_run(page)
    expect(page.get_by_role("button", name=EN["next"])).to_be_visible()
    expect(first_row(page).get_by_role("radio").nth(1)).to_be_checked()  # blank on main before the fix
    expect(main(page).get_by_role("checkbox").first).to_be_checked()
    expect(page.get_by_text("This answer is not valid")).to_have_count(0)
    page.get_by_role("button", name=EN["next"]).click()
    wait_for_run(page)
    expect(page.get_by_text("Fix the answers marked")).to_have_count(0)
    assert page.get_by_role("heading", level=2).first.inner_text() != "Digital business strategy"
    page.close()
