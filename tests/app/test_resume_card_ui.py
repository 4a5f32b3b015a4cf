"""The resume code's private link and card through AppTest: shown with the code when an assessment
starts and in the sidebar, built from the app's root address, gone with the assessment."""

from __future__ import annotations

import pytest

from tests.app.test_app_pages import fresh_app, new_app, start_through_profile  # noqa: F401 (fresh_app: the fixture)
from ui.resume import root_of

pytestmark = pytest.mark.usefixtures("fresh_app")  # a new database and empty caches per test


def test_the_root_address_drops_the_page_path_only():
    assert root_of("http://127.0.0.1:8501/questionnaire") == "http://127.0.0.1:8501"
    assert root_of("https://example.org/diagnostic/results/") == "https://example.org/diagnostic"
    assert root_of("https://example.org/diagnostic") == "https://example.org/diagnostic"
    assert root_of("https://example.org/sign-in") == "https://example.org"
    assert root_of("") == ""


def test_the_code_comes_with_its_private_link_copy_button_and_cards():
    at = start_through_profile(new_app())
    code = at.session_state["draft"].resume_code
    downloads = {b.key: b.label for b in at.get("download_button")}
    assert downloads == {"resume_card_pdf_box": "Télécharger la fiche (PDF)", "resume_card_text_box": "Télécharger la fiche (texte)",
                         "resume_card_pdf_sidebar": "Télécharger la fiche (PDF)",
                         "resume_card_text_sidebar": "Télécharger la fiche (texte)"}
    snippets = [e.proto.body for e in at.get("html") if "dm-copy" in e.proto.body]
    assert len(snippets) == 2  # the box and the sidebar
    for snippet in snippets:
        assert f'value="/?resume={code}"' in snippet  # AppTest has no browser address: the root is empty
        assert ">Copier le lien</button>" in snippet and 'role="status"' in snippet


def test_in_english_the_link_keeps_the_language_and_the_labels_are_english():
    at = start_through_profile(new_app(lang="en"))
    code = at.session_state["draft"].resume_code
    snippet = next(e.proto.body for e in at.get("html") if "dm-copy" in e.proto.body)
    assert f'value="/?resume={code}&amp;lang=en"' in snippet and ">Copy the link</button>" in snippet
    assert "Download the card (PDF)" in [b.label for b in at.get("download_button")]


def test_closing_the_assessment_takes_the_card_away():
    at = start_through_profile(new_app())
    at.button(key="close_assessment").click().run()
    assert not at.get("download_button") and not [e for e in at.get("html") if "dm-copy" in e.proto.body]


def test_the_privacy_page_says_the_link_copy_and_card_send_nothing():
    at = new_app()
    at.switch_page("ui/pages/privacy.py").run()
    subheaders = [h.value for h in at.subheader]
    assert "Votre code et votre lien privé" in subheaders
    body = "\n".join(m.value for m in at.markdown)
    assert "`?resume=`" in body and "rien n'est envoyé par courriel ni à un tiers" in body
    at = new_app(lang="en")
    at.switch_page("ui/pages/privacy.py").run()
    assert "nothing is sent by email or to a third party" in "\n".join(m.value for m in at.markdown)
