"""Questionnaire flow without Streamlit: steps, navigation, widget <-> answer mapping, validation.

One step per dimension (in the instrument's dimension order) holding the questions that apply to
this firm given its profile and current answers, so conditional questions appear and disappear as
answers change. Widget state is derived from the answers (the source of truth) and mapped back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain import Answers, Profile
from i18n import format_decimal, t
from questionnaires.model import DONT_KNOW, Dimension, Question, Questionnaire
from scoring.answers import check_answers
from scoring.applicability import applicable_answers


@dataclass(frozen=True)
class Step:
    dimension: Dimension
    questions: tuple[Question, ...]

    @property
    def id(self) -> str:
        return self.dimension.id


def steps(q: Questionnaire, profile: Profile, answers: Answers) -> list[Step]:
    """The non-empty steps for this firm, in dimension order."""
    applicable, _ = applicable_answers(q, profile, answers)
    grouped = [Step(d, tuple(x for x in q.questions if x.dimension == d.id and x.id in applicable)) for d in q.dimensions]
    return [s for s in grouped if s.questions]


def step_position(q: Questionnaire, all_steps: list[Step], step_id: str | None) -> int:
    """Index of ``step_id``; if that step vanished, the next step after it in dimension order."""
    ids = [s.id for s in all_steps]
    if step_id in ids:
        return ids.index(step_id)
    order = [d.id for d in q.dimensions]
    if step_id not in order:
        return 0
    later = [i for i, s in enumerate(all_steps) if order.index(s.id) > order.index(step_id)]
    return later[0] if later else max(len(all_steps) - 1, 0)


def first_open_step(q: Questionnaire, profile: Profile, answers: Answers) -> str | None:
    """Where a resumed assessment continues: the first step with an unanswered question."""
    all_steps = steps(q, profile, answers)
    unanswered = (s.id for s in all_steps if any(answers.get(x.id) is None for x in s.questions))
    return next(unanswered, all_steps[-1].id if all_steps else None)


def progress(position: int, total: int) -> float:
    """Share of steps reached, counting the current one (0..1)."""
    return 0.0 if total == 0 else (position + 1) / total


# --- widgets <-> answers ---------------------------------------------------------------------

def widget_key(question_id: str, part: str | None = None) -> str:
    return f"w:{question_id}" if part is None else f"w:{question_id}:{part}"


def choice_options(q: Questionnaire, question: Question) -> list[str]:
    """Option ids offered by a single-choice question or a matrix row (plus "don't know")."""
    scale_id = question.scale if question.type == "single" else question.type
    ids = [o.id for s in q.answer_scales if s.id == scale_id for o in s.options]
    return [*ids, DONT_KNOW] if question.dont_know else ids


def option_label(q: Questionnaire, question: Question, option_id: str, locale: str) -> str:
    if option_id == DONT_KNOW:
        return t("common.dont_know", locale)
    scale_id = question.scale if question.type == "single" else question.type
    scale = next(s for s in q.answer_scales if s.id == scale_id)
    return next(o.label.get(locale) for o in scale.options if o.id == option_id)


def multi_parts(question: Question) -> list[str]:
    """Checkbox ids of a checklist: its options, then "don't know" where allowed."""
    ids = [o.id for o in question.options or []]
    return [*ids, DONT_KNOW] if question.dont_know else ids


def widget_values(question: Question, value: Any) -> dict[str, Any]:
    """Initial widget state (by key) that shows ``value``."""
    qid = question.id
    if question.type == "single":
        return {widget_key(qid): value}
    if question.type == "multi":
        ticked = [DONT_KNOW] if value == DONT_KNOW else list(value or [])
        return {widget_key(qid, part): part in ticked for part in multi_parts(question)}
    if question.is_matrix:
        rows = value if isinstance(value, dict) else {}
        return {widget_key(qid, item.id): rows.get(item.id) for item in question.items or []}
    dont_know = value == DONT_KNOW
    number = None if dont_know or value is None else float(value)
    values = {widget_key(qid): number}
    if question.dont_know:
        values[widget_key(qid, DONT_KNOW)] = dont_know
    return values


def answer_from_widgets(question: Question, state: Mapping[str, Any]) -> Any:
    """The answer the widgets show; None when nothing is given.

    A checklist keeps every ticked box, even an impossible combination, so the firm's input is
    never lost; :func:`field_error` reports the combination and it is not saved until fixed.
    """
    qid = question.id
    if question.type == "single":
        return state.get(widget_key(qid))
    if question.type == "multi":
        ticked = [part for part in multi_parts(question) if state.get(widget_key(qid, part))]
        return DONT_KNOW if ticked == [DONT_KNOW] else (ticked or None)
    if question.is_matrix:
        rows = {item.id: state.get(widget_key(qid, item.id)) for item in question.items or []}
        rows = {row: answer for row, answer in rows.items() if answer is not None}
        return rows or None
    if question.dont_know and state.get(widget_key(qid, DONT_KNOW)):
        return DONT_KNOW
    number = state.get(widget_key(qid))
    return None if number is None else float(number)


# --- validation ------------------------------------------------------------------------------

def field_error(q: Questionnaire, question: Question, value: Any, locale: str) -> str | None:
    """A message for the firm when ``value`` cannot be saved, else None."""
    if value is None:
        return None
    if question.type == "multi" and isinstance(value, list):
        return _checklist_error(question, value, locale)
    if question.type == "number" and value != DONT_KNOW:
        return _number_error(question, value, locale)
    if check_answers(q, {question.id: value}):
        return t("app.error.invalid_answer", locale)
    return None


def _checklist_error(question: Question, ticked: list[str], locale: str) -> str | None:
    if len(ticked) < 2:
        return None
    if DONT_KNOW in ticked:
        return t("app.error.dont_know_with_others", locale, dont_know=t("common.dont_know", locale))
    exclusive = next((o for o in question.options or [] if o.exclusive and o.id in ticked), None)
    if exclusive is not None:
        return t("app.error.exclusive_with_others", locale, option=exclusive.label.get(locale))
    return None


def _number_error(question: Question, value: Any, locale: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return t("app.error.not_a_number", locale)
    if not question.min <= value <= question.max:
        low, high = format_decimal(question.min, locale, 0), format_decimal(question.max, locale, 0)
        return t("app.error.out_of_range", locale, min=low, max=high)
    return None


def step_errors(q: Questionnaire, step: Step, answers: Answers, locale: str) -> dict[str, str]:
    """Messages by question id for the step's answers that cannot be saved."""
    errors = {x.id: field_error(q, x, answers.get(x.id), locale) for x in step.questions}
    return {qid: message for qid, message in errors.items() if message}


def savable_changes(q: Questionnaire, answers: Answers, question_ids: list[str]) -> dict[str, Any]:
    """The answers among ``question_ids`` that fit the instrument (None removes an answer)."""
    by_id = {x.id: x for x in q.questions}
    return {qid: answers.get(qid) for qid in question_ids if field_error(q, by_id[qid], answers.get(qid), "fr") is None}
