"""Random but valid answers for any questionnaire (used by property tests)."""

from __future__ import annotations

import random

from domain import Answers
from questionnaires.model import DONT_KNOW, Question, Questionnaire
from scoring.answers import scale_option_ids


def random_value(q: Questionnaire, question: Question, rnd: random.Random) -> object:
    if question.dont_know and rnd.random() < 0.1:
        return DONT_KNOW
    if question.type == "multi":
        plain = [o.id for o in question.options if not o.exclusive]
        exclusive = [o.id for o in question.options if o.exclusive]
        if exclusive and rnd.random() < 0.15:
            return [exclusive[0]]
        return rnd.sample(plain, rnd.randint(0, len(plain)))
    if question.type == "number":
        return round(rnd.uniform(question.min, question.max), 1)
    options = scale_option_ids(q, question)
    if question.is_matrix:
        return {item.id: rnd.choice(options) for item in question.items if rnd.random() < 0.9}
    return rnd.choice(options)


def random_answers(q: Questionnaire, rnd: random.Random, blank: float = 0.1) -> Answers:
    return {x.id: random_value(q, x, rnd) for x in q.questions if rnd.random() >= blank}
