"""Numbers (``type: number``): a finite number within [min, max], scored by a piecewise-linear map
(``scoring.points``, clamped at both ends)."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping

import numpy as np

from domain import AnswerValue
from questionnaires.model import DONT_KNOW, Question, Questionnaire
from scoring.kinds.base import AnswerProblem, ColumnScore, EffectChange, EffectForm, Part, PiecewiseScore, WidgetValue


def as_number(value: object) -> float:
    if isinstance(value, int | float | str):
        return float(value)
    raise TypeError(f"expected a number, got {value!r}")


_SPACES = " \u00a0\u202f"  # thousands separators people type (or paste) in French: space, NBSP, narrow NBSP
_GROUPED = {"fr": re.compile(rf"[+-]?\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[,.]\d+)?"),
            "en": re.compile(rf"[+-]?\d{{1,3}}(?:(?:,\d{{3}})+|(?:[{_SPACES}]\d{{3}})+)(?:\.\d+)?")}
_PLAIN = {"fr": re.compile(r"[+-]?(?:\d+(?:[,.]\d*)?|[,.]\d+)"), "en": re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")}


def parse_text(text: str, locale: str) -> float | str | None:
    """A number as a person types it, read the way their language writes numbers.

    French: a decimal comma (``2,5``, ``12,5``), a decimal point also accepted, spaces (plain,
    no-break or narrow no-break) between groups of three digits (``1 234,5``). English: a decimal
    point, commas or spaces between groups of three (``1,234.5``); ``2,5`` is ambiguous there and
    is not read as a number. Returns None for blank text and the text itself when it is not a
    number in that language (the check reports it as ``not_a_number``): a value is never changed
    silently.
    """
    cleaned = text.strip()
    if not cleaned:
        return None
    rules = "fr" if locale == "fr" else "en"
    if _GROUPED[rules].fullmatch(cleaned):
        digits = re.sub(f"[{_SPACES}]", "", cleaned)
        digits = digits.replace(",", ".") if rules == "fr" else digits.replace(",", "")
    elif _PLAIN[rules].fullmatch(cleaned):
        digits = cleaned.replace(",", ".")
    else:
        return cleaned
    value = float(digits)
    return value if math.isfinite(value) else cleaned


def format_text(value: float, locale: str) -> str:
    """How :func:`parse_text` expects a stored number back in a text field (``12,5`` in French)."""
    shown = f"{value:f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return shown.replace(".", ",") if locale == "fr" else shown


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
        if self.check(q, question, value) and not isinstance(value, int | float):
            return None  # text being typed that is not a number yet: no condition on it holds
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
        shown: WidgetValue = value if isinstance(value, str) and not dont_know else None  # text kept as typed
        values: dict[Part, WidgetValue] = {None: shown if dont_know or value is None or isinstance(value, str)
                                           else as_number(value)}
        if question.dont_know:
            values[DONT_KNOW] = dont_know
        return values

    def from_widgets(self, question: Question, state: Mapping[Part, WidgetValue]) -> AnswerValue | None:
        if question.dont_know and state.get(DONT_KNOW):
            return DONT_KNOW
        number = state.get(None)
        if isinstance(number, str):  # text that is not a number: kept so the check can report it
            return number
        return None if number is None else as_number(number)

    def extremes(self, q: Questionnaire, question: Question) -> tuple[AnswerValue, AnswerValue]:
        return bounds(question)

    def random_value(self, q: Questionnaire, question: Question, rnd: random.Random) -> AnswerValue:
        low, high = bounds(question)
        return round(rnd.uniform(low, high), 1)

    def draw(self, q: Questionnaire, question: Question, p: np.ndarray, rng: np.random.Generator) -> list[AnswerValue]:
        low, high = bounds(question)
        return [float(v) for v in np.round(low + (high - low) * 0.6 * p[:, 0] ** 2, 1)]
