"""The advisor journey in Debian's Chromium against ``streamlit run server.py`` (the app plus the
sign-in and sign-out routes), in French and in English: an admin creates the advisors with the
CLI; an advisor signs in through the HTML form, opens a client, runs a guided session (changes an
answer, types a private and a shared note, completes), agrees the plan (keeps, removes and
reorders actions, owner, target date, progress, comment), downloads the session PDF (read back:
shared note and plan there, private note not), starts T1 and changes an answer, checks the
before/after page and its PDF page (T0 -> T1 with T1's shared notes and plan), signs out through
the route (the cookie is gone and a copied one opens nothing), and the back button shows nothing
of the workspace. The English run is shorter (no plan edits) but goes through every page."""

from __future__ import annotations

import io
import random
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import ROOT, StreamlitServer, server_env
from tests.e2e.test_app_browser import shot, wait_for_run

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("advisor-e2e")
    url = f"sqlite:///{directory / 'app.db'}"
    env = server_env(url)
    for email, name, organisation in (("ana@mrc.qc.ca", "Ana Tremblay", "MRC Les Moulins"),
                                      ("ben@pmemtl.com", "Ben Morin", "PME MTL Centre-Ouest")):
        subprocess.run([sys.executable, "cli.py", "users", "add", email, "--name", name, "--role", "advisor",
                        "--organisation", organisation, "--password-stdin", "--url", url], input=PASSWORD + "\n", text=True,
                       cwd=ROOT, check=True, capture_output=True)
    app = StreamlitServer("server.py", env, directory)
    app.start()
    yield app.url, url
    app.stop()


FIRST_AREA = "product_design"  # the seeded answer to the first question (digital_investment_areas)


def seed_client(url: str, email: str, name: str) -> str:
    """A firm that consented to an advisor, completed, linked to the advisor ``email`` (as if
    added with its code). The first question's answer is fixed so the browser can change it."""
    from domain import Profile
    from questionnaires.registry import get_instrument
    from scoring.answers import check_answers
    from scoring.engine import score_firm
    from storage import open_repository
    from tests.answer_gen import random_answers

    repo = open_repository(url)
    instrument = get_instrument()
    profile = Profile("31-33", "20-49", "06", name)
    new = repo.start_assessment(instrument, profile, consent_advisor=True)
    answers = dict(random_answers(instrument.questionnaire, random.Random(7), blank=0.0))
    answers["digital_investment_areas"] = [FIRST_AREA]
    repo.save_answers(new.assessment_id, {k: v for k, v in answers.items() if not check_answers(instrument.questionnaire, {k: v})})
    view = repo.load(new.assessment_id)
    repo.complete(view.id, score_firm(instrument, profile, view.answers))
    user = repo.users.user_by_email(email)
    advisor = repo.advisors.advisor_for_user(user.id)
    repo.advisors.assign_client(advisor.id, view.firm_id)
    return view.id


WORDS = {
    "fr": {"email": "Adresse courriel", "password": "Mot de passe", "sign_in": "Se connecter", "caseload": "Mes clients",
           "open": "Ouvrir le dossier", "guided": "Séance guidée", "questionnaire": "Questionnaire", "results": "Résultats",
           "complete": "Terminer mon diagnostic", "completed": "Diagnostic terminé", "private": "Note privée (conseiller seulement)",
           "shared": "Note partagée (dans le rapport du client)", "plan_link": "Plan d'action", "plan": "Plan d'action convenu",
           "save_plan": "Enregistrer le plan", "plan_saved": "Plan enregistré.", "client": "Dossier client",
           "pdf": "Télécharger le rapport de la séance (PDF)", "t1": "Commencer T1", "compare": "Avant et après",
           "compare_pdf": "Télécharger le rapport avec la comparaison (PDF)", "account": "Mon compte", "sign_out": "Se déconnecter",
           "home": "Diagnostic de maturité numérique", "delivery": "Livraison et distribution",
           "design": "Conception et développement de produits ou de services", "overall": "Score global",
           "changed": "Réponses modifiées", "question": "Dans quelles fonctions de l'entreprise", "close": "Fermer ce diagnostic",
           "plan_t1": "Plan d'action convenu (T1)", "notes_t1": "Notes de la séance (T1)", "evolution": "Évolution de T0 à T1",
           "signed_out": "Vous êtes déconnecté.", "back": "Précédent"},
    "en": {"email": "E-mail address", "password": "Password", "sign_in": "Sign in", "caseload": "My clients",
           "open": "Open the file", "guided": "Guided session", "questionnaire": "Questionnaire", "results": "Results",
           "complete": "Complete my assessment", "completed": "Assessment completed", "private": "Private note (advisor only)",
           "shared": "Shared note (in the client's report)", "plan_link": "Action plan", "plan": "Agreed action plan",
           "save_plan": "Save the plan", "plan_saved": "Plan saved.", "client": "Client file",
           "pdf": "Download the session report (PDF)", "t1": "Start T1", "compare": "Before and after",
           "compare_pdf": "Download the report with the comparison (PDF)", "account": "My account", "sign_out": "Sign out",
           "home": "Digital maturity self-assessment", "delivery": "Delivery and distribution",
           "design": "Product or service design and development", "overall": "Overall score",
           "changed": "Answers that changed", "question": "In which business areas has the business", "close": "Close this assessment",
           "plan_t1": "Agreed action plan (T1)", "notes_t1": "Session notes (T1)", "evolution": "Change from T0 to T1",
           "signed_out": "You are signed out.", "back": "Back"},
}


