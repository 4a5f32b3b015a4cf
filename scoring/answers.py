"""Answers and firm profile as typed values, and the check that answers fit the instrument.

An answers mapping goes question id -> value:
- single choice: an option id;           multi-select: a list of option ids;
- matrix: {row id: option id};           number: an int or float within [min, max];
- "dont_know" wherever the question allows it (for a matrix, per row).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from domain import PROFILE_FIELDS, Answers, Profile
from questionnaires.model import DONT_KNOW, Question, Questionnaire, scale_option_ids
from questionnaires.segments import Segments


@dataclass(frozen=True)
class AnswerError:
    """One answer that does not fit the instrument; ``question`` is its id (or a profile field)."""

    question: str
    message: str

    def __str__(self) -> str:
        return f"{self.question}: {self.message}"


class InvalidAnswers(ValueError):
    def __init__(self, errors: list[AnswerError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def check_profile(profile: Profile, segments: Segments) -> list[AnswerError]:
    errors = []
    for field in PROFILE_FIELDS:
        value = getattr(profile, field)
        if value not in segments.codes(field):
            errors.append(AnswerError(field, f"unknown {field} {value!r}; expected one of {segments.codes(field)}"))
    if len(profile.name) > 200:
        errors.append(AnswerError("name", "firm name longer than 200 characters"))
    return errors


def check_answers(q: Questionnaire, answers: Answers) -> list[AnswerError]:
    """Every way ``answers`` does not fit ``q`` (unknown ids, impossible values, wrong types)."""
    questions = {question.id: question for question in q.questions}
    errors = [AnswerError(qid, "unknown question id") for qid in answers if qid not in questions]
    for qid, value in answers.items():
        if qid in questions and value is not None:
            errors.extend(AnswerError(qid, msg) for msg in _check_one(q, questions[qid], value))
    return errors


def _check_one(q: Questionnaire, question: Question, value: Any) -> list[str]:
    if value == DONT_KNOW:
        return [] if question.dont_know else ["'dont_know' is not allowed for this question"]
    if question.type == "single":
        allowed = scale_option_ids(q, question)
        return [] if isinstance(value, str) and value in allowed else [f"{value!r} is not one of {allowed}"]
    if question.type == "multi":
        return _check_multi(question, value)
    if question.is_matrix:
        return _check_matrix(q, question, value)
    return _check_number(question, value)


def _check_multi(question: Question, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return ["expected a list of option ids"]
    options = {o.id: o for o in question.options or []}
    unknown = [v for v in value if v not in options]
    if unknown:
        return [f"unknown option(s) {unknown}; expected among {list(options)}"]
    if len(set(value)) != len(value):
        return ["an option is ticked twice"]
    exclusive = [v for v in value if options[v].exclusive]
    if exclusive and len(value) > 1:
        return [f"{exclusive[0]!r} cannot be ticked together with other options"]
    return []


def _check_matrix(q: Questionnaire, question: Question, value: Any) -> list[str]:
    if not isinstance(value, dict):
        return ["expected a mapping of row id to answer"]
    rows = {i.id for i in question.items or []}
    allowed = scale_option_ids(q, question)
    errors = []
    for row, answer in value.items():
        if row not in rows:
            errors.append(f"unknown row {row!r}")
        elif answer is None:
            continue
        elif answer == DONT_KNOW and not question.dont_know:
            errors.append(f"row {row!r}: 'dont_know' is not allowed")
        elif answer != DONT_KNOW and answer not in allowed:
            errors.append(f"row {row!r}: {answer!r} is not one of {allowed}")
    return errors


def _check_number(question: Question, value: Any) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return [f"expected a number, got {value!r}"]
    if not question.min <= value <= question.max:
        return [f"{value} is outside [{question.min:g}, {question.max:g}]"]
    return []


def validate_submission(q: Questionnaire, segments: Segments, profile: Profile, answers: Answers) -> None:
    """Raise InvalidAnswers listing every problem; nothing is accepted partially."""
    errors = check_profile(profile, segments) + check_answers(q, answers)
    if errors:
        raise InvalidAnswers(errors)
