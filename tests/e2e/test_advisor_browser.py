"""The advisor journey in Debian's Chromium against ``streamlit run server.py`` (the app plus the
sign-in route): an admin creates the advisor with the CLI, the advisor signs in through the HTML
form, opens a client, types a shared and a private note in the guided session, downloads the
session PDF (read back: the shared note is there, the private one is not), signs out, and the
back button shows nothing of the workspace. French, then the sign-in in English."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import ROOT, free_port
from tests.e2e.test_app_browser import shot, wait_for_run

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("advisor-e2e")
    url = f"sqlite:///{directory / 'app.db'}"
    env = {**os.environ, "DATABASE_URL": url, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    env.pop("AUTH_MODE", None)
    subprocess.run([sys.executable, "cli.py", "users", "add", "ana@mrc.qc.ca", "--name", "Ana Tremblay", "--role", "advisor",
                    "--organisation", "MRC Les Moulins", "--password-stdin", "--url", url], input=PASSWORD + "\n", text=True,
                   cwd=ROOT, check=True, capture_output=True)
    port = free_port()
    log = (directory / "streamlit.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.headless", "true",
                                "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
                                "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    break
        except OSError:
            time.sleep(0.2)
    else:
        process.terminate()
        raise RuntimeError("streamlit did not start")
    yield base, url
    process.terminate()
    process.wait(timeout=10)


def seed_client(url: str) -> str:
    """A firm that consented to an advisor, completed, linked to Ana (as if added with its code)."""
    from domain import Profile
    from questionnaires.registry import get_instrument
    from scoring.answers import check_answers
    from scoring.engine import score_firm
    from storage import open_repository
    from tests.answer_gen import random_answers

    repo = open_repository(url)
    instrument = get_instrument()
    profile = Profile("31-33", "20-49", "06", "Atelier Lavoie")
    new = repo.start_assessment(instrument, profile, consent_advisor=True)
    answers = dict(random_answers(instrument.questionnaire, random.Random(7), blank=0.0))
    repo.save_answers(new.assessment_id, {k: v for k, v in answers.items() if not check_answers(instrument.questionnaire, {k: v})})
    view = repo.load(new.assessment_id)
    repo.complete(view.id, score_firm(instrument, profile, view.answers))
    advisor = repo.advisors.advisors()[0]
    repo.advisors.assign_client(advisor.id, view.firm_id)
    return view.id


def sign_in(page: Page, base: str, lang: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/account/login?lang={lang}")
    page.get_by_label("Adresse courriel" if lang == "fr" else "E-mail address").fill("ana@mrc.qc.ca")
    page.get_by_label("Mot de passe" if lang == "fr" else "Password").fill(password)
    page.get_by_role("button", name="Se connecter" if lang == "fr" else "Sign in").click()


def test_advisor_signs_in_takes_notes_downloads_the_pdf_and_signs_out(browser, server):
    base, url = server
    assessment_id = seed_client(url)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, base, "fr", "wrong password!!")
    expect(page.get_by_role("alert")).to_have_text("Adresse courriel ou mot de passe incorrect.")
    sign_in(page, base, "fr")
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Mes clients")).to_be_visible()
    expect(page.get_by_text("1 clients affichés sur 1.")).to_be_visible()
    shot(page, "advisor-caseload-fr")
    page.get_by_role("button", name="Ouvrir le dossier").click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Atelier Lavoie")).to_be_visible()
    page.get_by_role("button", name="Séance guidée").click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Questionnaire", exact=True)).to_be_visible()
    page.get_by_label("Note privée (conseiller seulement)").first.fill("PRIVEE-E2E ne pas montrer")
    page.keyboard.press("Tab")
    wait_for_run(page)
    page.get_by_label("Note partagée (dans le rapport du client)").first.fill("PARTAGEE-E2E revoir le site")
    page.keyboard.press("Tab")
    wait_for_run(page)
    shot(page, "advisor-guided-fr")
    page.get_by_role("link", name="Plan d'action").click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Plan d'action convenu")).to_be_visible()
    page.get_by_role("button", name="Enregistrer le plan").click()
    wait_for_run(page)
    expect(page.get_by_text("Plan enregistré.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger le rapport de la séance (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "PARTAGEE-E2E" in text and "PRIVEE-E2E" not in text and "Ana Tremblay" in text and "MRC Les Moulins" in text

    page.get_by_role("link", name="Mon compte").click()
    wait_for_run(page)
    page.get_by_role("button", name="Se déconnecter").click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Diagnostic de maturité numérique")).to_be_visible()
    page.go_back()
    wait_for_run(page)
    page.reload()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Mes clients")).to_have_count(0)
    expect(page.get_by_text("Atelier Lavoie")).to_have_count(0)
    shot(page, "advisor-after-sign-out")
    from storage import open_repository

    actions = {r.action for r in open_repository(url).users.access_log(assessment_id=assessment_id)}
    assert {"view", "change", "export"} <= actions
    context.close()

    english = browser.new_context().new_page()
    sign_in(english, base, "en")
    wait_for_run(english)
    english.goto(f"{base}/?lang=en")
    wait_for_run(english)
    expect(english.get_by_role("heading", name="My clients")).to_be_visible()
