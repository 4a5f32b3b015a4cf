"""Accessibility in a real browser, every page in both languages: axe-core (bundled in
axe-playwright-python, offline) with the WCAG 2.1 A/AA rules on welcome, profile, every
questionnaire step, results, resume, privacy and sign-in; ``<html lang>`` follows the language;
help icons and Streamlit's other controls are named in the page's language; after each page or step change the focus is on the
page's h1 (ui/a11y.py). One browser, one server, one walk per language."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from i18n import t
from tests.e2e.test_app_browser import EN, FR, choose, wait_for_run
from ui.a11y import FOCUS_COLOUR, STREAMLIT_NAMES

pytestmark = pytest.mark.e2e
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NAMES = "() => [...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))"
ENGLISH = set(STREAMLIT_NAMES)
FRENCH = {t(f"app.a11y.name.{key}", "fr") for key in STREAMLIT_NAMES.values()}


def help_name(name: str) -> bool:
    return name in ("Help", "Aide") or name.startswith(("Help for ", "Aide\u00a0: "))


def foreign_names(names: list[str], lang: str) -> list[str]:
    """Streamlit's own accessible names that are not in the page's language."""
    if lang == "fr":
        return [n for n in names if n in ENGLISH or n == "Help" or n.startswith("Help for ")]
    return [n for n in names if n in FRENCH or n == "Aide" or n.startswith("Aide\u00a0: ")]
FOCUSED = """() => { const e = document.activeElement; return e ? e.tagName + ':' + (e.textContent || '').trim().slice(0, 60) : ''; }"""


def axe_violations(page: Page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in results.response["violations"]]


class Audit:
    """What each page showed: axe violations, a wrong lang, English help names on a French page,
    the focus somewhere else than the h1 after a page change."""

    def __init__(self, page: Page, lang: str):
        self.page, self.lang = page, lang
        self.problems: dict[str, object] = {}
        self.pages: list[str] = []
        self.help_names: list[str] = []
        self.steps = 0

    def check(self, name: str, *, focus_on_h1: bool = True) -> None:
        page = self.page
        self.pages.append(name)
        if (lang := page.evaluate("document.documentElement.lang")) != self.lang:
            self.problems[f"{name}: lang"] = lang
        if focus_on_h1 and not focus_reaches_h1(page):
            self.problems[f"{name}: focus"] = page.evaluate(FOCUSED)
        names = page.evaluate(NAMES)
        for _ in range(20):  # ui/a11y.py renames asynchronously (a MutationObserver): give it up to 2 s after a redraw
            if not foreign_names(names, self.lang):
                break
            page.wait_for_timeout(100)
            names = page.evaluate(NAMES)
        self.help_names += [n for n in names if help_name(n)]
        if wrong := foreign_names(names, self.lang):
            self.problems[f"{name}: names"] = wrong[:5]
        if violations := axe_violations(page):
            self.problems[f"{name}: axe"] = violations



def focus_reaches_h1(page: Page, timeout: float = 3000) -> bool:
    """The page's h1 gets the focus once the run that drew the page has finished."""
    try:
        page.wait_for_function("document.activeElement?.tagName === 'H1' && !!document.activeElement.closest('[data-testid=stMain]')",
                               timeout=timeout)
    except PlaywrightTimeout:
        return False
    return True


def click_and_wait(page: Page, locator) -> None:
    locator.click()
    wait_for_run(page)


def answer_step(page: Page) -> None:
    """One scored answer on the step (results need one per dimension)."""
    main = page.get_by_test_id("stMain")
    if main.get_by_role("radiogroup").count():
        click_and_wait(page, main.get_by_role("radiogroup").first.locator("label").nth(1))
    else:
        click_and_wait(page, main.get_by_test_id("stCheckbox").first.locator("label"))


def walk(page: Page, audit: Audit, words: dict, sector: str, base: str) -> None:
    page.goto(f"{base}/?lang={audit.lang}")
    wait_for_run(page)
    audit.check("welcome")
    for path in ("privacy", "resume", "sign-in"):
        click_and_wait(page, page.get_by_test_id("stSidebarNav").locator(f"a[href$='/{path}']"))
        audit.check(path)
    click_and_wait(page, page.get_by_test_id("stSidebarNav").locator("a").first)
    click_and_wait(page, page.get_by_role("button", name=words["start"]))
    audit.check("profile")
    choose(page, words["sector"], sector)
    choose(page, words["size"], "20 ")
    choose(page, words["region"], "Montréal")
    click_and_wait(page, page.get_by_role("button", name=words["go"]))
    total = int(page.get_by_test_id("stMain").get_by_text(re.compile(r"^(Étape|Step) 1 ")).inner_text().split()[-1])
    audit.steps = total
    for number in range(1, total + 1):
        expect(page.get_by_test_id("stMain").get_by_text(re.compile(rf"^(Étape|Step) {number} "))).to_be_visible()
        audit.check(f"step {number} ({page.url.rsplit('step=', 1)[-1]})")
        answer_step(page)
        finish = page.get_by_role("button", name=words["results"])
        if finish.count():
            click_and_wait(page, finish)
            break
        click_and_wait(page, page.get_by_role("button", name=words["next"]))
    expect(page.get_by_role("heading", name=words["results_title"])).to_be_visible()
    audit.check("results")


