"""Archetype names come from each centroid's shape by the rule in benchmarks/archetype_names.yaml."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.archetype_names import ArchetypeName, archetype_label, load_names, name_archetypes
from benchmarks.archetypes import fit_archetypes
from questionnaires.registry import Instrument

DIMS = ("strategy", "readiness", "human", "data", "automation", "green", "ecommerce")
MEANS = np.full(len(DIMS), 40.0)


def centre(**leads: float) -> np.ndarray:
    """A centroid at the pool mean, moved by ``leads`` points on the named dimensions."""
    return np.array([40.0 + leads.get(d, 0.0) for d in DIMS])


def test_the_strongest_dimension_names_the_shape() -> None:
    names = name_archetypes(np.array([centre(ecommerce=20), centre(automation=15, data=8), centre(data=12)]), MEANS, DIMS)
    assert [archetype_label(n, "fr") for n in names] == ["En ligne d'abord", "Atelier connecté", "Guidé par les données"]
    assert [archetype_label(n, "en") for n in names] == ["Online first", "Connected shop floor", "Data-driven"]


def test_the_lead_is_measured_against_the_profiles_own_average() -> None:
    """Ahead by 20 everywhere and by 24 in e-commerce: no clear shape (4 < 5 points), a leading tier."""
    everywhere = centre(**{d: 20.0 for d in DIMS}) + np.array([0, 0, 0, 0, 0, 0, 4.0])
    [name] = name_archetypes(np.array([everywhere]), MEANS, DIMS)
    assert name == ArchetypeName(None, "leading")
    assert archetype_label(name, "fr") == "Numérique intégré" and archetype_label(name, "en") == "Digitally integrated"


def test_flat_profiles_are_named_by_their_tier() -> None:
    names = name_archetypes(np.array([centre(**{d: -12.0 for d in DIMS}), centre(), centre(**{d: 9.0 for d in DIMS})]), MEANS, DIMS)
    assert [archetype_label(n, "en") for n in names] == ["Digital first steps", "Foundations in place", "Digitally integrated"]


def test_clashing_names_get_the_tier_then_a_rank() -> None:
    low_online = centre(**{d: -15.0 for d in DIMS}) + centre(ecommerce=20) - MEANS
    high_online = centre(**{d: 15.0 for d in DIMS}) + centre(ecommerce=20) - MEANS
    names = name_archetypes(np.array([low_online, high_online, centre(), centre(strategy=1)]), MEANS, DIMS)
    assert [archetype_label(n, "fr") for n in names] == ["En ligne d'abord (premiers pas)", "En ligne d'abord (avancé)",
                                                          "Bases en place 1", "Bases en place 2"]
    assert len({archetype_label(n, "en") for n in names}) == 4


def test_every_rule_names_a_dimension_of_the_instrument(instrument: Instrument) -> None:
    dims = {d.id for d in instrument.questionnaire.dimensions}
    rules = load_names()
    for rule in rules.shapes:
        assert set(rule.strongest) <= dims and set(rule.weakest or ()) <= dims
    assert {r.strongest[0] for r in rules.shapes} == dims  # every dimension can name a profile


def test_a_fitted_model_names_every_archetype_and_no_name_is_a_letter() -> None:
    rng = np.random.default_rng(0)
    shapes = [centre(ecommerce=30), centre(automation=30), centre(**{d: -20.0 for d in DIMS})]
    matrix = np.vstack([c + rng.normal(0, 3, (150, len(DIMS))) for c in shapes])
    model = fit_archetypes(matrix, DIMS, seed=0)
    assert model is not None
    labels = sorted(archetype_label(a.name, "en") for a in model.archetypes)
    assert labels == ["Connected shop floor", "Digital first steps", "Online first"]
    assert model.archetypes[0].to_json()["name"] == {"shape": None, "tier": "early", "qualified": False, "rank": None}


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_every_tier_has_a_name_and_a_qualifier(locale: str) -> None:
    tiers = load_names().tiers
    assert sorted(tiers) == ["early", "leading", "middle"]
    assert all(t.name.get(locale) and t.qualifier.get(locale) for t in tiers.values())


@pytest.mark.parametrize(("percentile", "fr", "en"), [
    (0.0, "0 (sous les 37)", "0 (below all 37)"),
    (100.0, "100 (au-dessus des 37)", "100 (above all 37)"),
    (0.3, "< 1", "< 1"),  # rounds to 0 but is not below all of them
    (42.4, "42", "42"),
])
def test_a_percentile_of_0_or_100_is_said_with_its_n(percentile: float, fr: str, en: str) -> None:
    from reports.texts import overall_percentile_sentence, percentile_text

    assert (percentile_text(percentile, 37, "fr"), percentile_text(percentile, 37, "en")) == (fr, en)
    if percentile == 0.0:
        assert overall_percentile_sentence(0.0, 37, "sector", "en") == (
            "Your overall score is below those of all 37 comparable businesses (same sector (all sizes and regions)): percentile rank 0.")
