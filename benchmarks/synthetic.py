"""A synthetic (demonstration) population: plausible answers generated from the real instrument.

Nothing here is a measured fact. Each firm gets a latent maturity that rises with its size band,
shifts with an illustrative sector offset, leans with a "style" (online-first, operations-first
or neither) and varies by dimension; every answer is drawn around it. Scores then come from the
real scoring engine (the vectorised table path), never from the latent values, so a synthetic
firm is scored exactly like a real one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from domain import Answers, JsonObject, MutableAnswers, Profile
from questionnaires.model import DONT_KNOW, Questionnaire
from questionnaires.segments import Segments
from scoring.applicability import applicable_answers
from scoring.engine import score_dii
from scoring.kinds import kind_of
from scoring.vectorized import TableScores, encode_table, levels_of, score_table

# Illustrative shares and offsets for demo data only (not statistics): more small firms than
# large ones, and knowledge-intensive sectors ahead of the others.
SIZE_SHARES = (0.42, 0.30, 0.13, 0.07, 0.05, 0.02, 0.01)
SECTOR_OFFSETS = {"51": 0.12, "54": 0.10, "52": 0.10, "55": 0.06, "31-33": 0.03, "41": 0.02, "44-45": 0.0,
                  "11": -0.10, "23": -0.08, "72": -0.07, "81": -0.06, "48-49": -0.04}
DIMENSION_OFFSETS = {"green": -0.12, "automation": -0.08, "data": -0.03}
# Firm "styles" give the pool distinct profiles (share of firms, dimension offsets).
STYLES: tuple[tuple[float, dict[str, float]], ...] = (
    (0.30, {"ecommerce": 0.15, "automation": -0.05}),  # online-first
    (0.20, {"automation": 0.12, "data": 0.08, "ecommerce": -0.10}),  # operations-first
    (0.50, {}),
)
DONT_KNOW_SHARE = 0.03


@dataclass(frozen=True)
class SyntheticPopulation:
    """Generated firms: profiles, the answers they would store, and their scores from ``score_table``."""

    profiles: list[Profile]
    answers: list[Answers]
    scores: TableScores


def _profiles(segments: Segments, n: int, rng: np.random.Generator) -> list[Profile]:
    sectors, sizes, regions = segments.codes("sector"), segments.codes("size"), segments.codes("region")
    shares = np.array(SIZE_SHARES[: len(sizes)])
    picks = zip(rng.integers(0, len(sectors), n), rng.choice(len(sizes), n, p=shares / shares.sum()),
                rng.integers(0, len(regions), n), strict=True)
    return [Profile(sectors[a], sizes[b], regions[c], name=f"Synthétique {i + 1}") for i, (a, b, c) in enumerate(picks)]


def _latent(q: Questionnaire, segments: Segments, profiles: list[Profile], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """A 0..1 propensity per firm and dimension: size effect + sector offset + style + noise."""
    sizes = segments.codes("size")
    size_rank = np.array([sizes.index(p.size) for p in profiles]) / max(len(sizes) - 1, 1)
    offsets = np.array([SECTOR_OFFSETS.get(p.sector, 0.0) for p in profiles])
    base = 0.30 + 0.45 * size_rank + offsets + rng.normal(0, 0.12, len(profiles))
    style = rng.choice(len(STYLES), len(profiles), p=[share for share, _ in STYLES])
    lean = {d.id: np.array([offsets_.get(d.id, 0.0) for _, offsets_ in STYLES])[style] for d in q.dimensions}
    return {d.id: base + DIMENSION_OFFSETS.get(d.id, 0.0) + lean[d.id] + rng.normal(0, 0.10, len(profiles)) for d in q.dimensions}


def synthetic_answers(q: Questionnaire, segments: Segments, n: int, seed: int) -> tuple[list[Profile], list[Answers]]:
    """``n`` firms with complete, valid answers (see the module docstring), reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    profiles = _profiles(segments, n, rng)
    latent = _latent(q, segments, profiles, rng)
    answers: list[MutableAnswers] = [{} for _ in range(n)]
    for question in q.questions:
        kind = kind_of(question)
        width = len(kind.code_keys(question))  # rows, boxes, or 1
        p = np.clip(latent[question.dimension][:, None] + rng.normal(0, 0.18, (n, width)), 0, 1)
        values = kind.draw(q, question, p, rng)  # one answer per firm, given (n, width) propensities
        unsure = rng.random(n) < (DONT_KNOW_SHARE if question.dont_know else 0.0)
        for i, value in enumerate(values):
            answers[i][question.id] = DONT_KNOW if unsure[i] else value
    # Keep only what the app would keep: answers to questions the firm is shown.
    return profiles, [applicable_answers(q, profile, a)[1] for profile, a in zip(profiles, answers, strict=True)]


def generate_population(q: Questionnaire, segments: Segments, n: int, seed: int) -> SyntheticPopulation:
    profiles, answers = synthetic_answers(q, segments, n, seed)
    table = encode_table(q, list(zip(profiles, answers, strict=True)), segments)
    return SyntheticPopulation(profiles, answers, score_table(q, table))


def result_snapshots(q: Questionnaire, population: SyntheticPopulation, meta: dict[str, str]) -> list[JsonObject]:
    """Result documents shaped like ``Result.to_json()`` (for storage), from the table scores."""
    scores = population.scores
    modules = [o for o in scores.outputs if o.startswith("module:")]
    levels = levels_of(q, scores.overall)
    out: list[JsonObject] = []
    for i, (profile, answers) in enumerate(zip(population.profiles, population.answers, strict=True)):
        dii = score_dii(q, profile, answers)  # per firm, for the list of variables met
        out.append({
            "questionnaire": meta,
            "overall": _round(scores.overall[i]), "level": levels[i],
            "dimensions": {d.id: _round(scores.column(d.id)[i]) for d in q.dimensions},
            "modules": {m.removeprefix("module:"): _round(scores.column(m)[i]) for m in modules},
            "dii": {"score": dii.score, "level": dii.level, "basic": dii.basic, "met": list(dii.met)},
        })
    return out


def population_frame(q: Questionnaire, population: SyntheticPopulation) -> pd.DataFrame:
    """The population as ``Repository.completed_scores`` returns it (ids are "synthetic-N")."""
    frame = pd.DataFrame({
        "assessment_id": [f"synthetic-{i + 1}" for i in range(len(population.profiles))],
        "sector": [p.sector for p in population.profiles], "size": [p.size for p in population.profiles],
        "region": [p.region for p in population.profiles], "synthetic": True,
        "overall": population.scores.overall, "dii_score": population.scores.dii.astype(int),
    })
    for d in q.dimensions:
        frame[d.id] = population.scores.column(d.id)
    return frame


def completion_times(n: int, seed: int, now: datetime | None = None) -> list[datetime]:
    """Completion dates spread over the past year, reproducible from the seed."""
    now = now or datetime.now(UTC)
    days = np.random.default_rng(seed + 1).uniform(0, 365, n)
    return [now - timedelta(days=float(d)) for d in days]


def _round(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 2)
