"""Single choice (``type: single``): one option id of a shared answer scale (``scale``).

The scale helpers here are shared with matrices (:mod:`scoring.kinds.matrix`), whose rows are
single choices on the scale named after their type.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

import numpy as np

from domain import AnswerValue
from questionnaires.model import DONT_KNOW, Question, Questionnaire, scale_option_ids
from scoring.kinds.base import AnswerProblem, ColumnScore, EffectChange, EffectForm, Param, Part, ScaleScore, WidgetValue, scale_scores


def choice_problems(q: Questionnaire, question: Question, value: object, row: str | None = None) -> list[AnswerProblem]:
    """[] when ``value`` is one of the scale's option ids, else a "not_an_option" problem."""
    allowed = scale_option_ids(q, question)
    if isinstance(value, str) and value in allowed:
        return []
    params: dict[str, Param] = {} if row is None else {"row": row}
    params |= {"given": repr(value), "allowed": tuple(allowed)}
    return [AnswerProblem("not_an_option", params)]


def choice_index(q: Questionnaire, question: Question, value: object) -> int:
    """A checked choice's position on the scale (ValueError for anything else)."""
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not an option id")
    return scale_option_ids(q, question).index(value)


def choice_score(q: Questionnaire, question: Question, value: AnswerValue) -> float:
    return scale_scores(q, question)[choice_index(q, question, value)]


def choice_position(q: Questionnaire, question: Question, value: object) -> float | None:
    """The option's position on the scale (0 = first), None for anything else."""
    options = scale_option_ids(q, question)
    return float(options.index(value)) if isinstance(value, str) and value in options else None


def choice_code(q: Questionnaire, question: Question, value: object) -> float:
    return 1.0 + choice_index(q, question, value)


def raised(q: Questionnaire, question: Question, current: object, target: EffectChange) -> str:
    """The target option unless the current answer is already higher on the scale."""
    options = scale_option_ids(q, question)
    if not isinstance(target, str):
        raise TypeError(f"expected an option id, got {target!r}")
    if not isinstance(current, str) or current == DONT_KNOW or current not in options:
        return target
    return current if options.index(current) >= options.index(target) else target


def choices_with_dont_know(q: Questionnaire, question: Question) -> list[str]:
    return scale_option_ids(q, question) + ([DONT_KNOW] if question.dont_know else [])


def draw_levels(q: Questionnaire, question: Question, p: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The scale's options and, per firm and column, the position nearest the propensity."""
    options = scale_option_ids(q, question)
    return options, np.rint(p * (len(options) - 1)).astype(int)


class SingleChoice:
    effect_form: EffectForm = "set"

    def check(self, q: Questionnaire, question: Question, value: object) -> list[AnswerProblem]:
        return choice_problems(q, question, value)

    def units(self, question: Question) -> list[tuple[str | None, float]]:
        return [(None, question.weight)]

    def unit_score(self, q: Questionnaire, question: Question, value: AnswerValue) -> float:
        return choice_score(q, question, value)

    def numeric_level(self, q: Questionnaire, question: Question, value: object) -> float | None:
        return choice_position(q, question, value)

    def code_keys(self, question: Question) -> list[str | None]:
        return [None]

    def column_score(self, q: Questionnaire, question: Question) -> ColumnScore:
        return ScaleScore(tuple(scale_scores(q, question)))

    def encode(self, q: Questionnaire, question: Question, value: AnswerValue) -> tuple[list[float], list[bool]]:
        return [choice_code(q, question, value)], [False]

    def apply_effect(self, q: Questionnaire, question: Question, current: AnswerValue | None, item: str | None,
                     change: EffectChange) -> AnswerValue:
        return raised(q, question, current, change)

    def csv_columns(self, question: Question) -> list[str]:
        return [question.id]

    def parse_cell(self, question: Question, row: str, text: str) -> AnswerValue:
        return {row: text} if row else text

    def template_allowed(self, q: Questionnaire, question: Question) -> dict[str, object]:
        return {"type": "single", "options": choices_with_dont_know(q, question)}

    def template_blank(self) -> AnswerValue | None:
        return None

    def csv_hints(self, q: Questionnaire, question: Question) -> list[str]:
        return ["|".join(choices_with_dont_know(q, question))]

    def widget_parts(self, question: Question) -> list[Part]:
        return [None]

    def widget_state(self, question: Question, value: AnswerValue | None) -> dict[Part, WidgetValue]:
        return {None: value if isinstance(value, str) else None}  # a single choice is an option id (or "dont_know")

    def from_widgets(self, question: Question, state: Mapping[Part, WidgetValue]) -> AnswerValue | None:
        return state.get(None)  # a radio holds an option id

    def extremes(self, q: Questionnaire, question: Question) -> tuple[AnswerValue, AnswerValue]:
        options = scale_option_ids(q, question)
        return options[0], options[-1]

    def random_value(self, q: Questionnaire, question: Question, rnd: random.Random) -> AnswerValue:
        return rnd.choice(scale_option_ids(q, question))

    def draw(self, q: Questionnaire, question: Question, p: np.ndarray, rng: np.random.Generator) -> list[AnswerValue]:
        options, levels = draw_levels(q, question, p)
        return [options[v] for v in levels[:, 0]]
