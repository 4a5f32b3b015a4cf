"""The results page in a real browser (issue 12): after a whole assessment, the summary comes first
(level and meaning, radar with its table, strongest and weakest, first actions, the PDF), the PDF
downloads and reads back, completing is one step, the details sit in tabs. Screenshots of the page
in French and English are saved under test-artifacts/ (results-summary-fr.png, results-summary-en.png)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

import cli
from tests.e2e.conftest import AppServer
from tests.e2e.test_app_browser import EN, FR, go_to_results, shot, start, wait_for_run

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium not installed")]

TEXTS = {
    "fr": {"words": FR, "sector": "Fabrication", "title": "L'essentiel", "meaning": "Ce que veut dire votre niveau",
           "strong": "Vos trois dimensions les plus fortes", "weak": "Vos trois dimensions à renforcer",
           "actions": "Vos trois premières actions", "table": "Le graphique en tableau",
           "median": "Médiane des entreprises comparables", "pdf": "Télécharger le rapport PDF", "file": "feuille-de-route-",
           "pdf_text": "Feuille de route numérique", "complete_step": "Dernière étape",
           "tabs": ["Scores", "Comparaison", "Statistiques officielles", "Feuille de route", "Simulation"]},
    "en": {"words": EN, "sector": "Manufacturing", "title": "At a glance", "meaning": "What your level means",
           "strong": "Your three strongest dimensions", "weak": "Your three dimensions to strengthen",
           "actions": "Your first three actions", "table": "The chart as a table",
           "median": "Median of comparable businesses", "pdf": "Download the PDF report", "file": "roadmap-",
           "pdf_text": "Digital roadmap", "complete_step": "Last step",
           "tabs": ["Scores", "Comparison", "Official statistics", "Roadmap", "What-if"]},
}


def whole_page_shot(page, name: str) -> None:
    """Streamlit scrolls inside its main area, so a full-page screenshot needs a window that tall."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(900, height)})
    page.wait_for_timeout(500)  # let the charts re-lay out
    shot(page, name)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory):
    """The app on a database holding a 300-firm synthetic pool, so the radar has a peer median."""
    directory = tmp_path_factory.mktemp("results-e2e")
    url = f"sqlite:///{directory / 'app.db'}"
    assert cli.main(["seed-demo", "--n", "300", "--seed", "4", "--url", url]) == 0
    server = AppServer(url, directory)
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_results_lead_with_the_summary_and_the_pdf(seeded_server, browser, lang):
    text = TEXTS[lang]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{seeded_server.url}/?lang={lang}")
    wait_for_run(page)
    start(page, text["words"], sector=text["sector"])
    go_to_results(page, text["words"])

    summary = page.locator(".st-key-results-summary")
    expect(summary.get_by_role("heading", name=text["title"])).to_be_visible()
    expect(summary.get_by_text(text["meaning"])).to_be_visible()
    for heading in ("strong", "weak", "actions"):
        expect(summary.get_by_text(text[heading], exact=True)).to_be_visible()
    assert summary.locator("ol li").count() == 3  # the first three actions of the roadmap
    assert summary.locator("ul li").count() == 6  # three strongest, three weakest
    expect(summary.locator("[data-testid='stVegaLiteChart']")).to_be_visible()
    summary.get_by_text(text["table"]).click()  # the radar's figures as a table, for keyboards and screen readers
    expect(summary.get_by_role("columnheader", name=text["median"])).to_be_visible()

    tabs = page.get_by_role("tab")
    assert [tabs.nth(i).inner_text().strip() for i in range(tabs.count())] == text["tabs"]
    complete_step = page.locator(".st-key-complete-step")
    expect(complete_step.get_by_text(text["complete_step"])).to_be_visible()
    tops = [summary.bounding_box()["y"], complete_step.bounding_box()["y"], page.get_by_role("tablist").bounding_box()["y"]]
    assert tops == sorted(tops)  # summary, then the one step to complete, then the details
    whole_page_shot(page, f"results-summary-{lang}")

    button = summary.get_by_role("button", name=text["pdf"])
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename.startswith(text["file"])
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages)
    assert text["pdf_text"] in pdf

    complete_step.get_by_role("button", name=text["words"]["complete"]).click()
    wait_for_run(page)
    expect(page.get_by_text(text["words"]["completed"])).to_be_visible()
    expect(page.locator(".st-key-complete-step")).to_have_count(0)
    page.close()
