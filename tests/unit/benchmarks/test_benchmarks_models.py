"""Archetypes, nearest peers and the synthetic population: deterministic with a seed, honest
when data are short, and scored by the real engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks.adoption import adoption_items, adoption_vector
from benchmarks.archetypes import (
    MIN_FIRMS,
    cached_archetypes,
    changed_materially,
    firm_archetype,
    fit_archetypes,
    pool_fingerprint,
)
from benchmarks.disclosure import DEFAULT_POLICY
from benchmarks.neighbours import NeighbourIndex
from benchmarks.report import Pool, benchmark_firm
from benchmarks.synthetic import generate_population, population_frame, result_snapshots
from domain import Profile
from questionnaires.registry import Instrument
from questionnaires.segments import load_segments
from scoring.answers import check_answers
from scoring.engine import score_answers, score_firm

DIMS = ("a", "b", "c")


@pytest.fixture(scope="module")
def population(instrument: Instrument):
    return generate_population(instrument.questionnaire, load_segments(), 600, seed=7)


def _clusters(seed: int = 0) -> np.ndarray:
    """Three clear groups: strong in a, strong in c, low everywhere."""
    rng = np.random.default_rng(seed)
    centres = np.array([[80, 30, 30], [30, 30, 80], [20, 20, 20]], float)
    return np.vstack([c + rng.normal(0, 4, (150, 3)) for c in centres])


def test_archetypes_find_clear_groups_and_describe_them() -> None:
    model = fit_archetypes(_clusters(), DIMS, seed=0)
    assert len(model.archetypes) == 3
    low, *others = model.archetypes  # ordered by mean score
    assert set(low.gaps) == {"a", "c"} and not low.strengths  # b: 20 against a pool mean of 27, within 10 points
    assert {a.strengths[0] for a in others} == {"a", "c"}
    assert sum(a.share for a in model.archetypes) == pytest.approx(1.0)


def test_no_archetype_describes_fewer_than_ten_firms() -> None:
    outliers = np.array([[100.0, 100.0, 0.0]] * 3)  # three firms far from everyone: never an archetype of their own
    data = np.vstack([_clusters(), outliers])
    model = fit_archetypes(data, DIMS, seed=0)
    assert all(round(a.share * len(data)) >= DEFAULT_POLICY.k for a in model.archetypes)


def test_archetypes_are_deterministic_with_a_seed() -> None:
    one, two = fit_archetypes(_clusters(), DIMS, seed=3), fit_archetypes(_clusters(), DIMS, seed=3)
    np.testing.assert_array_equal(one.centers, two.centers)
    assert one.archetypes == two.archetypes


def test_firm_sees_its_archetype_and_how_it_differs() -> None:
    model = fit_archetypes(_clusters(), DIMS, seed=0)
    firm = firm_archetype(model, {"a": 95.0, "b": 10.0, "c": 30.0})
    assert firm.available and firm.archetype.strengths[0] == "a"
    assert [d for d, _ in firm.above] == ["a"] and [d for d, _ in firm.below] == ["b"]
    assert firm.to_json()["archetype"]["id"] == firm.archetype.id


def test_too_few_firms_say_not_enough_data() -> None:
    small = _clusters()[: MIN_FIRMS - 1]
    assert fit_archetypes(small, DIMS) is None
    firm = firm_archetype(cached_archetypes(small, DIMS), {"a": 50.0})
    assert (firm.available, firm.reason, firm.archetype) == (False, "not_enough_data", None)


def test_refit_only_on_material_change() -> None:
    data = _clusters()
    model = fit_archetypes(data, DIMS)
    assert not changed_materially(model, np.vstack([data, data[:1]]), DIMS, False)  # one more firm: same model
    assert changed_materially(model, np.vstack([data, data[:100]]), DIMS, False)  # a fifth more firms
    assert changed_materially(model, data + 5, DIMS, False)
    assert changed_materially(model, data, DIMS, True)  # synthetic pools never share a model with real ones
    first = cached_archetypes(data, DIMS)
    assert cached_archetypes(np.vstack([data, data[:1]]), DIMS) is first
    assert cached_archetypes(data + 5, DIMS) is not first
    assert pool_fingerprint(data, DIMS, False) == first.fingerprint


def _neighbour_pool(n: int = 400, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    overall = rng.uniform(0, 100, n)
    frame = pd.DataFrame({"sector": "41", "size": rng.choice(["1-4", "5-19"], n), "overall": overall,
                          "a": overall + rng.normal(0, 3, n), "b": overall + rng.normal(0, 3, n)})
    adoption = np.column_stack([overall > 40, overall > 90, rng.random(n) < 0.1])  # item 0: leaders use it
    return frame, adoption


def _items(instrument: Instrument, count: int):
    return adoption_items(instrument.questionnaire)[:count]


def test_neighbours_signal_what_leaders_use(instrument: Instrument) -> None:
    frame, adoption = _neighbour_pool()
    index = NeighbourIndex.fit(frame, ["a", "b"], adoption, _items(instrument, 3), load_segments().codes("size"))
    out = index.signals(Profile("41", "1-4", "05"), {"a": 35.0, "b": 35.0}, 35.0, np.zeros(3, bool))
    assert out.available and out.scope == "sector" and out.neighbours == 50 and out.leaders >= 5
    assert [s.item for s in out.signals] == [index.items[0].key]  # item 1 is rarer, item 2 is noise
    assert out.signals[0].share == 1.0 and out.signals[0].leaders == out.leaders
    again = index.signals(Profile("41", "1-4", "05"), {"a": 35.0, "b": 35.0}, 35.0, np.array([True, False, False]))
    assert again.signals == ()  # the firm already uses it


def test_neighbours_fall_back_to_all_sectors_and_say_so(instrument: Instrument) -> None:
    frame, adoption = _neighbour_pool()
    index = NeighbourIndex.fit(frame, ["a", "b"], adoption, _items(instrument, 3), load_segments().codes("size"))
    assert index.signals(Profile("54", "1-4", "05"), {"a": 35.0, "b": 35.0}, 35.0, np.zeros(3, bool)).scope == "all_sectors"


def test_neighbours_need_data_and_leaders(instrument: Instrument) -> None:
    frame, adoption = _neighbour_pool()
    sizes = load_segments().codes("size")
    tiny = NeighbourIndex.fit(frame[:20], ["a", "b"], adoption[:20], _items(instrument, 3), sizes)
    assert tiny.signals(Profile("41", "1-4", "05"), {"a": 50.0}, 50.0, np.zeros(3, bool)).reason == "not_enough_data"
    index = NeighbourIndex.fit(frame, ["a", "b"], adoption, _items(instrument, 3), sizes)
    top = index.signals(Profile("41", "1-4", "05"), {"a": 100.0, "b": 100.0}, 100.0, np.zeros(3, bool))
    assert (top.available, top.reason, top.signals) == (False, "no_leaders", ())


def test_adoption_counts_checklists_and_high_levels(mini: Instrument) -> None:
    q = mini.questionnaire
    keys = [i.key for i in adoption_items(q)]
    assert keys == ["plan", "tools.web", "tools.erp", "tech.cloud", "tech.ai", "shop.mes"]  # no "none", no numbers
    vector = adoption_vector(q, {"plan": "mid", "tools": ["erp"], "tech": {"cloud": "a4", "ai": "a3"}, "shop": {"mes": "yes"}})
    assert vector.tolist() == [False, False, True, True, False, True]  # "mid" scores 0.7 < 0.75; a4 = 0.8


def test_synthetic_answers_are_valid_and_scored_by_the_engine(instrument: Instrument, population) -> None:
    q = instrument.questionnaire
    snapshots = result_snapshots(q, population, {"id": q.id})
    for i in range(0, 600, 60):
        assert check_answers(q, population.answers[i]) == []
        result = score_answers(q, population.profiles[i], population.answers[i])
        assert snapshots[i]["overall"] == pytest.approx(round(result.overall, 2), abs=0.011)
        assert snapshots[i]["dii"]["score"] == result.dii.score


def test_synthetic_population_is_reproducible_and_plausible(instrument: Instrument, population) -> None:
    again = generate_population(instrument.questionnaire, load_segments(), 600, seed=7)
    assert again.answers == population.answers and again.profiles == population.profiles
    frame = population_frame(instrument.questionnaire, population)
    by_size = frame.groupby("size")["overall"].mean()
    assert by_size["1-4"] < by_size["20-49"] < by_size["100-249"]  # maturity rises with size
    assert frame["synthetic"].all()


def test_benchmark_report_on_a_synthetic_pool(instrument: Instrument, population) -> None:
    frame = population_frame(instrument.questionnaire, population)
    pool = Pool(frame, True, dict(zip(frame["assessment_id"], population.answers, strict=True)))
    profile, answers = population.profiles[0], population.answers[0]
    report = benchmark_firm(instrument, profile, answers, score_firm(instrument, profile, answers), pool)
    doc = report.to_json()
    assert doc["synthetic"] and doc["peers"]["synthetic"] and doc["archetype"]["synthetic"]
    assert doc["peers"]["metrics"]["overall"]["n"] >= 10
    assert doc["archetype"]["available"] and doc["neighbours"]["synthetic"]
    assert {i["id"] for i in doc["indicators"]} >= {"ecommerce_sales", "website", "cloud"}
    assert report.to_json() == benchmark_firm(instrument, profile, answers, score_firm(instrument, profile, answers), pool).to_json()


def test_benchmark_report_leaves_the_firms_own_assessment_out(instrument: Instrument, population) -> None:
    frame = population_frame(instrument.questionnaire, population)
    pool = Pool(frame, True)
    profile, answers = population.profiles[0], population.answers[0]
    result = score_firm(instrument, profile, answers)
    counted = benchmark_firm(instrument, profile, answers, result, pool).peers.metrics["overall"]
    apart = benchmark_firm(instrument, profile, answers, result, pool, assessment_id="synthetic-1").peers.metrics["overall"]
    assert (apart.cell, apart.n) == (counted.cell, counted.n - 1)  # 11 stored in the cell, 10 others
