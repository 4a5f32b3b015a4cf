"""Synthetic response tables for load tests and benchmarks (never shown as real data)."""

from __future__ import annotations

import numpy as np

from questionnaires.model import Questionnaire
from questionnaires.segments import Segments
from scoring.kinds import BoxScore, PiecewiseScore, kind_of
from scoring.vectorized import PROFILE_FIELDS, ResponseTable, compile_instrument


def random_table(q: Questionnaire, segments: Segments, n: int, seed: int = 0, missing: float = 0.05) -> ResponseTable:
    """``n`` random but valid encoded responses: every cell a legal code, some unanswered or "don't know"."""
    rng = np.random.default_rng(seed)
    comp = compile_instrument(q)
    codes = np.zeros((n, comp.width))
    dont_know = np.zeros((n, comp.width), dtype=bool)
    for question in q.questions:
        cols = list(comp.question_columns[question.id])
        how = kind_of(question).column_score(q, question)  # random codes by encoding, not by question type
        if isinstance(how, BoxScore):
            block = (rng.random((n, len(cols))) < 0.4).astype(float)
            exclusive = [i for i, o in enumerate(question.options or []) if o.exclusive]
            block[:, exclusive] = 0.0  # "none of these" is never ticked with others here
            codes[:, cols] = 1.0 + block
        elif isinstance(how, PiecewiseScore):
            low, high = kind_of(question).extremes(q, question)
            codes[:, cols[0]] = 1.0 + rng.uniform(low, high, n).round(1)
        else:
            codes[:, cols] = 1.0 + rng.integers(0, len(how.scores), (n, len(cols)))
        codes[np.ix_(rng.random(n) < missing, cols)] = 0.0
        if question.dont_know:
            dk = np.flatnonzero(rng.random(n) < missing / 2)
            codes[np.ix_(dk, cols)] = 0.0
            dont_know[np.ix_(dk, cols)] = True
    categories = {f: tuple(segments.codes(f)) for f in PROFILE_FIELDS}
    profile = {f: rng.integers(0, len(categories[f]), n).astype(np.int16) for f in PROFILE_FIELDS}
    return ResponseTable(codes, dont_know, profile, categories)
