"""The PDF report, read back with pypdf: text in both languages, hostile names, sources, closed
programmes, page numbers, embedded fonts and byte-identical rebuilds."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from dataclasses import dataclass, replace

import pytest
from pypdf import PdfReader

from domain import Profile
from recommendations.whatif import apply_effects
from reports.roadmap_pdf import ReportData, build_roadmap_pdf
from scoring.answers import InvalidAnswers
from services.results import prepare_report

DATE = dt.date(2026, 11, 26)
HOSTILE = "Café <b>Bob & Fils</b> <font size=80>"


@pytest.fixture(scope="module")
def retail_answers(instrument, catalogs):
    """A shop that did everything the library suggests except a mobile website and an online store."""
    left_out = {"mobile_website", "online_store", "seo_and_content", "ecommerce_operations"}
    answers = apply_effects(instrument.questionnaire, {}, [a for a in catalogs.actions if a.id not in left_out])
    answers["web_presence"] = ["none"]
    answers["online_sales_channels"] = ["none"]
    answers.pop("online_sales_share", None)
    return answers


def text_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def report(instrument, answers, name=HOSTILE, locale="fr", date=DATE, **extra) -> bytes:
    data = prepare_report(instrument, Profile("44-45", "5-19", "05", name), answers, date)
    return build_roadmap_pdf(replace(data, **extra) if extra else data, locale)


def test_french_report_reads_back(instrument, retail_answers):
    pages = text_of(report(instrument, retail_answers))
    full = " ".join(pages)
    assert "Café <b>Bob & Fils</b> <font size=80>" in pages[0]  # literal, on the cover
    assert "26 novembre 2026" in pages[0]
    assert "Commerce de détail" in pages[0]
    assert "Feuille de route numérique" in full and "Stratégie d'affaires numérique" in full
    assert "Avoir un site Web adapté aux mobiles" in full  # an action title
    assert "Offensive de transformation numérique (OTN)" in full  # an open programme this shop is eligible for
    assert "PCAN" not in full  # CDAP closed in 2024: history, never offered
    assert "FERMÉ" in full and "TERMINÉ" in full  # closed and ended entries are labelled, in the history block
    assert "Historique : le PAEN 2016–2021" in full
    assert "Catalogue des programmes vérifié le 5 décembre 2026" in full
    otn = ("https://www.newswire.ca/fr/news-releases/offensive-de-transformation-numerique-reussie-au-quebec-"
           "quatre-ans-d-actions-porteuses-et-218-m-pour-stimuler-la-productivite-des-pme-854772579.html")
    assert otn in full.replace(" ", "")  # its source, in the appendix (the URL wraps)
    assert "Pas de comparaison disponible" in full  # no peers given
    assert pages[1].startswith("Sommaire") and pages[2].startswith("Indice d'intensité numérique")  # a one-page summary
    assert "Matrice de priorisation" in full and "Gain rapide" in full
    assert "Priorité = impact × (1 + 0,5 ×" in full  # the formula, in the methodology appendix
    assert re.search(r"Page 1 / (\d+)", pages[0]).group(1) == str(len(pages))
    assert f"Page 2 / {len(pages)}" in pages[1]


def test_english_report_reads_back(instrument, retail_answers):
    pages = text_of(report(instrument, retail_answers, locale="en"))
    full = " ".join(pages)
    assert HOSTILE in pages[0] and "November 26, 2026" in pages[0]
    assert "Digital roadmap" in full and "Have a mobile-friendly website" in full
    assert "Digital Transformation Offensive" in full and "CDAP" not in full and "CLOSED" in full
    assert "History: the PAEN 2016–2021" in full and "Programme catalog checked on December 5, 2026" in full
    assert "Digital Economy Action Plan" in full  # the plan, in the sources appendix
    assert "No benchmark available" in full


def test_measures_show_number_axis_and_unconfirmed_links(instrument, catalogs):
    answers = {}
    text = " ".join(text_of(report(instrument, answers, locale="fr")))
    # The plan's history block lists the Audit Industrie 4.0 (link unconfirmed, ended: ESSOR 1B took it over).
    assert "Programme Audit Industrie 4.0" in text and "Lien avec le PAEN 2016–2021 NON CONFIRMÉ" in text
    assert "ESSOR, volet 1, sous-volet B" in text
    # Measure 14's link to the plan is confirmed; only its axis is probable (issue 14: it read as if the link were not).
    assert "Mesure 14 du PAEN 2016–2021, axe 2 probable (seul l'axe n'est pas confirmé)" in text
    assert "axe 2 (probable, non confirmé)" not in text and "mesure 14, axe" not in text
    assert "Lien avec le PAEN 2016–2021 NON CONFIRMÉ, axe 2 probable, non confirmé" in text  # link and axis both unconfirmed
    english = " ".join(text_of(report(instrument, answers, locale="en")))
    assert "Measure 14 of the PAEN 2016–2021, probably axis 2 (only the axis is unconfirmed)" in english


def test_rebuild_is_byte_identical_and_date_is_a_parameter(instrument, retail_answers):
    first = report(instrument, retail_answers)
    assert report(instrument, retail_answers) == first
    assert report(instrument, retail_answers, date=dt.date(2027, 1, 5)) != first


@pytest.mark.parametrize("name", ["x" * 4000, "Bob " * 1000, "Boulangerie 😀🥐🧁 ✓ → « Ça » \u202f\u0000\u200e", ""])
def test_long_emoji_and_empty_names_keep_the_layout(instrument, retail_answers, name):
    reference = text_of(report(instrument, retail_answers, name="Bob"))
    pages = text_of(report(instrument, retail_answers, name=name))
    assert len(pages) == len(reference)
    assert pages[1].startswith("Sommaire")
    if len(name) > 200:  # cut at 200 characters (the longest name accepted), and the cover says so
        assert "…" in pages[0] and "Nom abrégé ici (plus de 200 caractères)" in pages[0]
        assert len(pages[0]) < len(reference[0]) + 200 + 150
    if not name:
        assert "Entreprise sans nom" in pages[0]
    if "Boulangerie" in name:
        assert "Boulangerie" in pages[0] and "« Ça »" in pages[0]


def test_only_the_embedded_dejavu_fonts_are_used(instrument, retail_answers):
    reader = PdfReader(io.BytesIO(report(instrument, retail_answers)))
    fonts = {f.get_object()["/BaseFont"] for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts and all(name.endswith(("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique")) for name in fonts)
    for font in {f.get_object()["/FontDescriptor"].get_object().get("/FontFile2") for page in reader.pages
                 for f in page["/Resources"]["/Font"].values() if "/FontDescriptor" in f.get_object()}:
        assert font is not None  # embedded


@dataclass(frozen=True)
class FakeMetric:
    quartiles: tuple[float, float, float] | None
    n: int = 42
    cell: str = "sector+size"
    percentile: float | None = 50.0


@dataclass(frozen=True)
class FakePeers:
    metrics: dict
    synthetic: bool = True
    enough_data: bool = True


@dataclass(frozen=True)
class FakeIndicator:
    label: dict
    firm_value: bool | None
    reference_value: float
    year: int
    population: dict
    source: str
    source_name: str


def test_benchmarks_and_indicators_when_provided(instrument, retail_answers):
    metrics = {d.id: FakeMetric((20.0, 55.5, 70.0)) for d in instrument.questionnaire.dimensions}
    metrics["overall"] = FakeMetric((1.0, 50.0, 90.0))
    indicator = FakeIndicator({"fr": "Entreprises ayant un site Web", "en": "Businesses with a website"}, False, 45.0, 2012,
                              {"fr": "entreprises canadiennes", "en": "Canadian businesses"},
                              "https://www150.statcan.gc.ca/n1/daily-quotidien/130612/dq130612a-eng.htm", "Statistique Canada")
    for locale, median, synthetic in (("fr", "Médiane des pairs", "données synthétiques"), ("en", "Peer median", "synthetic data")):
        text = " ".join(text_of(report(instrument, retail_answers, locale=locale, peers=FakePeers(metrics), indicators=(indicator,))))
        assert median in text and "42" in text and synthetic in text
        assert "https://www150.statcan.gc.ca/n1/daily-quotidien/130612/dq130612a-eng.htm" in text
        assert ("Entreprises ayant un site Web" if locale == "fr" else "Businesses with a website") in text
    assert "55,5" in " ".join(text_of(report(instrument, retail_answers, peers=FakePeers(metrics))))  # French decimal comma


def test_a_firm_with_nothing_to_do_still_gets_a_report(instrument, catalogs):
    everything = apply_effects(instrument.questionnaire, {}, catalogs.actions)
    text = " ".join(text_of(report(instrument, everything, locale="en")))
    assert "No action stands out" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_first_page_renders_to_png(instrument, retail_answers, tmp_path):
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(report(instrument, retail_answers))
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "p")], check=True, timeout=60)
    pngs = sorted(tmp_path.glob("p*.png"))
    assert len(pngs) == 2 and all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)


def test_report_data_is_plain_and_reusable(instrument, retail_answers):
    data = prepare_report(instrument, Profile("44-45", "5-19", "05", "Bob"), retail_answers, DATE)
    assert isinstance(data, ReportData)
    assert build_roadmap_pdf(data, "fr") != build_roadmap_pdf(data, "en")


def test_bad_profile_or_answers_get_a_clear_error(instrument):
    with pytest.raises(InvalidAnswers, match="unknown sector '99'"):
        prepare_report(instrument, Profile("99", "1-4", "05"), {}, DATE)
    with pytest.raises(InvalidAnswers, match="nope: unknown question id"):
        prepare_report(instrument, Profile("54", "1-4", "05"), {"nope": 1}, DATE)


def test_published_statistics_are_in_every_report_even_without_a_peer_pool(instrument, retail_answers):
    data = prepare_report(instrument, Profile("44-45", "5-19", "06", "Boutique"), retail_answers, DATE)
    assert data.indicators, "comparisons with published statistics need no pool"
    text = " ".join(text_of(build_roadmap_pdf(data, "fr")))
    assert "Comparaison avec les statistiques publiées" in text
    unwrapped = text.replace(" ", "")  # long URLs wrap across lines in the table
    assert all(i.source.replace(" ", "") in unwrapped for i in data.indicators)
