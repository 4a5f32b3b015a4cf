"""The instrument flattened into scoring units: one per question, or one per matrix row (each
kind says, ``QuestionKind.units``). Both scoring paths (per firm and vectorised) use this same
list, so they agree."""

from __future__ import annotations

from dataclasses import dataclass

from questionnaires.model import Question, Questionnaire, per_questionnaire
from scoring.kinds import kind_of, scale_scores

__all__ = ["Unit", "scale_scores", "units", "units_of"]


@dataclass(frozen=True)
class Unit:
    question: str
    item: str | None  # matrix row, or None
    dimension: str
    module: str
    weight: float  # share of the dimension mean; a matrix splits its question weight over rows


def units_of(question: Question) -> list[Unit]:
    return [Unit(question.id, item, question.dimension, question.module, weight) for item, weight in kind_of(question).units(question)]


@per_questionnaire
def units(q: Questionnaire) -> tuple[Unit, ...]:
    return tuple(unit for question in q.questions for unit in units_of(question))

