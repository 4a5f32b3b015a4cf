"""Issue 14, findings 2 and 3, read back with pypdf: every address is a real link, the firm's whole
name is in the document (cover up to 200 characters, and the Title metadata), the Title names the
firm and the document in the chosen language, and 😀 and CJK names survive text extraction (or the
cover says how they are shown)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from domain import Profile
from reports.pdf_style import FALLBACK_FILES, URL, fallback_chars, safe
from reports.roadmap_pdf import build_roadmap_pdf
from services.results import prepare_report
from tests.unit.recommendations.test_catalog_currency import middle_answers
from tests.unit.reports.test_pdf import DATE

HAS_FALLBACK = any(p.is_file() for p in FALLBACK_FILES)


def build(instrument, name: str = "Bob", locale: str = "fr", sector: str = "44-45", region: str = "05") -> PdfReader:
    data = prepare_report(instrument, Profile(sector, "20-49", region, name), middle_answers(instrument.questionnaire), DATE)
    return PdfReader(io.BytesIO(build_roadmap_pdf(data, locale)))


def links(reader: PdfReader) -> list[str]:
    return [a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots", [])
            if a.get_object().get("/Subtype") == "/Link"]


@pytest.mark.parametrize(("locale", "sector", "region"), [("fr", "31-33", "06"), ("en", "44-45", "11")])
def test_every_address_in_the_text_is_a_link_with_the_full_address(instrument, catalogs, locale, sector, region):
    reader = build(instrument, locale=locale, sector=sector, region=region)
    uris = set(links(reader))
    for page in reader.pages:  # each link is a real, clickable area on its page
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        for annot in page.get("/Annots", []):
            x0, y0, x1, y1 = (float(v) for v in annot.get_object()["/Rect"])
            assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
    assert uris and all(re.fullmatch(r"https?://\S+", u) for u in uris)
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    flat = "".join("".join(lines).split())  # addresses wrap over lines: read them back joined
    for uri in uris:  # each link's address is printed in full (readable on paper)
        assert uri in flat, uri
    for line in lines:  # every address fragment printed on a line belongs to a link
        for m in URL.finditer(line):
            fragment = m.group(0).rstrip(".,;:)")
            assert any(u.startswith(fragment) for u in uris), fragment
    # The methodology's sources are all there, as links with their full address.
    q = instrument.questionnaire
    assert set(q.dii.source) <= uris and set(catalogs.programmes.plan.sources) <= uris


def test_safe_links_addresses_and_keeps_trailing_punctuation_out():
    text = safe("Voir https://ex.ample/a_(b)?x=1&y=2. Et (https://ex.ample/c), <b>")
    assert '<a href="https://ex.ample/a_(b)?x=1&amp;y=2" color="#1f4e79">https://ex.ample/a_(b)?x=1&amp;y=2</a>.' in text
    assert '<a href="https://ex.ample/c" color="#1f4e79">https://ex.ample/c</a>),' in text
    assert text.endswith("&lt;b&gt;")
    assert safe("no address here <b>") == "no address here &lt;b&gt;"


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize("length", [1, 140, 190, 200])
def test_names_up_to_200_characters_appear_whole_on_the_cover_and_in_the_title(instrument, locale, length):
    base = "Atelier de mécanique générale et d'usinage de précision Saint-Jean-sur-Richelieu inc. "
    name = (base * 3)[:length].rstrip() or "A"
    reader = build(instrument, name=name, locale=locale)
    cover = "".join(reader.pages[0].extract_text().split())
    assert "".join(name.split()) in cover and "…" not in cover
    document = "Feuille de route numérique" if locale == "fr" else "Digital roadmap"
    assert reader.metadata.title == f"{document} — {name}"


def test_longer_names_are_shortened_on_the_cover_and_whole_in_the_title(instrument):
    name = "Coopérative " + "x" * 300
    reader = build(instrument, name=name, locale="en")
    cover = reader.pages[0].extract_text()
    assert "…" in cover and "Name shortened here (over 200 characters)" in cover
    assert reader.metadata.title == f"Digital roadmap — {name}"


def test_unnamed_firm_title(instrument):
    assert build(instrument, name="", locale="fr").metadata.title == "Feuille de route numérique — Entreprise sans nom"


def test_emoji_round_trips_through_text_extraction(instrument):
    reader = build(instrument, name="Boutique 😀 de la Baie", locale="fr")
    assert "Boutique 😀 de la Baie" in reader.pages[0].extract_text()
    assert "ὠ" not in reader.pages[0].extract_text()
    assert reader.metadata.title == "Feuille de route numérique — Boutique 😀 de la Baie"


def test_emoji_no_font_has_is_replaced_and_the_cover_says_so(instrument):
    reader = build(instrument, name="Boulangerie 🥐", locale="fr")
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Boulangerie \ufffd" in cover and "le nom complet figure dans le titre du document" in cover
    assert reader.metadata.title.endswith("Boulangerie 🥐")


@pytest.mark.skipif(not HAS_FALLBACK, reason="fonts-droid-fallback not installed (scripts/test.sh installs it)")
def test_cjk_name_is_drawn_with_the_fallback_font_and_round_trips(instrument):
    name = "株式会社 東京電機 カフェ"
    assert set(name.replace(" ", "")) <= fallback_chars()
    reader = build(instrument, name=name, locale="en")
    cover = reader.pages[0].extract_text()
    assert name in cover and "\ufffd" not in cover and "cannot be drawn" not in cover
    fonts = {f.get_object()["/BaseFont"] for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert any(f.endswith("+DroidSansFallback") for f in fonts)  # embedded as a subset
    assert reader.metadata.title == f"Digital roadmap — {name}"


def test_an_ordinary_report_embeds_no_fallback_font(instrument):
    reader = build(instrument, name="Bob")
    fonts = {f.get_object()["/BaseFont"] for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert not any("Droid" in f for f in fonts)


@pytest.mark.skipif(not HAS_FALLBACK, reason="fonts-droid-fallback not installed (scripts/test.sh installs it)")
def test_hangul_has_no_font_here_and_the_cover_says_so(instrument):
    reader = build(instrument, name="한국 상점 東京", locale="en")
    cover = reader.pages[0].extract_text()
    assert "東京" in cover and "\ufffd" in cover and "Some characters of the name cannot be drawn" in cover
    assert reader.metadata.title == "Digital roadmap — 한국 상점 東京"
