"""The whole SME flow with the keyboard alone, in French: welcome → profile → every step →
results → PDF report, with Tab, Shift+Tab, Space, Enter, arrows and typing (page.keyboard only:
no mouse click, no element.click()). Every stop on the way has a visible focus ring (a 3 px
outline in the focus colour around a visible box), and after each page or step change the focus
is on the page's h1 (ui/a11y.py)."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.test_accessibility import FOCUSED, focus_reaches_h1
from tests.e2e.test_app_browser import FR, wait_for_run
from ui.a11y import FOCUS_COLOUR

pytestmark = pytest.mark.e2e
MAX_TABS = 400

# The outline drawn for the focused element: on itself, or (radio buttons and checkboxes hide their
# input; select boxes and text fields draw their own box) on the closest ancestor with a visible box.
RING = """() => {
  for (let e = document.activeElement, i = 0; e && i < 6; e = e.parentElement, i++) {
    const box = e.getBoundingClientRect();
    if (box.width < 4 || box.height < 4) continue;  // a visually hidden input: its own outline is invisible
    const s = getComputedStyle(e);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) return {colour: s.outlineColor, width: s.outlineWidth};
  }
  return null;
}"""


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_colour_contrasts_at_least_3_to_1_with_the_backgrounds():
    for background in ("#ffffff", "#f0f2f6", "#f7f7f5"):  # page, Streamlit's sidebar greys
        assert contrast(FOCUS_COLOUR, background) >= 3, background


class Keyboard:
    """Moves with Tab / Shift+Tab and checks every focus stop's ring."""

    def __init__(self, page: Page):
        self.page = page
        self.tabs = 0
        self.unringed: list[str] = []

    def ring_check(self) -> None:
        ring = self.page.evaluate(RING)
        if ring is None or ring["colour"] != rgb(FOCUS_COLOUR):
            self.unringed.append(f"{self.page.evaluate(FOCUSED)} -> {ring}")

    def tab_to(self, predicate: str, backwards: bool = False) -> None:
        """Press Tab (Shift+Tab) until ``predicate`` (JS, given the focused element) holds."""
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            self.tabs += 1
            if self.page.evaluate("document.activeElement !== document.body"):
                self.ring_check()
            if self.page.evaluate(f"(e => {predicate})(document.activeElement)"):
                return
        pytest.fail(f"not reachable with the keyboard: {predicate}")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        wait_for_run(self.page)


def button_named(text: str) -> str:
    return f"e.tagName === 'BUTTON' && e.textContent.trim().endsWith({text!r})"


def choose(keys: Keyboard, label: str, typed: str, option: re.Pattern) -> None:
    """A select box: Tab to it, type to filter, Enter picks the highlighted option."""
    keys.tab_to(f"e.getAttribute('role') === 'combobox' && (e.getAttribute('aria-label') || '').startsWith({label!r})")
    keys.page.keyboard.type(typed)
    expect(keys.page.get_by_role("option").first).to_have_text(option)
    keys.press("Enter")


def expect_focus_on_h1(page: Page, where: str) -> None:
    assert focus_reaches_h1(page), f"{where}: focus on {page.evaluate(FOCUSED)}"


def test_the_whole_flow_in_french_with_the_keyboard_alone(app_server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    keys = Keyboard(page)
    page.goto(app_server.url)
    wait_for_run(page)
    expect_focus_on_h1(page, "welcome")

    keys.tab_to(button_named(FR["start"]))
    keys.press("Enter")
    expect(page.get_by_role("heading", name="Profil de l'entreprise", exact=False).first).to_be_visible()
    expect_focus_on_h1(page, "profile")
    choose(keys, FR["sector"], "Fabrication", re.compile("Fabrication"))
    choose(keys, FR["size"], "20 ", re.compile("^20 "))
    choose(keys, "Région", "Montréal", re.compile("Montréal"))
    keys.tab_to(button_named(FR["go"]))
    keys.tab_to("e.getAttribute('role') === 'combobox'", backwards=True)  # Shift+Tab goes back through the form
    keys.tab_to(button_named(FR["go"]))
    keys.press("Enter")

    expect(page.get_by_role("heading", name="Questionnaire", exact=True)).to_be_visible()
    progress = page.get_by_test_id("stMain").get_by_text(re.compile(r"^Étape 1 sur \d+$"))
    total = int(progress.inner_text().split()[-1])
    for number in range(1, total + 1):
        expect(page.get_by_test_id("stMain").get_by_text(f"Étape {number} sur {total}")).to_be_visible()
        expect_focus_on_h1(page, f"step {number}")
        main_choice = "!!e.closest('[data-testid=stMain]') && (e.type === 'radio' || e.type === 'checkbox')"
        keys.tab_to(main_choice)
        kind = page.evaluate("document.activeElement.type")
        if kind == "radio":
            keys.press("ArrowDown")  # moves to and selects the group's next option
        else:
            keys.press("Space")
        assert page.evaluate("document.activeElement.checked"), f"step {number}: the {kind} was not chosen"
        last = number == total
        keys.tab_to(button_named(FR["results"] if last else FR["next"]))
        keys.press("Enter")

    expect(page.get_by_role("heading", name=FR["results_title"])).to_be_visible()
    expect_focus_on_h1(page, "results")
    keys.tab_to(button_named("Télécharger le rapport PDF"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    pdf = download.value.path().read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert download.value.suggested_filename.startswith("feuille-de-route-")
    assert "Feuille de route numérique" in text and "Fabrication" in text
    page.close()
    assert keys.unringed == [], keys.unringed[:10]
    assert keys.tabs > total  # the walk really went through the pages with Tab
