"""Issue 12 in a real browser: what a firm owner tripped on (language switch mid-step, browsing a
completed assessment, reload and server restart mid-step, the French decimal comma, an empty
assessment) plus the results page screenshots. Debian's Chromium, the app on a throwaway SQLite."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_app_browser import EN, FR, shot, start, wait_for_run

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


def stored_answers(app_server, code: str) -> dict:
    from storage import open_repository

    view = open_repository(app_server.database_url).resume(code, client_key="e2e-check")
    assert view is not None
    return dict(view.answers)


def to_step(page: Page, heading: str, words: dict) -> None:
    for _ in range(10):
        if page.get_by_role("heading", name=heading).count():
            return
        page.get_by_role("button", name=words["next"]).click()
        wait_for_run(page)
    pytest.fail(f"step {heading!r} not reached")


def test_a_french_decimal_comma_is_stored_as_typed(app_server, browser):
    page = browser.new_page()
    page.goto(app_server.url)
    wait_for_run(page)
    start(page, FR)
    code = page.locator(".st-key-resume-code-box code").first.inner_text().strip()
    to_step(page, "Présence en ligne et commerce électronique", FR)
    main(page).get_by_test_id("stCheckbox").filter(has_text="Boutique en ligne ou application").locator("label").click()
    wait_for_run(page)
    field = main(page).locator("input").and_(main(page).get_by_label(re.compile("quelle part du chiffre d.affaires")))
    field.fill("")
    field.press_sequentially("2,5")  # typed key by key, as a person does
    field.press("Enter")
    wait_for_run(page)
    assert stored_answers(app_server, code)["online_sales_share"] == 2.5  # 25 on main, without a word
    field.fill("")
    field.press_sequentially("12,5")
    field.press("Enter")
    wait_for_run(page)
    expect(page.get_by_text("Entrez un nombre entre 0 et 100.")).to_have_count(0)
    assert stored_answers(app_server, code)["online_sales_share"] == 12.5  # 125 and refused on main
    expect(field).to_have_value("12,5")
    page.close()


def test_an_empty_assessment_is_refused_with_what_is_missing(app_server, browser):
    page = browser.new_page()
    page.goto(app_server.url)
    wait_for_run(page)
    start(page, FR)
    for _ in range(12):
        finish = page.get_by_role("button", name=FR["results"])
        if finish.count():
            finish.click()
            wait_for_run(page)
            break
        page.get_by_role("button", name=FR["next"]).click()
        wait_for_run(page)
    expect(page.get_by_text("Pas encore de résultats")).to_be_visible()
    expect(page.get_by_test_id("stMetricValue")).to_have_count(0)  # "IIN 0/12 Très faible" on main
    expect(page.get_by_role("button", name="Télécharger le rapport PDF")).to_have_count(0)
    expect(page.get_by_role("button", name=FR["complete"])).to_have_count(0)
    page.get_by_role("button", name="Répondre à cette étape").first.click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Stratégie d'affaires numérique")).to_be_visible()
    page.close()


def test_a_reload_mid_step_comes_back_to_the_same_step_with_every_answer(app_server, browser):
    page = browser.new_page()
    page.goto(app_server.url)
    wait_for_run(page)
    start(page, FR)
    page.get_by_role("button", name=FR["next"]).click()
    wait_for_run(page)
    heading = page.get_by_role("heading", level=2).first.inner_text()
    first_row(page).locator("label").nth(1).click()
    wait_for_run(page)
    page.reload()
    wait_for_run(page)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()  # the same step, no code to retype
    expect(first_row(page).get_by_role("radio").nth(1)).to_be_checked()
    expect(page.get_by_text("Votre diagnostic a été rouvert sur ce navigateur")).to_be_visible()
    expect(page.get_by_test_id("stSidebar").locator("code")).to_have_count(1)  # the code is back in the sidebar
    page.close()


def test_a_server_restart_mid_step_then_a_click_is_saved_or_said(app_server, browser):
    page = browser.new_page()
    page.goto(app_server.url + "/?lang=en")
    wait_for_run(page)
    start(page, EN, sector="Manufacturing")
    code = page.locator(".st-key-resume-code-box code").first.inner_text().strip()
    first_row(page).locator("label").nth(1).click()
    wait_for_run(page)
    app_server.stop()
    expect(page.get_by_role("alert").filter(has_text="Connection to the server lost")).to_be_visible(timeout=15_000)
    shot(page, "server-away-en")
    port = app_server.port
    app_server.start_on(port)  # the same address: the page reconnects by itself
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=30_000)
    expect(page.locator("#dm-offline")).to_have_count(0)
    wait_for_run(page)
    row = main(page).get_by_role("radiogroup").nth(1)
    row.locator("label").nth(2).click()
    wait_for_run(page)
    label = row.get_attribute("aria-label") or ""
    saved = stored_answers(app_server, code)
    notice = page.get_by_text("Your assessment was reopened on this browser").count()
    clicked_saved = row.get_by_role("radio").nth(2).is_checked() and len(saved.get("strategy_readiness", {})) == 2
    assert clicked_saved or notice, (label, saved)  # saved, or a visible message: never silently dropped
    assert saved["strategy_readiness"]  # the answer before the restart is still there
    page.close()
