"""One term per concept in French (i18n/glossary.yaml), on every French string of the content:
instrument, actions, programmes, statistics, UI and PDF strings."""

from __future__ import annotations

import pytest

from content.loader import load_yaml
from i18n.glossary import Glossary, load_glossary, violations
from i18n.glossary import french_texts as fr_texts
from tests.conftest import ROOT

CONTENT = sorted([*ROOT.glob("questionnaires/*.yaml"), *ROOT.glob("i18n/strings/*.yaml"), *ROOT.glob("recommendations/*.yaml"),
                  *ROOT.glob("benchmarks/*.yaml")])  # not glossary.yaml itself: it quotes the forbidden variants


def all_french() -> list[tuple[str, str]]:
    out = []
    for path in CONTENT:
        data, _ = load_yaml(path)
        out += [(f"{path.relative_to(ROOT)}:{'.'.join(map(str, where))}", text) for where, text in fr_texts(data)]
    return out


def test_glossary_loads_with_the_required_concepts():
    glossary = load_glossary()
    terms = {c.id: c.fr for c in glossary.concepts}
    assert terms["crm"] == "gestion de la relation client (GRC)"
    assert terms["erp"] == "progiciel de gestion intégré (PGI)"
    assert terms["edi"] == "échange de documents informatisé (EDI)"
    assert terms["mfa"] == "authentification multifacteur"
    assert terms["dii"] == "indice d'intensité numérique (IIN)"


def test_every_french_string_uses_the_glossary_terms():
    bad = violations(load_glossary(), all_french())
    assert not bad, [str(v) for v in bad[:10]]


def test_the_dii_is_named_once_in_english():
    texts = all_french()
    assert sum(text.count("Digital Intensity Index, DII") for _, text in texts) == 1
    assert any("(IIN)" in text for _, text in texts)


@pytest.mark.parametrize(("text", "concept"), [
    ("Mettre en place un CRM", "crm"), ("Implanter un ERP", "erp"), ("l'échange de données informatisé", "edi"),
    ("Activer la double authentification", "mfa"), ("authentification à deux facteurs", "mfa"), ("l'indice (DII)", "dii"),
    ("Numérisation centrée sur l'humain", "digital_transformation"),
])
def test_variants_are_caught(text, concept):
    glossary: Glossary = load_glossary()
    found = {v.concept for v in violations(glossary, [("x", text), ("y", "(Digital Intensity Index, DII)")])}
    assert concept in found


def test_english_names_in_parentheses_are_allowed():
    glossary = load_glossary()
    ok = [("a", "Un PGI (ERP en anglais) relie…"), ("b", "Une GRC (CRM en anglais) centralise…"), ("c", "(Digital Intensity Index, DII)")]
    assert not violations(glossary, ok)
