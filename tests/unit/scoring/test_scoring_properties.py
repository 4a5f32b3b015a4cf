"""Properties of scoring: bounds, monotonicity, and the vectorised path equal to the per-firm one."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import Profile
from questionnaires.registry import get_instrument
from questionnaires.segments import load_segments
from scoring import score_answers
from scoring.answers import check_answers, scale_option_ids
from scoring.vectorized import encode_table, levels_of, score_table
from tests.answer_gen import random_answers

INSTRUMENT = get_instrument()
Q = INSTRUMENT.questionnaire
SEGMENTS = load_segments()

profiles = st.builds(Profile, st.sampled_from(SEGMENTS.codes("sector")), st.sampled_from(SEGMENTS.codes("size")),
                     st.sampled_from(SEGMENTS.codes("region")))
answer_sets = st.integers(0, 2**32 - 1).map(lambda seed: random_answers(Q, random.Random(seed)))


@settings(max_examples=150, deadline=None)
@given(profile=profiles, answers=answer_sets)
def test_generated_answers_are_valid_and_scores_are_bounded(profile, answers):
    assert check_answers(Q, answers) == []
    result = score_answers(Q, profile, answers)
    for dim in result.dimensions.values():
        assert dim.score is None or 0.0 <= dim.score <= 100.0 + 1e-9
    assert result.overall is None or 0.0 <= result.overall <= 100.0 + 1e-9
    assert 0 <= result.dii.score <= 12
    assert result.dii.basic == (result.dii.score >= Q.dii.basic_min)


def _raise_one(question, value, rnd):
    """A copy of ``value`` with one answer moved up (never down) the scale."""
    if question.type == "number":
        return min(question.max, value + rnd.uniform(0, question.max - question.min))
    if question.type == "multi":
        free = [o.id for o in question.options if not o.exclusive and o.id not in value]
        return value if not free or any(o.exclusive and o.id in value for o in question.options) else [*value, rnd.choice(free)]
    options = scale_option_ids(Q, question)
    if question.is_matrix:
        row = rnd.choice(list(value)) if value else None
        if row is None:
            return value
        return {**value, row: options[rnd.randint(options.index(value[row]), len(options) - 1)]}
    return options[rnd.randint(options.index(value), len(options) - 1)]


@settings(max_examples=150, deadline=None)
@given(profile=profiles, answers=answer_sets, seed=st.integers(0, 10**6))
def test_raising_any_single_answer_never_lowers_its_dimension(profile, answers, seed):
    rnd = random.Random(seed)
    # Questions that gate others can hide items, which is a different property; raise the rest.
    gates = {ref.question for x in Q.questions if x.show_if for ref in x.show_if.question_refs()}
    candidates = [x for x in Q.questions if x.id in answers and x.id not in gates and answers[x.id] != "dont_know"]
    if not candidates:
        return
    question = rnd.choice(candidates)
    raised = {**answers, question.id: _raise_one(question, answers[question.id], rnd)}
    before = score_answers(Q, profile, answers).dimensions[question.dimension].score
    after = score_answers(Q, profile, raised).dimensions[question.dimension].score
    if before is not None:
        assert after >= before - 1e-9


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_path_equals_per_firm_scoring(seed):
    rnd = random.Random(seed)
    records = []
    for _ in range(300):
        profile = Profile(rnd.choice(SEGMENTS.codes("sector")), rnd.choice(SEGMENTS.codes("size")), rnd.choice(SEGMENTS.codes("region")))
        records.append((profile, random_answers(Q, rnd, blank=rnd.choice([0.0, 0.3, 0.9]))))
    records[0] = (Profile("31-33", "1-4", "01"), {})  # nothing answered
    table = score_table(Q, encode_table(Q, records), chunk_rows=64, with_counts=True)  # several chunks
    levels = levels_of(Q, table.overall)
    for row, (profile, answers) in enumerate(records):
        expected = score_answers(Q, profile, answers)
        for i, (d, dim) in enumerate(expected.dimensions.items()):
            got = table.column(d)[row]
            assert (dim.score is None and math.isnan(got)) or got == pytest.approx(dim.score, abs=1e-9)
            counts = {c: (bool if c == "low_confidence" else int)(v[row]) for c, v in table.confidence(i).items()}
            assert counts == {c: v for c, v in dim.counts().items() if c != "applicable"}, (d, row)
        for module, score in expected.modules.items():
            got = table.column(f"module:{module}")[row]
            assert (score is None and math.isnan(got)) or got == pytest.approx(score, abs=1e-9)
        overall = table.overall[row]
        assert (expected.overall is None and math.isnan(overall)) or overall == pytest.approx(expected.overall, abs=1e-9)
        assert levels[row] == expected.level
        assert table.dii[row] == expected.dii.score


def test_vectorised_path_on_the_hand_worked_instrument(mini):
    q = mini.questionnaire
    records = [(Profile("31-33", "5-19", "06"), {"plan": "mid", "tools": ["web", "erp"], "tech": {"cloud": "a4", "ai": "a1"},
                                                  "online_share": 30, "shop": {"mes": "partly"}}),
               (Profile("41", "1-4", "01"), {"plan": "dont_know", "tools": ["erp"], "online_share": 40})]
    table = score_table(q, encode_table(q, records))
    np.testing.assert_allclose(table.scores[0], [85.0, 48.75, 50.0])
    assert table.scores[1][0] == pytest.approx(75.0) and np.isnan(table.scores[1][1:]).all()  # online_share hidden: no "web"
    assert list(table.dii) == [3, 1]
