"""What every question kind provides, and the small values kinds hand out.

A *kind* holds everything about one question type (``Question.type``): the check of an answer
(problem codes, not sentences), its score, its encoding for the vectorised path, the pure part of
its widget mapping, its answers-file cell and template hint, and random values for tests and
synthetic data. :mod:`scoring.kinds` registers one kind per type; see docs/question-kinds.md.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np

from domain import AnswerValue
from questionnaires.model import Question, Questionnaire

ProblemCode = Literal[
    "dont_know_not_allowed",  # "dont_know" where the question (or matrix) does not offer it; params: row?
    "not_an_option",  # not one of the scale's option ids; params: row?, given (repr), allowed
    "not_a_list",  # a checklist answer that is not a list of ids
    "unknown_option",  # a checklist box that does not exist; params: unknown, allowed
    "dont_know_with_others",  # "dont_know" ticked together with boxes; params: unknown, allowed
    "ticked_twice",  # a checklist box given twice
    "exclusive_with_others",  # a "none of these" box ticked with others; params: option
    "not_a_mapping",  # a matrix answer that is not {row id: option id}
    "unknown_row",  # params: row
    "not_a_number",  # params: given (repr)
    "out_of_range",  # params: value, min, max
]
Param = str | float | tuple[str, ...]
# How a what-if effect (recommendations/actions.yaml) raises an answer of this kind: ``set`` an
# option (if higher), ``add`` checklist boxes, or a number ``at_least``.
EffectForm = Literal["set", "add", "at_least"]
EffectChange = str | list[str] | float


@dataclass(frozen=True)
class AnswerProblem:
    """One reason an answer does not fit its question, as a code with parameters (no language).

    ``scoring.answers`` turns it into the command line's English message, ``ui.flow`` into the
    firm's localised one.
    """

    code: ProblemCode
    params: Mapping[str, Param] = field(default_factory=dict, hash=False)


# One widget's state: a radio's option id, a checkbox's tick, a number input's number (or None).
WidgetValue = str | float | bool | None
# A widget part: None for the question's main widget, else a checklist box, matrix row or "dont_know".
Part = str | None


@dataclass(frozen=True)
class BoxScore:
    """Checklist encoding: one code column per box (1 + ticked); score = ticked points / total."""

    points: tuple[float, ...]


@dataclass(frozen=True)
class ScaleScore:
    """One code column per unit holding 1 + the option's position; score = ``scores[position]``."""

    scores: tuple[float, ...]


@dataclass(frozen=True)
class PiecewiseScore:
    """One code column holding 1 + the number; score = piecewise-linear ``xs -> ys``, clamped."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]


ColumnScore = BoxScore | ScaleScore | PiecewiseScore


class QuestionKind(Protocol):
    """Everything about one question type. ``value`` arguments are never None nor "dont_know"
    (those are handled once, in :mod:`scoring.kinds`), unless a method says otherwise."""

    @property
    def effect_form(self) -> EffectForm:
        """The what-if effect field that changes this kind's answers."""
        ...

    # --- validation and scoring ---
    def check(self, q: Questionnaire, question: Question, value: object) -> list[AnswerProblem]:
        """Every problem with ``value`` (empty when it fits)."""
        ...

    def units(self, question: Question) -> list[tuple[str | None, float]]:
        """Scoring units as (matrix row or None, share of the question weight)."""
        ...

    def unit_score(self, q: Questionnaire, question: Question, value: AnswerValue) -> float:
        """A checked unit value's 0..1 score (a matrix is scored per row: ``value`` is the row's)."""
        ...

    def numeric_level(self, q: Questionnaire, question: Question, value: object) -> float | None:
        """The value a ``gte``/``lte`` condition compares: a number, or a position on the scale."""
        ...

    # --- vectorised path ---
    def code_keys(self, question: Question) -> list[str | None]:
        """Keys of the question's code columns (checklist boxes, matrix rows, or [None])."""
        ...

    def column_score(self, q: Questionnaire, question: Question) -> ColumnScore:
        ...

    def encode(self, q: Questionnaire, question: Question, value: AnswerValue) -> tuple[list[float], list[bool]]:
        """(codes, don't-know flags), one per code column; a code is 1 + answer, 0 = nothing."""
        ...

    def apply_effect(self, q: Questionnaire, question: Question, current: AnswerValue | None, item: str | None,
                     change: EffectChange) -> AnswerValue:
        """The answer after a what-if effect: never lower than ``current`` (which may be None or
        "dont_know", and is not changed: a new value is returned). ``item`` names a matrix row."""
        ...

    # --- answers files ---
    def csv_columns(self, question: Question) -> list[str]:
        ...

    def parse_cell(self, question: Question, row: str, text: str) -> AnswerValue:
        """A CSV cell's value (``text`` is neither empty nor "dont_know"); ``row`` is a matrix row or ''."""
        ...

    def template_allowed(self, q: Questionnaire, question: Question) -> dict[str, object]:
        """The JSON template's description of allowed values."""
        ...

    def template_blank(self) -> AnswerValue | None:
        ...

    def csv_hints(self, q: Questionnaire, question: Question) -> list[str]:
        """The CSV template's hint row, one cell per column of :meth:`csv_columns`."""
        ...

    # --- widgets (the pure part; Streamlit rendering stays in ui/questions.py) ---
    def widget_parts(self, question: Question) -> list[Part]:
        ...

    def widget_state(self, question: Question, value: AnswerValue | None) -> dict[Part, WidgetValue]:
        """Widget state by part that shows ``value`` (which may be None or "dont_know")."""
        ...

    def from_widgets(self, question: Question, state: Mapping[Part, WidgetValue]) -> AnswerValue | None:
        """The answer the widgets show; None when nothing is given."""
        ...

    # --- generated answers (property tests, synthetic pools, benchmarks) ---
    def extremes(self, q: Questionnaire, question: Question) -> tuple[AnswerValue, AnswerValue]:
        """A lowest- and a highest-scoring valid answer."""
        ...

    def random_value(self, q: Questionnaire, question: Question, rnd: random.Random) -> AnswerValue:
        """A random valid answer other than "dont_know"."""
        ...

    def draw(self, q: Questionnaire, question: Question, p: np.ndarray, rng: np.random.Generator) -> list[AnswerValue]:
        """One synthetic answer per firm from (n, code columns) propensities in 0..1."""
        ...


def scale_scores(q: Questionnaire, question: Question) -> list[float]:
    """Scores of the question's answer scale, in option order (single choice and matrices)."""
    return [o.score for s in q.answer_scales if s.id == question.answer_scale for o in s.options]
