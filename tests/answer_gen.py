"""Random but valid answers for any questionnaire (used by property tests)."""

from __future__ import annotations

import random

from domain import Answers, AnswerValue, Profile
from questionnaires.model import DONT_KNOW, Question, Questionnaire
from scoring.kinds import kind_of


def random_value(q: Questionnaire, question: Question, rnd: random.Random) -> AnswerValue:
    if question.dont_know and rnd.random() < 0.1:
        return DONT_KNOW
    return kind_of(question).random_value(q, question, rnd)


def random_answers(q: Questionnaire, rnd: random.Random, blank: float = 0.1) -> Answers:
    return {x.id: random_value(q, x, rnd) for x in q.questions if rnd.random() >= blank}


def one_top_answer_per_step(q: Questionnaire, profile: Profile, skip: tuple[str, ...] = (), *, top: bool = True
                            ) -> dict[str, AnswerValue]:
    """For each step (dimension) not in ``skip``: its first unconditional question outside the DII,
    at the top of its scale. Enough answers for results (ui.flow.missing_for_results), an overall
    of 100 and a DII of 0 (``top=False``: at the bottom of its scale instead)."""
    from ui import flow

    answers: dict[str, AnswerValue] = {}
    for step in flow.steps(q, profile, {}):
        if step.id not in skip:
            question = next(x for x in step.questions if not x.dii and x.show_if is None)
            answers[question.id] = kind_of(question).extremes(q, question)[1 if top else 0]
    return answers


def fill_other_steps(at: object, skip: tuple[str, ...] = ("strategy",), *, top: bool = True) -> None:
    """Give an AppTest's open assessment one top answer in every step not in ``skip`` (saved too)."""
    from ui.cache import repository

    draft = at.session_state["draft"]  # type: ignore[attr-defined]
    extra = one_top_answer_per_step(draft.instrument.questionnaire, draft.profile, skip, top=top)
    draft.answers.update(extra)
    draft.saved = repository().save_answers(draft.assessment_id, extra)
