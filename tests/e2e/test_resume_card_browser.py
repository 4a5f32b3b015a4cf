"""The resume code kept by the firm, in a real browser: the private link copied by the copy button
(in the browser, no request), its visible fallback where the clipboard is unavailable, the text
and PDF cards downloaded, and the copied link resuming the assessment in another browser."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.test_app_browser import EN, FR, resume_code, start, wait_for_run

pytestmark = pytest.mark.e2e
BOX = ".st-key-resume-code-box"


def test_copy_button_copies_the_private_link_without_a_request_and_the_link_resumes(app_server, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(app_server.url)
    wait_for_run(page)
    start(page, FR)
    code = resume_code(page)
    link = f"{app_server.url}/?resume={code}"
    expect(page.locator(BOX).get_by_role("textbox", name="Lien privé à mettre en favori")).to_have_value(link)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.locator(BOX).get_by_role("button", name="Copier le lien").click()
    expect(page.locator(BOX).get_by_role("status")).to_have_text("Lien copié dans le presse-papiers.")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert requests == []  # copying is the browser's business: nothing goes to the server or anywhere else
    context.close()

    other = browser.new_context().new_page()  # the link, opened elsewhere, reopens the assessment
    other.goto(link)
    wait_for_run(other)
    expect(other.get_by_text("Diagnostic repris : vos réponses ont été restaurées.")).to_be_visible()
    other.close()


def test_without_a_clipboard_the_link_is_selected_and_the_firm_is_told(app_server, browser):
    context = browser.new_context()
    context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined});")
    page = context.new_page()
    page.goto(app_server.url + "/?lang=en")
    wait_for_run(page)
    start(page, EN, sector="Manufacturing")
    page.locator(BOX).get_by_role("button", name="Copy the link").click()
    expect(page.locator(BOX).get_by_role("status")).to_contain_text("press Ctrl+C")
    field = page.locator(BOX).get_by_role("textbox", name="Private link to bookmark")
    assert field.evaluate("e => e === document.activeElement && e.selectionStart === 0 && e.selectionEnd === e.value.length")
    context.close()


def test_the_text_and_pdf_cards_download_with_the_code_and_the_link(app_server, browser):
    page = browser.new_page(accept_downloads=True)
    page.goto(app_server.url)
    wait_for_run(page)
    start(page, FR)
    code = resume_code(page)
    link = f"{app_server.url}/?resume={code}"
    with page.expect_download() as pdf_download:
        page.locator(BOX).get_by_role("button", name="Télécharger la fiche (PDF)").click()
    assert pdf_download.value.suggested_filename == f"code-de-reprise-{code}.pdf"
    reader = PdfReader(io.BytesIO(pdf_download.value.path().read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert len(reader.pages) == 1 and code in text and link in text.replace(" ", "") and "Votre code de reprise" in text
    with page.expect_download() as text_download:
        page.get_by_test_id("stSidebar").get_by_role("button", name="Télécharger la fiche (texte)").click()
    card = text_download.value.path().read_text(encoding="utf-8")
    assert text_download.value.suggested_filename == f"code-de-reprise-{code}.txt"
    assert card.startswith("Votre code de reprise\n") and f"\n{code}\n" in card and f"\n{link}\n" in card
    page.close()
