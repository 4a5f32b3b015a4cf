"""Checklists (``type: multi``): a list of ticked option ids; the score is the ticked options'
share of the points. An ``exclusive`` option ("none of these") cannot be ticked with others."""

from __future__ import annotations

import random
from collections.abc import Mapping

import numpy as np

from domain import AnswerValue
from questionnaires.model import DONT_KNOW, Question, Questionnaire
from scoring.kinds.base import AnswerProblem, BoxScore, ColumnScore, EffectChange, EffectForm, Part, ProblemCode, WidgetValue


def checklist_score(question: Question, ticked: list[str]) -> float:
    total = sum(o.points for o in question.options or [])
    return sum(o.points for o in question.options or [] if o.id in ticked) / total


class Checklist:
    effect_form: EffectForm = "add"

    def check(self, q: Questionnaire, question: Question, value: object) -> list[AnswerProblem]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return [AnswerProblem("not_a_list")]
        options = {o.id: o for o in question.options or []}
        unknown = [v for v in value if v not in options]
        if unknown:
            code: ProblemCode = "dont_know_with_others" if DONT_KNOW in unknown and len(value) > 1 else "unknown_option"
            return [AnswerProblem(code, {"unknown": tuple(unknown), "allowed": tuple(options)})]
        if len(set(value)) != len(value):
            return [AnswerProblem("ticked_twice")]
        exclusive = [v for v in value if options[v].exclusive]
        if exclusive and len(value) > 1:
            return [AnswerProblem("exclusive_with_others", {"option": exclusive[0]})]
        return []

    def units(self, question: Question) -> list[tuple[str | None, float]]:
        return [(None, question.weight)]

    def unit_score(self, q: Questionnaire, question: Question, value: AnswerValue) -> float:
        return checklist_score(question, value if isinstance(value, list) else [])

    def numeric_level(self, q: Questionnaire, question: Question, value: object) -> float | None:
        return None  # a checklist has no order; conditions use ``includes``

    def code_keys(self, question: Question) -> list[str | None]:
        return [o.id for o in question.options or []]

    def column_score(self, q: Questionnaire, question: Question) -> ColumnScore:
        return BoxScore(tuple(o.points for o in question.options or []))

    def encode(self, q: Questionnaire, question: Question, value: AnswerValue) -> tuple[list[float], list[bool]]:
        options, ticked = question.options or [], value if isinstance(value, list) else []
        return [2.0 if o.id in ticked else 1.0 for o in options], [False] * len(options)

    def apply_effect(self, q: Questionnaire, question: Question, current: AnswerValue | None, item: str | None,
                     change: EffectChange) -> AnswerValue:
        """Tick the added boxes (an exclusive "none of these" box is unticked)."""
        if not isinstance(change, list):
            raise TypeError(f"expected option ids to add, got {change!r}")
        exclusive = {o.id for o in question.options or [] if o.exclusive}
        ticked = [v for v in current if v not in exclusive] if isinstance(current, list) else []
        return ticked + [v for v in change if v not in ticked]

    def csv_columns(self, question: Question) -> list[str]:
        return [question.id]

    def parse_cell(self, question: Question, row: str, text: str) -> AnswerValue:
        return [part.strip() for part in text.split(";") if part.strip()]

    def template_allowed(self, q: Questionnaire, question: Question) -> dict[str, object]:
        return {"type": "multi", "options": [o.id for o in question.options or []], "also": [DONT_KNOW] if question.dont_know else []}

    def template_blank(self) -> AnswerValue | None:
        return None

    def csv_hints(self, q: Questionnaire, question: Question) -> list[str]:
        return [";".join(o.id for o in question.options or []) + (" or dont_know" if question.dont_know else "")]

    def widget_parts(self, question: Question) -> list[Part]:
        """Its checkboxes: the options, then "don't know" where allowed."""
        ids: list[Part] = [o.id for o in question.options or []]
        return [*ids, DONT_KNOW] if question.dont_know else ids

    def widget_state(self, question: Question, value: AnswerValue | None) -> dict[Part, WidgetValue]:
        ticked = [DONT_KNOW] if value == DONT_KNOW else value if isinstance(value, list) else []
        return {part: part in ticked for part in self.widget_parts(question)}

    def from_widgets(self, question: Question, state: Mapping[Part, WidgetValue]) -> AnswerValue | None:
        """Every ticked box, even an impossible combination, so the firm's input is never lost;
        the check reports the combination and it is not saved until fixed."""
        ticked = [str(part) for part in self.widget_parts(question) if state.get(part)]
        return DONT_KNOW if ticked == [DONT_KNOW] else (ticked or None)

    def extremes(self, q: Questionnaire, question: Question) -> tuple[AnswerValue, AnswerValue]:
        return [], [o.id for o in question.options or [] if not o.exclusive]

    def random_value(self, q: Questionnaire, question: Question, rnd: random.Random) -> AnswerValue:
        plain = [o.id for o in question.options or [] if not o.exclusive]
        exclusive = [o.id for o in question.options or [] if o.exclusive]
        if exclusive and rnd.random() < 0.15:
            return [exclusive[0]]
        return rnd.sample(plain, rnd.randint(0, len(plain)))

    def draw(self, q: Questionnaire, question: Question, p: np.ndarray, rng: np.random.Generator) -> list[AnswerValue]:
        ticked = rng.random(p.shape) < p * 0.9
        ids = [o.id for o in question.options or []]
        exclusive = [o.id for o in question.options or [] if o.exclusive]
        picks = [[ids[j] for j in np.flatnonzero(row) if ids[j] not in exclusive] for row in ticked]
        return [pick or exclusive[:1] for pick in picks]
