"""The programme catalog is current and offered only where it applies (issue 11).

- no action links a closed or ended programme (nor one whose status is unknown);
- every open programme has a source, an as-of date and a review-by date;
- every eligibility rule is checked with a matching and a non-matching firm profile;
- the roadmap PDFs of a Montréal manufacturer and of a Gaspésie retailer, read back with pypdf,
  offer only open and eligible supports, show the PAEN as 2016–2021 history and print the
  catalog's as-of date.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from dataclasses import replace

import pytest
from pypdf import PdfReader

from questionnaires.segments import load_segments
from recommendations.eligibility import advice_for, is_offered, matches, offered_supports, supports_for
from recommendations.model import Eligibility
from reports.roadmap_pdf import build_roadmap_pdf
from scoring.answers import Profile
from services.results import prepare_report

MONTREAL_MANUFACTURER = Profile("31-33", "20-49", "06", "Usinage Montréal")
GASPESIE_RETAILER = Profile("44-45", "1-4", "11", "Boutique Gaspésie")
DATE = dt.date(2026, 12, 5)


def all_profiles():
    seg = load_segments()
    for sector, size, region in itertools.product(seg.codes("sector"), seg.codes("size"), seg.codes("region")):
        yield Profile(sector, size, region)


# ----------------------------------------------------------------------------- catalog rules

def test_no_action_offers_a_closed_ended_or_unchecked_programme(catalogs):
    for action in catalogs.actions:
        for sid in action.supports:
            support = catalogs.support(sid)
            assert support.status.value == "open", (action.id, sid, support.status.value)
            assert not support.is_history and support.kind != "advice"


def test_every_open_programme_has_a_source_an_as_of_and_a_review_by(catalogs):
    programmes = catalogs.programmes
    open_ones = [s for s in programmes.supports if s.is_open]
    assert len(open_ones) >= 8
    for s in open_ones:
        assert s.sources and all(u.startswith("http") for u in s.sources), s.id
        assert s.status.source and s.status.source.startswith("http") and s.status.note is not None, s.id
        assert s.status.as_of <= programmes.as_of and s.review_by is not None and s.review_by > s.status.as_of, s.id
    assert programmes.as_of < programmes.review_by


def test_the_current_vehicles_are_in_the_catalog_and_the_closed_ones_are_history(catalogs):
    by_id = {s.id: s for s in catalogs.programmes.supports}
    for sid in ("essor_volet1_b", "essor_volet1_c", "iq_grand_v", "iq_criq_accompagnement", "c3i", "iria_dec", "pme_mtl"):
        assert by_id[sid].is_open, sid
    assert by_id["essor_volet1_b"].amounts.fr.replace("\u00a0", " ") == "50 % des dépenses admissibles, jusqu'à 20 000 $."
    for sid in ("credit_integration_ti", "paen_credit_grands_projets", "cdap_bybt", "cdap_gybo", "quebec_branche"):
        assert by_id[sid].status.value == "closed", sid
    assert "1er janvier 2020" in by_id["credit_integration_ti"].status.note.fr
    assert by_id["audit_industrie_40"].status.value == "ended" and "ESSOR" in by_id["audit_industrie_40"].legacy.fr
    plan_measures = [s for s in catalogs.programmes.supports if s.id.startswith("paen_")]
    assert plan_measures and all(s.is_history for s in plan_measures)
    assert catalogs.programmes.plan.period == (2016, 2021)


def test_broadband_programmes_are_not_for_a_firm(catalogs):
    for sid in ("quebec_branche", "regions_branchees"):
        support = catalogs.support(sid)
        assert "business" not in support.eligibility.organisations
        assert not any(matches(support.eligibility, p) for p in [MONTREAL_MANUFACTURER, GASPESIE_RETAILER])
    assert not catalogs.action("upgrade_connection").supports


# ----------------------------------------------------------------------------- eligibility rules

def _differs(profile: Profile, field: str, value: str) -> Profile:
    return replace(profile, **{field: value})


def rule_cases(catalogs):
    """(support id, field, matching profile, non-matching profile) for every restriction in the catalog."""
    seg = load_segments()
    cases = []
    for support in catalogs.programmes.supports:
        rule = support.eligibility
        base = next((p for p in all_profiles() if matches(rule, p)), None)
        for field, allowed in (("size", rule.sizes), ("sector", rule.sectors), ("region", rule.regions)):
            if allowed is None:
                continue
            outside = next(c for c in seg.codes(field) if c not in allowed)
            cases.append((support.id, field, base, _differs(base, field, outside)))
        for region in rule.excluded_regions:
            inside = next(c for c in seg.codes("region") if c not in rule.excluded_regions)
            cases.append((support.id, "excluded_regions", _differs(base, "region", inside), _differs(base, "region", region)))
        if "business" not in rule.organisations:
            cases.append((support.id, "organisations", None, MONTREAL_MANUFACTURER))
    return cases


def test_every_eligibility_rule_has_a_matching_and_a_non_matching_profile(catalogs):
    cases = rule_cases(catalogs)
    fields = {field for _, field, _, _ in cases}
    assert {"size", "region", "excluded_regions", "organisations"} <= fields
    for sid, field, good, bad in cases:
        rule = catalogs.support(sid).eligibility
        if good is not None:
            assert matches(rule, good), (sid, field, good)
        else:  # a rule no firm can meet (municipalities, operators): no profile matches
            assert not any(matches(rule, p) for p in all_profiles()), sid
        assert not matches(rule, bad), (sid, field, bad)


@pytest.mark.parametrize(("sid", "good", "bad"), [
    ("pme_mtl", MONTREAL_MANUFACTURER, GASPESIE_RETAILER),
    ("acces_entreprise_quebec", GASPESIE_RETAILER, MONTREAL_MANUFACTURER),
    ("essor_volet1_c", MONTREAL_MANUFACTURER, Profile("31-33", "250-499", "06")),
    ("iria_dec", GASPESIE_RETAILER, Profile("44-45", "500+", "11")),
])
def test_named_eligibility_rules(catalogs, sid, good, bad):
    support = catalogs.support(sid)
    assert matches(support.eligibility, good) and not matches(support.eligibility, bad)


def test_status_is_checked_before_eligibility():
    from questionnaires.model import Text
    from recommendations.model import Status, Support

    text = Text(fr="x", en="x")
    common = dict(kind="programme", name=text, level="quebec", plan_link="none", audience=text, offers=text, sources=["https://a.example"])
    open_one = Support(id="a", status=Status(value="open", as_of=DATE, note=text, source="https://a.example"),
                       review_by=DATE + dt.timedelta(days=180), eligibility=Eligibility(regions=["06"]), **common)
    closed = open_one.model_copy(update={"status": Status(value="closed", as_of=DATE, note=text, source="https://a.example")})
    assert is_offered(open_one, MONTREAL_MANUFACTURER) and not is_offered(open_one, GASPESIE_RETAILER)
    assert not is_offered(closed, MONTREAL_MANUFACTURER)
    with pytest.raises(ValueError, match="review_by"):
        Support(id="b", status=Status(value="open", as_of=DATE, note=text, source="https://a.example"), **common)
    with pytest.raises(ValueError, match="evidence"):
        Status(value="closed", as_of=DATE)


def test_advice_goes_to_the_network_of_the_firms_region(catalogs):
    assert [s.id for s in advice_for(catalogs, MONTREAL_MANUFACTURER)] == ["pme_mtl"]
    assert [s.id for s in advice_for(catalogs, GASPESIE_RETAILER)] == ["acces_entreprise_quebec"]
    nothing = catalogs.action("use_support_programmes")
    found = supports_for(nothing, catalogs, GASPESIE_RETAILER)
    assert found.offered == () and [s.id for s in found.advice] == ["acces_entreprise_quebec"]
    erp = catalogs.action("implement_erp")
    assert [s.id for s in offered_supports(erp, catalogs, MONTREAL_MANUFACTURER)] == ["essor_volet1_c", "c3i"]


def test_catalog_check_rejects_a_support_that_can_never_match_the_action(tmp_path, instrument):
    from content.errors import ContentError
    from recommendations.catalog import ACTIONS_FILE, load_actions, load_programmes

    text = ACTIONS_FILE.read_text(encoding="utf-8")
    # ESSOR 1C stops at 249 employees; implement_erp is for 20+ employees, so it matches: make it 250+ only.
    erp = '    applies_to: {sizes: ["20-49", "50-99", "100-249", "250-499", "500+"]}\n    supports: [essor_volet1_c, c3i]\n'
    assert erp in text
    bad = text.replace(erp, erp.replace('"20-49", "50-99", "100-249", ', ""), 1)
    path = tmp_path / "actions.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ContentError, match="'essor_volet1_c': its eligibility can never match"):
        load_actions(instrument, load_programmes(), path)


# ----------------------------------------------------------------------------- the two firms' PDFs

def middle_answers(q) -> dict:
    """Every question answered half-way (middle option, half the boxes, mid-range number)."""
    from scoring.answers import scale_option_ids

    answers = {}
    for x in q.questions:
        if x.type == "multi":
            plain = [o.id for o in x.options if not o.exclusive]
            answers[x.id] = plain[: len(plain) // 2]
        elif x.type == "number":
            answers[x.id] = (x.min + x.max) / 2
        else:
            options = scale_option_ids(q, x)
            pick = options[len(options) // 2]
            answers[x.id] = {i.id: pick for i in x.items} if x.is_matrix else pick
    return answers


def pdf_text(instrument, profile: Profile, locale: str) -> str:
    # A firm half-way in every dimension, so actions have real gains to be ranked on (with nothing
    # answered no action has one: the roadmap then lists first scores only, issue 14).
    data = prepare_report(instrument, profile, middle_answers(instrument.questionnaire), DATE)
    pages = PdfReader(io.BytesIO(build_roadmap_pdf(data, locale))).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages), data


@pytest.mark.parametrize("profile", [MONTREAL_MANUFACTURER, GASPESIE_RETAILER], ids=["montreal-31-33", "gaspesie-44-45"])
def test_roadmap_pdf_offers_only_open_and_eligible_supports(instrument, catalogs, profile):
    full, data = pdf_text(instrument, profile, "fr")
    assert data.roadmap.items
    start = full.index("Feuille de route numérique Au plus dix actions")
    history = full.index("Historique : le PAEN 2016–2021", start)
    roadmap = full[start:history]
    for support in catalogs.programmes.supports:
        name = " ".join(support.name.fr.split())  # the PDF text is read back with whitespace normalised
        if name in roadmap:
            eligible_advice = support.kind == "advice" and matches(support.eligibility, profile)
            assert is_offered(support, profile) or eligible_advice, (support.id, support.status.value)
    for item in data.roadmap.items:  # each action shows exactly its offered supports, else the advice network
        found = supports_for(item.action, catalogs, profile)
        for support in found.offered or found.advice:
            assert " ".join(support.name.fr.split()) in roadmap, (item.action.id, support.id)
    # The plan as history, and the catalog's as-of date.
    assert "Historique : le PAEN 2016–2021" in full and "figurent ici comme historique" in full
    assert "près de 188 M$ sur cinq ans (2016–2021)" in full
    assert "Catalogue des programmes vérifié le 5 décembre 2026" in full
    if profile.region == "06":
        assert "PME MTL" in roadmap and "Accès entreprise Québec" not in roadmap
        assert "ESSOR, volet 1, sous-volet C" in roadmap  # a 20-49 manufacturer may carry out its plan with ESSOR 1C
    else:
        assert "Accès entreprise Québec" in roadmap and "PME MTL" not in roadmap


def test_english_pdf_prints_history_and_as_of(instrument):
    full, _ = pdf_text(instrument, GASPESIE_RETAILER, "en")
    assert "History: the PAEN 2016–2021" in full and "Programme catalog checked on December 5, 2026" in full
