"""Random but valid answers for any questionnaire (used by property tests)."""

from __future__ import annotations

import random

from domain import Answers, AnswerValue
from questionnaires.model import DONT_KNOW, Question, Questionnaire
from scoring.kinds import kind_of


def random_value(q: Questionnaire, question: Question, rnd: random.Random) -> AnswerValue:
    if question.dont_know and rnd.random() < 0.1:
        return DONT_KNOW
    return kind_of(question).random_value(q, question, rnd)


def random_answers(q: Questionnaire, rnd: random.Random, blank: float = 0.1) -> Answers:
    return {x.id: random_value(q, x, rnd) for x in q.questions if rnd.random() >= blank}