@pytest.mark.parametrize(("lang", "words", "sector"), [("fr", FR, "Fabrication"), ("en", EN, "Manufacturing")])
def test_every_page_passes_axe_with_its_language_names_and_focus(app_server, browser, lang, words, sector, record_property):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    audit = Audit(page, lang)
    walk(page, audit, words, sector, app_server.url)
    assert audit.steps >= 7 and len([p for p in audit.pages if p.startswith("step ")]) == audit.steps, audit.pages
    assert audit.help_names, "no help icon was found: the names check checked nothing"
    other = "en" if lang == "fr" else "fr"
    page.get_by_test_id("stSidebar").get_by_text("English" if other == "en" else "Français").click()
    wait_for_run(page)
    assert page.evaluate("document.documentElement.lang") == other  # the switch changes it without a reload
    page.close()
    record_property("axe", json.dumps(audit.problems, ensure_ascii=False))
    assert audit.problems == {}, json.dumps(audit.problems, ensure_ascii=False, indent=1)


def test_french_accessible_names_follow_a_language_switch(app_server, browser):
    page = browser.new_page()
    page.goto(f"{app_server.url}/resume?lang=fr")
    wait_for_run(page)
    expect(page.get_by_role("button", name="Aide\u00a0: Code de reprise", exact=True)).to_have_count(1)
    expect(page.get_by_role("button", name="Help for Code de reprise")).to_have_count(0)
    expect(page.get_by_role("link", name="Lien vers ce titre")).to_have_count(1)
    collapse = page.get_by_test_id("stSidebarCollapseButton").locator("button")  # shown on hover only
    expect(collapse).to_have_attribute("aria-label", "Réduire la barre latérale")
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("aria-label", "Barre latérale")
    page.get_by_test_id("stSidebar").get_by_text("English").click()
    wait_for_run(page)
    expect(page.get_by_role("button", name="Help for Resume code", exact=True)).to_have_count(1)
    expect(page.get_by_role("link", name="Link to heading")).to_have_count(1)
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("aria-label", "Sidebar")
    expect(collapse).to_have_attribute("aria-label", "Collapse sidebar")
    page.get_by_test_id("stSidebar").get_by_text("Français").click()
    wait_for_run(page)
    expect(page.get_by_role("button", name="Aide\u00a0: Code de reprise", exact=True)).to_have_count(1)
    assert foreign_names(page.evaluate(NAMES), "fr") == []
    page.close()


def test_focus_stays_put_on_a_rerun_that_is_not_a_page_change(app_server, browser):
    """Switching the language reruns the page without changing it: the focus stays on the switch."""
    page = browser.new_page()
    page.goto(f"{app_server.url}/privacy?lang=fr")
    wait_for_run(page)
    assert focus_reaches_h1(page) and page.evaluate(FOCUSED).startswith("H1:Confidentialité")
    switch = page.get_by_test_id("stSidebar").get_by_role("radio", name="Français")
    switch.focus()
    page.keyboard.press("ArrowRight")  # to English
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Privacy", exact=True)).to_be_visible()
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.closest('[data-testid=stSidebar]') !== null"), page.evaluate(FOCUSED)
    page.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_sign_in_form_passes_axe_and_shows_its_focus(browser, lang):
    """The plain HTML sign-in form served by server.py (ui/account_routes.py), with and without its error."""
    from ui.account_routes import _page

    ring_wanted = "rgb({}, {}, {}) solid 3px".format(*bytes.fromhex(FOCUS_COLOUR[1:]))
    page = browser.new_page()
    for message in ("", t("advisor.form.failed", lang)):
        page.set_content(bytes(_page(lang, "csrf-token", message).body).decode())
        assert page.evaluate("document.documentElement.lang") == lang
        assert axe_violations(page) == [], message
        page.keyboard.press("Tab")
        ring = page.evaluate("getComputedStyle(document.activeElement).outline")
        assert page.evaluate("document.activeElement.id") == "email" and ring == ring_wanted, ring
    page.close()
