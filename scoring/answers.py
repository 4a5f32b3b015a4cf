"""The check that answers and a firm profile fit the instrument, with English messages.

The rules per question type are in :mod:`scoring.kinds` (problem codes); this module words them.

An answers mapping goes question id -> value:
- single choice: an option id;           multi-select: a list of option ids;
- matrix: {row id: option id};           number: an int or float within [min, max];
- "dont_know" wherever the question allows it (for a matrix, per row).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from domain import PROFILE_FIELDS, Answers, Profile
from questionnaires.model import Questionnaire, scale_option_ids
from questionnaires.segments import Segments
from scoring.kinds import AnswerProblem, Param, answer_problems

__all__ = ["AnswerError", "AnswerProblem", "InvalidAnswers", "answer_problems", "check_answers", "check_profile", "describe",
           "scale_option_ids"]


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
    if not isinstance(profile.name, str):
        errors.append(AnswerError("name", f"firm name must be text, got {type(profile.name).__name__}"))
        return errors
    if len(profile.name) > 200:
        errors.append(AnswerError("name", "firm name longer than 200 characters"))
    if any(unicodedata.category(c) in _CONTROL for c in profile.name):
        # NUL crashes PostgreSQL text columns; other controls and line separators break one-line
        # display, CSV rows and logs. A name is one line of printable text.
        errors.append(AnswerError("name", "firm name contains control characters"))
    return errors


_CONTROL = {"Cc", "Zl", "Zp", "Cs"}  # not Cf: joiners and bidi marks occur in real names


def check_answers(q: Questionnaire, answers: Answers) -> list[AnswerError]:
    """Every way ``answers`` does not fit ``q`` (unknown ids, impossible values, wrong types)."""
    questions = {question.id: question for question in q.questions}
    errors = [AnswerError(qid, "unknown question id") for qid in answers if qid not in questions]
    for qid, value in answers.items():
        if qid in questions and value is not None:
            errors.extend(AnswerError(qid, describe(p)) for p in answer_problems(q, questions[qid], value))
    return errors


def describe(problem: AnswerProblem) -> str:
    """The command line's English message for a problem (the UI has its own, localised)."""
    p = problem.params
    at = f"row {p['row']!r}: " if "row" in p else ""
    match problem.code:
        case "dont_know_not_allowed":
            return f"{at}'dont_know' is not allowed" if at else "'dont_know' is not allowed for this question"
        case "not_an_option":
            return f"{at}{p['given']} is not one of {_listed(p['allowed'])}"
        case "not_a_list":
            return "expected a list of option ids"
        case "unknown_option" | "dont_know_with_others":
            return f"unknown option(s) {_listed(p['unknown'])}; expected among {_listed(p['allowed'])}"
        case "ticked_twice":
            return "an option is ticked twice"
        case "exclusive_with_others":
            return f"{p['option']!r} cannot be ticked together with other options"
        case "not_a_mapping":
            return "expected a mapping of row id to answer"
        case "unknown_row":
            return f"unknown row {p['row']!r}"
        case "not_a_number":
            return f"expected a number, got {p['given']}"
        case "out_of_range":
            return f"{p['value']} is outside [{p['min']:g}, {p['max']:g}]"


def _listed(ids: Param) -> list[str]:
    return list(ids) if isinstance(ids, tuple) else [str(ids)]
