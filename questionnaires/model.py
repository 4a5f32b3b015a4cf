"""Typed model of a questionnaire file (pydantic v2, frozen, ``extra="forbid"``).

The model checks what one node can check alone (ranges, shapes, required translations).
Cross-references (ids, conditions, the DII crosswalk) are checked in :mod:`questionnaires.checks`,
which knows the order of questions.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Literal, TypeVar, get_args

from pydantic import ConfigDict, Field, field_validator, model_validator

from content.types import LOCALES, Id, Locale, Strict, Text

QuestionType = Literal["single", "multi", "adoption", "npy", "number"]  # each has a kind in scoring/kinds
QUESTION_TYPES: tuple[QuestionType, ...] = get_args(QuestionType)
DONT_KNOW = "dont_know"
R = TypeVar("R")


class Condition(Strict):
    """A structured condition; exactly one form is used.

    - ``{question: q, in: [option ids]}``: single-choice answer in the list (or, with ``item``,
      a matrix item's level id; for multi-select, ``includes`` one of the options).
    - ``{question: q, gte: 1}`` / ``lte``: numeric answer, or matrix item level, in range.
    - ``{question: q, answered: true}``.
    - ``{profile: sector|size|region, in: [...]}``: on the firm profile.
    - ``{all: [...]}``, ``{any: [...]}``, ``{not: {...}}``.
    """

    question: Id | None = None
    item: Id | None = None
    profile: Literal["sector", "size", "region"] | None = None
    in_: list[str] | None = Field(default=None, alias="in", min_length=1)
    includes: list[Id] | None = Field(default=None, min_length=1)
    gte: float | None = None
    lte: float | None = None
    answered: bool | None = None
    all: list[Condition] | None = Field(default=None, min_length=1)
    any: list[Condition] | None = Field(default=None, min_length=1)
    not_: Condition | None = Field(default=None, alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [f for f in ("question", "profile", "all", "any", "not_") if getattr(self, f) is not None]
        if len(forms) != 1:
            raise ValueError("a condition needs exactly one of: question, profile, all, any, not")
        tests = [f for f in ("in_", "includes", "gte", "lte", "answered") if getattr(self, f) is not None]
        if self.question is not None:
            if not tests:
                raise ValueError("a question condition needs one of: in, includes, gte, lte, answered")
            if "answered" in tests and len(tests) > 1:
                raise ValueError("'answered' cannot be combined with other tests")
        elif self.profile is not None:
            if tests != ["in_"]:
                raise ValueError("a profile condition takes exactly 'in'")
        elif tests or self.item is not None:
            raise ValueError("all/any/not conditions take no tests of their own")
        if self.gte is not None and self.lte is not None and self.gte > self.lte:
            raise ValueError("gte is greater than lte")
        return self

    def question_refs(self) -> list[Condition]:
        """Every question condition inside this one (itself included)."""
        if self.question is not None:
            return [self]
        children = list(self.all or []) + list(self.any or []) + ([self.not_] if self.not_ else [])
        return [ref for child in children for ref in child.question_refs()]


class Option(Strict):
    id: Id
    score: float = Field(ge=0.0, le=1.0)
    label: Text
    help: Text | None = None


class AnswerScale(Strict):
    """A shared list of ordered answers; its scores must rise with the order."""

    id: Id
    options: list[Option] = Field(min_length=2)

    @model_validator(mode="after")
    def _rising(self) -> AnswerScale:
        scores = [o.score for o in self.options]
        if scores != sorted(scores):
            raise ValueError("option scores must not decrease along the scale")
        return self


class ChecklistOption(Strict):
    """One box of a multi-select checklist; ``points`` is its share of the question's score."""

    id: Id
    label: Text
    help: Text | None = None
    points: float = Field(default=1.0, ge=0.0, le=10.0)
    exclusive: bool = False  # "none of these": cannot be ticked with other boxes


class MatrixItem(Strict):
    """One row of an adoption or No/Partly/Yes matrix."""

    id: Id
    label: Text
    help: Text | None = None
    weight: float = Field(default=1.0, gt=0.0, le=10.0)


class NumberScoring(Strict):
    """Piecewise-linear map from a bounded number to a 0..1 score (clamped at both ends)."""

    points: list[tuple[float, float]] = Field(min_length=2)

    @field_validator("points")
    @classmethod
    def _monotone(cls, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        if any(b <= a for a, b in itertools.pairwise(xs)):
            raise ValueError("x values must strictly increase")
        if any(b < a for a, b in itertools.pairwise(ys)):
            raise ValueError("scores must not decrease")
        if any(not 0.0 <= y <= 1.0 for y in ys):
            raise ValueError("scores must be between 0 and 1")
        return points


class DiiMapping(Strict):
    """This question (or item) measures one Eurostat DII variable; ``when`` says when it is met."""

    variable: Id
    when: Condition


class Question(Strict):
    id: Id
    dimension: Id
    type: QuestionType
    label: Text
    help: Text | None = None
    weight: float = Field(default=1.0, ge=0.0, le=10.0)
    module: Id = "core"  # non-core modules (e.g. manufacturing) apply only to some profiles
    dont_know: bool = False
    show_if: Condition | None = None
    scale: Id | None = None  # single: shared answer scale (matrices use the 'adoption'/'npy' scales)
    options: list[ChecklistOption] | None = None  # multi
    items: list[MatrixItem] | None = None  # adoption / npy
    min: float | None = None  # number
    max: float | None = None
    unit: Text | None = None
    scoring: NumberScoring | None = None
    dii: list[DiiMapping] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fields_for_type(self) -> Question:
        needs = {"single": {"scale"}, "multi": {"options"}, "adoption": {"items"}, "npy": {"items"}, "number": {"min", "max", "scoring"}}
        allowed = needs[self.type] | ({"unit"} if self.type == "number" else set())
        for name in ("scale", "options", "items", "min", "max", "unit", "scoring"):
            value = getattr(self, name)
            if name in needs[self.type] and value is None:
                raise ValueError(f"a {self.type} question needs '{name}'")
            if name not in allowed and value is not None:
                raise ValueError(f"'{name}' does not apply to a {self.type} question")
        if self.type == "number" and self.min is not None and self.max is not None:
            if self.min >= self.max:
                raise ValueError("min must be below max")
            if self.min < 0:  # shares, counts and amounts; negative codes mean "no answer" in tables
                raise ValueError("min must be 0 or more")
        if self.type == "multi" and self.options is not None and sum(o.points for o in self.options) <= 0:
            raise ValueError("a checklist needs at least one option with points > 0")
        return self

    @property
    def is_matrix(self) -> bool:
        return self.type in ("adoption", "npy")

    @property
    def answer_scale(self) -> str | None:
        """The shared answer scale its choices come from: its own ``scale`` for a single choice,
        the scale named after the type for a matrix (``adoption``, ``npy``); None otherwise."""
        return self.scale if self.scale is not None else self.type if self.is_matrix else None


class Dimension(Strict):
    id: Id
    label: Text
    description: Text
    weight: float = Field(default=1.0, gt=0.0, le=10.0)
    # What a firm at each maturity level typically has or does in this dimension, by level id
    # (every level of the questionnaire: questionnaires.checks): shown beside the dimension's score.
    interpretation: dict[Id, Text]


class Module(Strict):
    """A group of questions shown only to firms matching ``applies_if`` (e.g. manufacturers).

    Module questions still belong to the common dimensions, so every firm's dimension scores keep
    the same meaning; the module also gets a sub-score of its own.
    """

    id: Id
    label: Text
    applies_if: Condition | None = None


class Level(Strict):
    """A maturity band: a score in [min, next level's min) gets this level."""

    id: Id
    min: float = Field(ge=0.0, le=100.0)
    label: Text
    description: Text


class DiiVariable(Strict):
    id: Id
    label: Text


class DiiLevel(Strict):
    id: Id
    min: int = Field(ge=0, le=12)
    label: Text


class DiiSpec(Strict):
    """The Eurostat Digital Intensity Index composition this instrument reproduces."""

    version: str
    source: list[str] = Field(min_length=1)
    basic_min: int = Field(ge=0, le=12)
    variables: list[DiiVariable] = Field(min_length=12, max_length=12)
    levels: list[DiiLevel] = Field(min_length=2)
    note: Text


class Questionnaire(Strict):
    kind: Literal["questionnaire"]
    schema_version: Literal[1]
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)
    version: str = Field(pattern=r"^\d{4}\.\d+$")
    default_locale: Locale
    locales: list[Locale]
    title: Text
    description: Text
    estimated_minutes: tuple[int, int]
    answer_scales: list[AnswerScale]
    modules: list[Module]
    dimensions: list[Dimension] = Field(min_length=1)
    levels: list[Level] = Field(min_length=2)
    questions: list[Question] = Field(min_length=1)
    dii: DiiSpec

    @field_validator("locales")
    @classmethod
    def _all_locales(cls, locales: list[Locale]) -> list[Locale]:
        if sorted(locales) != sorted(LOCALES):
            raise ValueError(f"locales must be exactly {list(LOCALES)}")
        return locales

    @field_validator("levels")
    @classmethod
    def _levels_rise(cls, levels: list[Level]) -> list[Level]:
        mins = [lv.min for lv in levels]
        if mins[0] != 0 or any(b <= a for a, b in itertools.pairwise(mins)):
            raise ValueError("levels must start at 0 and strictly increase")
        return levels


def scale_option_ids(q: Questionnaire, question: Question) -> list[str]:
    """Allowed option ids of a single-choice or matrix question, in scale order."""
    return [o.id for s in q.answer_scales if s.id == question.answer_scale for o in s.options]


def per_questionnaire(fn: Callable[[Questionnaire], R]) -> Callable[[Questionnaire], R]:
    """Cache ``fn(q)`` per questionnaire object (models hold lists, so they are not hashable)."""
    memo: dict[int, tuple[Questionnaire, R]] = {}

    def wrapper(q: Questionnaire) -> R:
        hit = memo.get(id(q))
        if hit is None or hit[0] is not q:
            hit = memo[id(q)] = (q, fn(q))
        return hit[1]

    wrapper.__doc__ = fn.__doc__
    return wrapper
