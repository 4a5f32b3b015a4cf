"""Question kinds: one module per question type holds everything about it (see
docs/question-kinds.md). ``kind_of(question)`` is the only place that looks at ``question.type``.

The rules shared by every kind live here too: no answer (None) is never a problem, and
"dont_know" is allowed exactly where the question says ``dont_know: true``.
"""

from __future__ import annotations

from types import MappingProxyType

from questionnaires.model import DONT_KNOW, Question, Questionnaire, QuestionType
from scoring.kinds.base import (
    AnswerProblem,
    BoxScore,
    ColumnScore,
    EffectChange,
    EffectForm,
    Param,
    Part,
    PiecewiseScore,
    ProblemCode,
    QuestionKind,
    ScaleScore,
    WidgetValue,
    scale_scores,
)
from scoring.kinds.matrix import Matrix
from scoring.kinds.multi import Checklist
from scoring.kinds.number import Number
from scoring.kinds.single import SingleChoice

KINDS: MappingProxyType[QuestionType, QuestionKind] = MappingProxyType({
    "single": SingleChoice(),
    "multi": Checklist(),
    "adoption": Matrix(),
    "npy": Matrix(),
    "number": Number(),
})


def kind_of(question: Question) -> QuestionKind:
    return KINDS[question.type]


def answer_problems(q: Questionnaire, question: Question, value: object) -> list[AnswerProblem]:
    """Every problem with ``value`` as an answer to ``question`` (empty when it can be saved)."""
    if value is None:
        return []
    if value == DONT_KNOW:
        return [] if question.dont_know else [AnswerProblem("dont_know_not_allowed")]
    return kind_of(question).check(q, question, value)


__all__ = ["KINDS", "AnswerProblem", "BoxScore", "ColumnScore", "EffectChange", "EffectForm", "Param", "Part", "PiecewiseScore",
           "ProblemCode", "QuestionKind", "ScaleScore", "WidgetValue", "answer_problems", "kind_of", "scale_scores"]
