"""The app in a real browser, as a new user would use it: full assessments in French and English,
resuming after closing the browser (by code) and after a server restart (by link), a wrong code."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

HOSTILE = "Café <b>Bob & Fils</b> <font size=80>"
SCREENSHOTS = Path(os.environ.get("APP_SCREENSHOTS", Path(__file__).resolve().parents[2] / "test-artifacts"))

FR = {"start": "Commencer un diagnostic", "sector": "Secteur d'activité (SCIAN)", "size": "Nombre d'employés",
      "region": "Administrative", "name": "Nom de l'entreprise (facultatif)", "go": "Commencer le questionnaire",
      "next": "Suivant", "results": "Voir mes résultats", "results_title": "Vos résultats", "complete": "Terminer mon diagnostic",
      "completed": "Diagnostic terminé", "code": "Code de reprise", "resume": "Reprendre"}
EN = {"start": "Start an assessment", "sector": "Industry (NAICS)", "size": "Number of employees",
      "region": "Administrative", "name": "Business name (optional)", "go": "Start the questionnaire",
      "next": "Next", "results": "See my results", "results_title": "Your results", "complete": "Complete my assessment",
      "completed": "Assessment completed", "code": "Resume code", "resume": "Resume"}


def wait_for_run(page: Page, timeout: float = 20_000) -> None:
    """Wait until Streamlit is connected and no script run is in progress."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    page.wait_for_timeout(150)  # a run triggered by the last action may not have started yet
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit selectbox whose label starts with ``label``."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.keyboard.type(option)  # filters the (virtualised) list down to the wanted option
    page.get_by_role("option", name=option).first.click()


def start(page: Page, words: dict, *, name: str = "", sector: str = "Fabrication") -> None:
    page.get_by_role("button", name=words["start"]).click()
    wait_for_run(page)
    choose(page, words["sector"], sector)
    choose(page, words["size"], "20 ")
    choose(page, words["region"], "Montréal")
    if name:
        page.get_by_role("textbox", name=words["name"]).fill(name)
    page.get_by_role("button", name=words["go"]).click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Questionnaire", exact=True)).to_be_visible()


def answer_first_choice(page: Page) -> str:
    """Click the second option of the step's first choice question; returns the question's label."""
    group = page.get_by_test_id("stMain").get_by_role("radiogroup").first
    label = group.get_attribute("aria-label") or ""
    group.locator("label").nth(1).click()
    wait_for_run(page)
    return label


def resume_code(page: Page) -> str:
    code = page.locator(".st-key-resume-code-box code").first.inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){6}", code), code
    return code


def go_to_results(page: Page, words: dict) -> None:
    for _ in range(12):
        if page.get_by_test_id("stMain").get_by_role("radiogroup").count():
            answer_first_choice(page)
        else:  # a step of checklists only: results need a scored answer in every dimension (the last step too)
            page.get_by_test_id("stMain").get_by_test_id("stCheckbox").first.locator("label").click()
            wait_for_run(page)
        finish = page.get_by_role("button", name=words["results"])
        if finish.count():
            finish.click()
            wait_for_run(page)
            break
        page.get_by_role("button", name=words["next"]).click()
        wait_for_run(page)
    expect(page.get_by_role("heading", name=words["results_title"])).to_be_visible()


UNLABELLED_INPUTS = """() => [...document.querySelectorAll('input, textarea, select, button, [role=combobox]')]
    .filter(e => e.offsetParent !== null || e.type === 'radio' || e.type === 'checkbox')
    .filter(e => !(e.getAttribute('aria-label') || e.labels?.length || e.getAttribute('aria-labelledby') || e.textContent.trim()))
    .map(e => e.outerHTML.slice(0, 120))"""