def sign_in(page: Page, base: str, lang: str, email: str, password: str = PASSWORD) -> None:
    w = WORDS[lang]
    page.goto(f"{base}/account/login?lang={lang}")
    page.get_by_label(w["email"]).fill(email)
    page.get_by_label(w["password"]).fill(password)
    page.get_by_role("button", name=w["sign_in"]).click()


def nav_to(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_for_run(page)


def tick(page: Page, label: str) -> None:
    """Toggle the Streamlit checkbox labelled ``label`` (its input is visually hidden: click the label)."""
    page.get_by_test_id("stMain").get_by_test_id("stCheckbox").filter(has_text=label).first.locator("label").click()
    wait_for_run(page)


def to_first_step(page: Page, lang: str) -> None:
    """A completed assessment reopens on its last step: walk back to the first one."""
    back = page.get_by_role("button", name=WORDS[lang]["back"])
    for _ in range(12):
        if back.is_disabled():
            return
        back.click()
        wait_for_run(page)
    pytest.fail("the first step was not reached")


def type_note(page: Page, label: str, text: str) -> None:
    page.get_by_label(label).first.fill(text)
    page.keyboard.press("Tab")  # the note saves when the text area loses focus
    wait_for_run(page)


def pdf_text(page: Page, button: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    pdf = Path(download.value.path()).read_bytes()
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\u2019", "'")


def pick(page: Page, label: str, n: int, option: str) -> None:
    """Choose ``option`` in the ``n``-th selectbox labelled ``label`` of the page."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).nth(n).click()
    page.keyboard.type(option)  # filters the list down to the wanted option
    page.get_by_role("option", name=option).first.click()


def guided_session(page: Page, lang: str, marker: str) -> None:
    """From the client file: the guided session, one answer changed, a private and a shared note,
    the assessment completed again on the Results page."""
    w = WORDS[lang]
    page.get_by_role("button", name=w["guided"]).click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name=w["questionnaire"], exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=w["close"])).to_have_count(0)  # the firm's "close" is not offered here
    to_first_step(page, lang)
    tick(page, w["delivery"])  # answering: one more function where the firm invested
    type_note(page, w["private"], f"PRIVATE-{marker} ne pas montrer")
    type_note(page, w["shared"], f"SHARED-{marker} revoir le site")
    shot(page, f"advisor-guided-{lang}")
    nav_to(page, w["results"])
    page.get_by_role("button", name=w["complete"]).click()  # the changed answer reopened it
    wait_for_run(page)
    expect(page.get_by_text(w["completed"])).to_be_visible()


def sign_out_through_the_route(page: Page, context: BrowserContext, base: str, lang: str) -> str:
    """"My account" -> its sign-out form POSTs to the route: back on the welcome page, the cookie gone.
    Returns the session cookie copied before signing out."""
    w = WORDS[lang]
    copied = next(c for c in context.cookies() if c["name"] == "dm_session")
    nav_to(page, w["account"])
    page.get_by_role("button", name=w["sign_out"]).click()  # a plain form posting to /account/logout, in this tab
    page.wait_for_url(f"{base}/?lang=*")
    assert page.url == f"{base}/?lang={lang}", page.url
    wait_for_run(page)
    expect(page.get_by_role("heading", name=w["home"])).to_be_visible()
    assert not [c for c in context.cookies() if c["name"] == "dm_session"]  # the route deleted the cookie
    return copied["value"]


def back_shows_nothing(page: Page, base: str, lang: str, firm: str) -> None:
    w = WORDS[lang]
    for _ in range(3):  # the sign-out form (now "you are signed out"), then the workspace's own pages
        page.go_back()
        if page.url.startswith(f"{base}/account/logout"):
            expect(page.get_by_text(w["signed_out"])).to_be_visible()
            expect(page.get_by_role("button", name=w["sign_out"])).to_have_count(0)
        else:
            wait_for_run(page)
            expect(page.get_by_role("heading", name=w["caseload"])).to_have_count(0)
            expect(page.get_by_text(firm)).to_have_count(0)
            expect(page.get_by_text("PRIVATE-")).to_have_count(0)
    page.reload()
    wait_for_run(page)
    expect(page.get_by_role("heading", name=w["caseload"])).to_have_count(0)
    expect(page.get_by_text(firm)).to_have_count(0)


def test_french_journey_guided_session_plan_pdf_t1_comparison_sign_out(browser, server):
    base, url = server
    lang, w = "fr", WORDS["fr"]
    assessment_id = seed_client(url, "ana@mrc.qc.ca", "Atelier Lavoie")
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, base, lang, "ana@mrc.qc.ca", "wrong password!!")
    expect(page.get_by_role("alert")).to_have_text("Adresse courriel ou mot de passe incorrect.")
    sign_in(page, base, lang, "ana@mrc.qc.ca")
    wait_for_run(page)
    expect(page.get_by_role("heading", name=w["caseload"])).to_be_visible()
    expect(page.get_by_text("1 clients affichés sur 1.")).to_be_visible()
    shot(page, "advisor-caseload-fr")
    page.get_by_role("button", name=w["open"]).click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Atelier Lavoie")).to_be_visible()
    guided_session(page, lang, "T0")

    from storage import open_repository

    repo = open_repository(url)
    assert set(repo.load(assessment_id).answers["digital_investment_areas"]) == {FIRST_AREA, "delivery"}

    # The plan: the first action moves to third place and is marked done; the second gets the
    # advisor, a target date and a comment; the third is removed.
    nav_to(page, w["plan_link"])
    expect(page.get_by_role("heading", name=w["plan"])).to_be_visible()
    main = page.get_by_test_id("stMain")
    keep, order = main.get_by_test_id("stCheckbox"), main.get_by_test_id("stNumberInput")
    expect(keep).not_to_have_count(0)
    assert keep.count() >= 4, "the roadmap has at least four actions"
    first_order = order.nth(0).locator("input")
    first_order.click()
    first_order.press("Control+a")
    first_order.press_sequentially("3")
    first_order.press("Tab")
    expect(first_order).to_have_value("3")
    expect(order.nth(1).locator("input")).to_have_value("2")
    pick(page, "Avancement", 0, "faite")
    pick(page, "Responsable", 1, "le conseiller")
    date = main.get_by_test_id("stDateInput").nth(1).locator("input")
    date.fill("2027-03-15")
    date.press("Enter")
    page.keyboard.press("Escape")
    main.get_by_label("Commentaire").nth(1).fill("COMMENTAIRE-E2E appeler Investissement Québec")
    keep.nth(2).locator("label").click()  # not kept
    shot(page, "advisor-plan-fr")
    page.get_by_role("button", name=w["save_plan"]).click()
    wait_for_run(page)
    expect(page.get_by_text(w["plan_saved"])).to_be_visible()
    plan = repo.advisors.plan(assessment_id)
    assert len(plan) == keep.count() - 1
    second = plan[0]
    assert (second.owner, second.due_on.isoformat(), second.comment) == ("advisor", "2027-03-15",
                                                                        "COMMENTAIRE-E2E appeler Investissement Québec")
    first = plan[1]
    assert first.status == "done" and first.owner == "firm"  # moved from first to second place (third item removed)
    text = pdf_text(page, w["pdf"])
    assert "SHARED-T0" in text and "PRIVATE-T0" not in text and "Ana Tremblay" in text and "MRC Les Moulins" in text
    assert "COMMENTAIRE-E2E" in text and "15 mars 2027" in text.replace("\u00a0", " ")

    # T1: the answers are copied; the client changes what moved, with a new shared note.
    nav_to(page, w["client"])
    page.get_by_role("button", name=w["t1"]).click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name=w["questionnaire"], exact=True)).to_be_visible()
    expect(page.get_by_text("T1 commencé")).to_be_visible()
    to_first_step(page, lang)
    tick(page, w["design"])  # no longer invests in product design
    type_note(page, w["private"], "PRIVATE-T1 budget serré")
    type_note(page, w["shared"], "SHARED-T1 site refait")

    nav_to(page, w["compare"])
    expect(page.get_by_role("heading", name=w["compare"])).to_be_visible()
    table = main.get_by_test_id("stTable")
    expect(table.get_by_text(w["overall"])).to_be_visible()
    expect(table.get_by_role("columnheader", name="T0")).to_be_visible()
    expect(table.get_by_role("columnheader", name="T1")).to_be_visible()
    expect(page.get_by_role("heading", name=w["changed"])).to_be_visible()
    expect(main.get_by_role("listitem").filter(has_text=w["question"])).to_have_count(1)
    shot(page, "advisor-comparison-fr")
    text = pdf_text(page, w["compare_pdf"])
    assert w["evolution"] in text and w["plan_t1"] in text and w["notes_t1"] in text
    assert "SHARED-T1" in text and "PRIVATE" not in text and "SHARED-T0" not in text
    assert text.index(w["notes_t1"]) < text.index(w["evolution"])

    copied = sign_out_through_the_route(page, context, base, lang)
    back_shows_nothing(page, base, lang, "Atelier Lavoie")
    shot(page, "advisor-after-sign-out")
    from services.access import Access

    assert Access(repo).principal_for_token(copied) is None
    context.add_cookies([{"name": "dm_session", "value": copied, "url": base}])  # the copied cookie, put back
    page.goto(f"{base}/?lang=fr")
    wait_for_run(page)
    expect(page.get_by_role("heading", name=w["home"])).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_text(w["caseload"])).to_have_count(0)

    actions = {r.action for r in repo.users.access_log(assessment_id=assessment_id)}
    assert {"view", "change", "export"} <= actions
    context.close()


def test_english_journey_guided_session_pdf_t1_comparison_sign_out(browser, server):
    base, url = server
    lang, w = "en", WORDS["en"]
    seed_client(url, "ben@pmemtl.com", "Boulangerie Morin")
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, base, lang, "ben@pmemtl.com")
    wait_for_run(page)
    expect(page.get_by_role("heading", name=w["caseload"])).to_be_visible()
    expect(page.get_by_text("Atelier Lavoie")).to_have_count(0)  # Ana's client is not Ben's
    page.get_by_role("button", name=w["open"]).click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Boulangerie Morin")).to_be_visible()
    guided_session(page, lang, "EN0")
    nav_to(page, w["plan_link"])
    expect(page.get_by_role("heading", name=w["plan"])).to_be_visible()
    page.get_by_role("button", name=w["save_plan"]).click()
    wait_for_run(page)
    expect(page.get_by_text(w["plan_saved"])).to_be_visible()
    text = pdf_text(page, w["pdf"])
    assert "SHARED-EN0" in text and "PRIVATE-EN0" not in text and "Ben Morin" in text and "Agreed action plan" in text
    nav_to(page, w["client"])
    page.get_by_role("button", name=w["t1"]).click()
    wait_for_run(page)
    to_first_step(page, lang)
    tick(page, w["design"])
    type_note(page, w["shared"], "SHARED-EN1 new site")
    nav_to(page, w["compare"])
    expect(page.get_by_role("heading", name=w["compare"])).to_be_visible()
    expect(page.get_by_test_id("stTable").get_by_text(w["overall"])).to_be_visible()
    expect(page.get_by_test_id("stMain").get_by_role("listitem").filter(has_text=w["question"])).to_have_count(1)
    shot(page, "advisor-comparison-en")
    text = pdf_text(page, w["compare_pdf"])
    assert w["evolution"] in text and "SHARED-EN1" in text and w["notes_t1"] in text and "PRIVATE" not in text
    sign_out_through_the_route(page, context, base, lang)
    back_shows_nothing(page, base, lang, "Boulangerie Morin")
    context.close()


def test_a_guided_answer_after_the_account_is_disabled_is_not_saved(browser, server):
    """An answer click in a guided session reruns the whole app (not only the question's fragment),
    so the router checks the advisor's sign-in again: once the account is disabled elsewhere, the
    next click saves nothing and the workspace is gone."""
    from storage import open_repository

    base, url = server
    lang, w = "fr", WORDS["fr"]
    subprocess.run([sys.executable, "cli.py", "users", "add", "cleo@mrc.qc.ca", "--name", "Cléo Roy", "--role", "advisor",
                    "--organisation", "MRC Test", "--password-stdin", "--url", url], input=PASSWORD + "\n", text=True,
                   cwd=ROOT, check=True, capture_output=True)
    assessment_id = seed_client(url, "cleo@mrc.qc.ca", "Fromagerie Roy")
    page = browser.new_context().new_page()
    sign_in(page, base, lang, "cleo@mrc.qc.ca")
    wait_for_run(page)
    page.get_by_role("button", name=w["open"]).click()
    wait_for_run(page)
    page.get_by_role("button", name=w["guided"]).click()
    wait_for_run(page)
    to_first_step(page, lang)
    repo = open_repository(url)
    before = repo.load(assessment_id).answers["digital_investment_areas"]
    repo.users.set_active(repo.users.user_by_email("cleo@mrc.qc.ca").id, False)  # an admin disables the account meanwhile
    tick(page, w["delivery"])
    expect(page.get_by_role("heading", name=w["questionnaire"], exact=True)).to_have_count(0)
    assert open_repository(url).load(assessment_id).answers["digital_investment_areas"] == before
    page.context.close()
