"""Matrices (``type: adoption`` and ``type: npy``): {row id: option id} over the scale named
after the type; each row is a scoring unit carrying its share of the question weight."""

from __future__ import annotations

import random
from collections.abc import Mapping

import numpy as np

from domain import AnswerValue
from questionnaires.model import DONT_KNOW, Question, Questionnaire, scale_option_ids
from scoring.kinds.base import AnswerProblem, ColumnScore, EffectChange, EffectForm, Part, ScaleScore, WidgetValue, scale_scores
from scoring.kinds.single import choice_code, choice_position, choice_problems, choice_score, choices_with_dont_know, draw_levels, raised


class Matrix:
    effect_form: EffectForm = "set"

    def check(self, q: Questionnaire, question: Question, value: object) -> list[AnswerProblem]:
        if not isinstance(value, dict):
            return [AnswerProblem("not_a_mapping")]
        rows = {i.id for i in question.items or []}
        problems: list[AnswerProblem] = []
        for row, answer in value.items():
            if row not in rows:
                problems.append(AnswerProblem("unknown_row", {"row": row}))
            elif answer is None:
                continue
            elif answer == DONT_KNOW:
                if not question.dont_know:
                    problems.append(AnswerProblem("dont_know_not_allowed", {"row": row}))
            else:
                problems.extend(choice_problems(q, question, answer, row=row))
        return problems

    def units(self, question: Question) -> list[tuple[str | None, float]]:
        total = sum(item.weight for item in question.items or [])
        return [(item.id, question.weight * item.weight / total) for item in question.items or []]

    def unit_score(self, q: Questionnaire, question: Question, value: AnswerValue) -> float:
        return choice_score(q, question, value)

    def numeric_level(self, q: Questionnaire, question: Question, value: object) -> float | None:
        return choice_position(q, question, value)

    def code_keys(self, question: Question) -> list[str | None]:
        return [i.id for i in question.items or []]

    def column_score(self, q: Questionnaire, question: Question) -> ColumnScore:
        return ScaleScore(tuple(scale_scores(q, question)))

    def encode(self, q: Questionnaire, question: Question, value: AnswerValue) -> tuple[list[float], list[bool]]:
        rows = value if isinstance(value, dict) else {}
        cells = [rows.get(item.id) for item in question.items or []]
        codes = [0.0 if cell is None or cell == DONT_KNOW else choice_code(q, question, cell) for cell in cells]
        return codes, [cell == DONT_KNOW for cell in cells]

    def apply_effect(self, q: Questionnaire, question: Question, current: AnswerValue | None, item: str | None,
                     change: EffectChange) -> AnswerValue:
        if item is None:
            raise ValueError(f"an effect on matrix {question.id!r} names a row ('item')")
        row = dict(current) if isinstance(current, dict) else {}
        row[item] = raised(q, question, row.get(item), change)
        return row

    def csv_columns(self, question: Question) -> list[str]:
        return [f"{question.id}.{i.id}" for i in question.items or []]

    def parse_cell(self, question: Question, row: str, text: str) -> AnswerValue:
        return {row: text} if row else text

    def template_allowed(self, q: Questionnaire, question: Question) -> dict[str, object]:
        return {"type": question.type, "rows": [i.id for i in question.items or []], "options": choices_with_dont_know(q, question)}

    def template_blank(self) -> AnswerValue | None:
        return {}

    def csv_hints(self, q: Questionnaire, question: Question) -> list[str]:
        return ["|".join(choices_with_dont_know(q, question))] * len(question.items or [])

    def widget_parts(self, question: Question) -> list[Part]:
        return [i.id for i in question.items or []]

    def widget_state(self, question: Question, value: AnswerValue | None) -> dict[Part, WidgetValue]:
        rows = value if isinstance(value, dict) else {}
        return {item.id: rows.get(item.id) for item in question.items or []}

    def from_widgets(self, question: Question, state: Mapping[Part, WidgetValue]) -> AnswerValue | None:
        rows = {item.id: state.get(item.id) for item in question.items or []}
        given = {row: str(answer) for row, answer in rows.items() if answer is not None}
        return given or None

    def extremes(self, q: Questionnaire, question: Question) -> tuple[AnswerValue, AnswerValue]:
        options, items = scale_option_ids(q, question), question.items or []
        return {i.id: options[0] for i in items}, {i.id: options[-1] for i in items}

    def random_value(self, q: Questionnaire, question: Question, rnd: random.Random) -> AnswerValue:
        options = scale_option_ids(q, question)
        return {item.id: rnd.choice(options) for item in question.items or [] if rnd.random() < 0.9}

    def draw(self, q: Questionnaire, question: Question, p: np.ndarray, rng: np.random.Generator) -> list[AnswerValue]:
        options, levels = draw_levels(q, question, p)
        return [{item.id: options[v] for item, v in zip(question.items or [], row, strict=True)} for row in levels]
