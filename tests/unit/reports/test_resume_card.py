"""The resume card: the private link in its documented form, the same words in the text and PDF
cards, both languages, read back with pypdf, and byte-identical rebuilds."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from reports.resume_card import pdf_card, resume_link, text_card

CODE = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567"
DAY = dt.date(2026, 12, 6)


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def links_of(pdf: bytes) -> list[str]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", []) if a.get_object().get("/Subtype") == "/Link"]


def test_the_link_is_the_app_root_with_the_resume_parameter():
    assert resume_link("https://diagnostic.example/", CODE, "fr") == f"https://diagnostic.example/?resume={CODE}"
    assert resume_link("https://diagnostic.example/app", CODE, "en") == f"https://diagnostic.example/app/?resume={CODE}&lang=en"


def test_french_text_card():
    link = resume_link("http://127.0.0.1:8501", CODE, "fr")
    card = text_card(CODE, link, "fr", DAY)
    lines = card.splitlines()
    assert lines[0] == "Votre code de reprise"
    assert "Créé le 6 décembre 2026" in card
    assert lines[lines.index("Code de reprise\u00a0:") + 1] == CODE
    assert lines[lines.index("Lien privé à mettre en favori\u00a0:") + 1] == link
    assert "page «\u00a0Reprendre un diagnostic\u00a0»" in card and "page «\u00a0Confidentialité\u00a0»" in card
    assert "n'a été envoyée à personne" in card
    assert card.endswith("\n") and not card.endswith("\n\n")


def test_english_text_card():
    card = text_card(CODE, "http://h/?resume=X&lang=en", "en", DAY)
    assert "Created on December 6, 2026" in card and "Resume code:\n" + CODE in card
    assert "Private link to bookmark:\nhttp://h/?resume=X&lang=en" in card


def test_pdf_card_reads_back_in_both_languages_with_the_link_clickable():
    for locale, words in (("fr", ["Votre code de reprise", "Créé le 6 décembre 2026", "Reprendre un diagnostic"]),
                          ("en", ["Your resume code", "Created on December 6, 2026", "Resume an assessment"])):
        link = resume_link("https://diagnostic.example", CODE, locale)
        pdf = pdf_card(CODE, link, locale, DAY)
        pages, text = pdf_text(pdf)
        assert pages == 1
        assert CODE in text and link in text.replace(" ", "")
        for word in words:
            assert word in text, (locale, word)
        assert link in links_of(pdf)
        assert PdfReader(io.BytesIO(pdf)).metadata.title.startswith(words[0])


def test_the_text_and_pdf_cards_say_the_same_things():
    link = resume_link("https://diagnostic.example", CODE, "fr")
    _, pdf = pdf_text(pdf_card(CODE, link, "fr", DAY))
    for line in text_card(CODE, link, "fr", DAY).splitlines():
        assert " ".join(line.rstrip(" :\u00a0").split()) in pdf, line


def test_same_inputs_same_bytes():
    link = resume_link("https://diagnostic.example", CODE, "fr")
    assert pdf_card(CODE, link, "fr", DAY) == pdf_card(CODE, link, "fr", DAY)