def test_full_assessment_in_french_with_a_hostile_firm_name(app_server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside = []
    page.on("request", lambda request: None if request.url.startswith(app_server.url) else outside.append(request.url))
    page.goto(app_server.url)
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Diagnostic de maturité numérique")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Durée\u00a0: environ \d+ à \d+ minutes"))).to_be_visible()
    shot(page, "welcome-fr")
    start(page, FR, name=HOSTILE)
    assert page.evaluate(UNLABELLED_INPUTS) == []
    resume_code(page)
    expect(page.get_by_text("Entreprise : " + HOSTILE)).to_be_visible()  # literal, never rendered as HTML
    expect(page.locator("font")).to_have_count(0)
    shot(page, "questionnaire-fr")
    go_to_results(page, FR)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(re.compile(r"^\d{1,3},\d$"))
    expect(page.get_by_role("heading", name="Indice d'intensité numérique (Eurostat)").first).to_be_visible()
    expect(page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first).to_be_visible()
    shot(page, "results-fr")
    page.get_by_role("button", name=FR["complete"]).click()
    wait_for_run(page)
    expect(page.get_by_text(FR["completed"])).to_be_visible()
    page.close()
    assert outside == [], sorted(set(outside))  # no third-party call from the browser (fonts, images, usage statistics)


def test_full_assessment_in_english(app_server, browser):
    page = browser.new_page()
    page.goto(app_server.url + "/?lang=en")
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Digital maturity self-assessment")).to_be_visible()
    start(page, EN, sector="Retail trade")
    go_to_results(page, EN)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(re.compile(r"^\d{1,3}\.\d$"))
    expect(page.get_by_text("Eurostat's population is enterprises with 10 or more persons employed").first).to_be_visible()
    shot(page, "results-en")
    page.close()


def test_closing_the_browser_midway_then_resuming_by_code(app_server, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(app_server.url)
    wait_for_run(page)
    start(page, FR)
    code = resume_code(page)
    question = answer_first_choice(page)
    context.close()  # the browser is gone, and its session with it

    page = browser.new_context().new_page()
    page.goto(app_server.url + "/resume")
    wait_for_run(page)
    page.get_by_role("textbox", name=FR["code"]).fill(code.lower())
    page.get_by_role("button", name=FR["resume"], exact=True).click()
    wait_for_run(page)
    expect(page.get_by_text("Diagnostic repris : vos réponses ont été restaurées.")).to_be_visible()
    expect(page.get_by_role("radiogroup", name=question).get_by_role("radio").nth(1)).to_be_checked()
    page.close()


def test_restarting_the_server_midway_then_resuming_by_link(app_server, browser):
    page = browser.new_page()
    page.goto(app_server.url + "/?lang=en")
    wait_for_run(page)
    start(page, EN, sector="Manufacturing")
    code = resume_code(page)
    question = answer_first_choice(page)
    app_server.restart()  # all in-memory sessions are gone; only the database remains

    page.goto(f"{app_server.url}/?resume={code}&lang=en")
    wait_for_run(page)
    expect(page.get_by_text("Assessment resumed: your answers were restored.")).to_be_visible()
    expect(page.get_by_role("radiogroup", name=question).get_by_role("radio").nth(1)).to_be_checked()
    assert "resume=" not in page.url
    page.close()


def test_a_wrong_code_gets_a_clear_message(app_server, browser):
    page = browser.new_page()
    page.goto(app_server.url + "/?resume=ABCD-EFGH-JKMN")
    wait_for_run(page)
    expect(page.get_by_text("Ce code ne correspond à aucun diagnostic. Vérifiez-le et réessayez.")).to_be_visible()
    expect(page.get_by_role("heading", name="Reprendre un diagnostic")).to_be_visible()
    page.close()


def test_questions_can_be_answered_with_the_keyboard_alone(app_server, browser):
    page = browser.new_page()
    page.goto(app_server.url)
    wait_for_run(page)
    start(page, FR)
    first_box = page.get_by_test_id("stMain").get_by_role("checkbox").first
    page.get_by_role("heading", name="Questionnaire", exact=True).click()  # focus starts in the page, not a field
    for _ in range(40):
        page.keyboard.press("Tab")
        if first_box.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("the first checkbox is not reachable with Tab")
    page.keyboard.press("Space")
    wait_for_run(page)
    expect(first_box).to_be_checked()
    page.close()
