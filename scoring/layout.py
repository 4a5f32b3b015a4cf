"""The instrument flattened into scoring units: one per single/multi/number question, one per
matrix row. Both scoring paths (per firm and vectorised) use this same list, so they agree."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from questionnaires.model import Question, Questionnaire, per_questionnaire


@dataclass(frozen=True)
class Unit:
    question: str
    item: str | None  # matrix row, or None
    dimension: str
    module: str
    weight: float  # share of the dimension mean; a matrix splits its question weight over rows


def units_of(question: Question) -> list[Unit]:
    if not question.is_matrix:
        return [Unit(question.id, None, question.dimension, question.module, question.weight)]
    total = sum(item.weight for item in question.items or [])
    return [Unit(question.id, item.id, question.dimension, question.module, question.weight * item.weight / total)
            for item in question.items or []]


@per_questionnaire
def units(q: Questionnaire) -> tuple[Unit, ...]:
    return tuple(unit for question in q.questions for unit in units_of(question))


def scale_scores(q: Questionnaire, question: Question) -> list[float]:
    scale_id = question.scale if question.type == "single" else question.type
    return [o.score for s in q.answer_scales if s.id == scale_id for o in s.options]


def number_score(question: Question, value: float) -> float:
    if question.scoring is None:  # the model requires it on a number question
        raise ValueError(f"number question {question.id!r} has no scoring")
    xs, ys = zip(*question.scoring.points, strict=True)
    return float(np.interp(value, xs, ys))


def multi_score(question: Question, ticked: list[str]) -> float:
    options = question.options or []  # the model requires them on a multi question
    total = sum(o.points for o in options)
    return sum(o.points for o in options if o.id in ticked) / total
