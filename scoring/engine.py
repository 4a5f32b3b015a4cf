"""Per-firm scoring: pure functions from (instrument, profile, answers) to a Result.

Formulas are published in docs/methodology.md; keep the two in step.
"""

from __future__ import annotations

from enum import Enum
from typing import Final, Literal

from domain import Answers, Profile
from questionnaires.model import DONT_KNOW, Questionnaire
from questionnaires.registry import Instrument
from scoring.applicability import applicable_answers, evaluate
from scoring.kinds import kind_of
from scoring.layout import Unit, units
from scoring.result import DiiResult, DimensionScore, Result


class Unscored(Enum):
    DONT_KNOW = "dont_know"


DontKnow: Final = Unscored.DONT_KNOW  # a unit answered "don't know": excluded from the mean, counted apart


def unit_score(q: Questionnaire, unit: Unit, answers: Answers) -> float | Literal[Unscored.DONT_KNOW] | None:
    """A unit's 0..1 score, None if unanswered, or ``DontKnow``."""
    question = next(x for x in q.questions if x.id == unit.question)
    value = answers.get(unit.question)
    if unit.item is not None:
        value = value.get(unit.item) if isinstance(value, dict) else None
    if value is None:
        return None
    if value == DONT_KNOW:
        return DontKnow
    return kind_of(question).unit_score(q, question, value)


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Mean of values weighted by weights; None when the weights sum to zero."""
    total = sum(w for w, _ in pairs)
    return None if total <= 0 else sum(w * v for w, v in pairs) / total


LEVEL_DECIMALS = 6  # levels are read from the score rounded here, so summation order never flips a band


def level_for(q: Questionnaire, score: float | None) -> str | None:
    if score is None:
        return None
    return [lv.id for lv in q.levels if round(score, LEVEL_DECIMALS) >= lv.min][-1]


def dii_level(q: Questionnaire, points: int) -> str:
    return [lv.id for lv in q.dii.levels if points >= lv.min][-1]


def score_dii(q: Questionnaire, profile: Profile, effective: Answers) -> DiiResult:
    met = tuple(m.variable for question in q.questions for m in question.dii if evaluate(m.when, q, profile, effective))
    return DiiResult(len(met), dii_level(q, len(met)), len(met) >= q.dii.basic_min, met)


def score_answers(q: Questionnaire, profile: Profile, answers: Answers) -> Result:
    """Score one firm. Answers are assumed checked (scoring.answers.check_answers; services.results.check_submission)."""
    applicable, effective = applicable_answers(q, profile, answers)
    per_dim: dict[str, list[tuple[float, float]]] = {d.id: [] for d in q.dimensions}
    per_module: dict[str, list[tuple[float, float]]] = {m.id: [] for m in q.modules}
    counts = {d.id: [0, 0, 0, 0] for d in q.dimensions}  # applicable, answered, dont_know, not_applicable
    for unit in units(q):
        if unit.weight == 0:
            continue
        if unit.question not in applicable:
            counts[unit.dimension][3] += 1
            continue
        counts[unit.dimension][0] += 1
        score = unit_score(q, unit, effective)
        if score is DontKnow:
            counts[unit.dimension][2] += 1
        elif score is not None:
            counts[unit.dimension][1] += 1
            per_dim[unit.dimension].append((unit.weight, score))
            per_module[unit.module].append((unit.weight, score))
    dimensions = {}
    for d in q.dimensions:
        mean = weighted_mean(per_dim[d.id])
        dimensions[d.id] = DimensionScore(d.id, None if mean is None else 100 * mean, *counts[d.id])
    overall = weighted_mean([(d.weight, dim_score) for d in q.dimensions if (dim_score := dimensions[d.id].score) is not None])
    modules = {m: (None if (mean := weighted_mean(pairs)) is None else 100 * mean) for m, pairs in per_module.items() if m != "core"}
    return Result(overall, level_for(q, overall), dimensions, modules, score_dii(q, profile, effective))


def score_firm(instrument: Instrument, profile: Profile, answers: Answers) -> Result:
    result = score_answers(instrument.questionnaire, profile, answers)
    meta = {"id": instrument.questionnaire.id, "version": instrument.questionnaire.version, "content_hash": instrument.content_hash}
    return Result(result.overall, result.level, result.dimensions, result.modules, result.dii, meta)
