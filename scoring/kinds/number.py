"""Numbers (``type: number``): a finite number within [min, max], scored by a piecewise-linear map
(``scoring.points``, clamped at both ends)."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping

import numpy as np

from domain import AnswerValue
from questionnaires.model import DONT_KNOW, Question, Questionnaire
from scoring.kinds.base import AnswerProblem, ColumnScore, EffectChange, EffectForm, Part, PiecewiseScore, WidgetValue


def as_number(value: object) -> float:
    if isinstance(value, int | float | str):
        return float(value)
    raise TypeError(f"expected a number, got {value!r}")


def bounds(question: Question) -> tuple[float, float]:
    if question.min is None or question.max is None:  # the model requires both for a number
        raise ValueError(f"number question {question.id!r} has no min/max")
    return question.min, question.max


def points(question: Question) -> tuple[tuple[float, ...], tuple[float, ...]]:
    if question.scoring is None:  # the model requires it for a number
        raise ValueError(f"number question {question.id!r} has no scoring")
    xs, ys = zip(*question.scoring.points, strict=True)
    return xs, ys


def number_score(question: Question, value: float) -> float:
    xs, ys = points(question)
    return float(np.interp(value, xs, ys))


class Number:
    effect_form: EffectForm = "at_least"

    def check(self, q: Questionnaire, question: Question, value: object) -> list[AnswerProblem]:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [AnswerProblem("not_a_number", {"given": repr(value)[:40]})]
        if isinstance(value, int) and abs(value) > 2 ** 53:  # far outside any range; float() may overflow
            return [AnswerProblem("not_a_number", {"given": f"an integer of {len(str(abs(value)))} digits"})]
        if not math.isfinite(value):
            return [AnswerProblem("not_a_number", {"given": repr(value)})]
        low, high = bounds(question)
        if not low <= value <= high:
            return [AnswerProblem("out_of_range", {"value": value, "min": low, "max": high})]
        return []

    def units(self, question: Question) -> list[tuple[str | None, float]]:
        return [(None, question.weight)]

    def unit_score(self, q: Questionnaire, question: Question, value: AnswerValue) -> float:
        return number_score(question, as_number(value))

    def numeric_level(self, q: Questionnaire, question: Question, value: object) -> float | None:
        return as_number(value)

    def code_keys(self, question: Question) -> list[str | None]:
        return [None]

    def column_score(self, q: Questionnaire, question: Question) -> ColumnScore:
        xs, ys = points(question)
        return PiecewiseScore(xs, ys)

    def encode(self, q: Questionnaire, question: Question, value: AnswerValue) -> tuple[list[float], list[bool]]:
        return [1.0 + as_number(value)], [False]

    def apply_effect(self, q: Questionnaire, question: Question, current: AnswerValue | None, item: str | None,
                     change: EffectChange) -> AnswerValue:
        if isinstance(change, bool) or not isinstance(change, int | float):
            raise TypeError(f"expected a number, got {change!r}")
        value = current if isinstance(current, int | float) and not isinstance(current, bool) else None
        return change if value is None else max(float(value), change)

    def csv_columns(self, question: Question) -> list[str]:
        return [question.id]

    def parse_cell(self, question: Question, row: str, text: str) -> AnswerValue:
        try:
            return float(text)
        except ValueError:
            return text  # reported by the check as "not_a_number"

    def template_allowed(self, q: Questionnaire, question: Question) -> dict[str, object]:
        return {"type": "number", "min": question.min, "max": question.max, "also": [DONT_KNOW] if question.dont_know else []}

    def template_blank(self) -> AnswerValue | None:
        return None

    def csv_hints(self, q: Questionnaire, question: Question) -> list[str]:
        low, high = bounds(question)
        return [f"{low:g}..{high:g}" + (" or dont_know" if question.dont_know else "")]

    def widget_parts(self, question: Question) -> list[Part]:
        return [None, DONT_KNOW] if question.dont_know else [None]

    def widget_state(self, question: Question, value: AnswerValue | None) -> dict[Part, WidgetValue]:
        dont_know = value == DONT_KNOW
        values: dict[Part, WidgetValue] = {None: None if dont_know or value is None else as_number(value)}
        if question.dont_know:
            values[DONT_KNOW] = dont_know
        return values

    def from_widgets(self, question: Question, state: Mapping[Part, WidgetValue]) -> AnswerValue | None:
        if question.dont_know and state.get(DONT_KNOW):
            return DONT_KNOW
        number = state.get(None)
        return None if number is None else as_number(number)

    def extremes(self, q: Questionnaire, question: Question) -> tuple[AnswerValue, AnswerValue]:
        return bounds(question)

    def random_value(self, q: Questionnaire, question: Question, rnd: random.Random) -> AnswerValue:
        low, high = bounds(question)
        return round(rnd.uniform(low, high), 1)

    def draw(self, q: Questionnaire, question: Question, p: np.ndarray, rng: np.random.Generator) -> list[AnswerValue]:
        low, high = bounds(question)
        return [float(v) for v in np.round(low + (high - low) * 0.6 * p[:, 0] ** 2, 1)]
