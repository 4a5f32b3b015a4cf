"""Which questions apply to a firm: module rules on the profile, then ``show_if`` in order."""

from __future__ import annotations

from domain import Answers, MutableAnswers, Profile
from questionnaires.model import DONT_KNOW, Condition, Question, Questionnaire
from scoring.kinds import kind_of


def evaluate(cond: Condition, q: Questionnaire, profile: Profile, answers: Answers) -> bool:
    """Evaluate a structured condition; an unanswered question satisfies no test."""
    if cond.all is not None:
        return all(evaluate(c, q, profile, answers) for c in cond.all)
    if cond.any is not None:
        return any(evaluate(c, q, profile, answers) for c in cond.any)
    if cond.not_ is not None:
        return not evaluate(cond.not_, q, profile, answers)
    if cond.profile is not None:
        return getattr(profile, cond.profile) in (cond.in_ or [])
    question = next(x for x in q.questions if x.id == cond.question)
    value = answers.get(question.id)
    if cond.item is not None:
        value = value.get(cond.item) if isinstance(value, dict) else None
    return _test(cond, q, question, value)


def _test(cond: Condition, q: Questionnaire, question: Question, value: object) -> bool:
    if cond.answered is not None:
        answered = value is not None and value != {} and (not isinstance(value, dict) or any(v is not None for v in value.values()))
        return answered == cond.answered
    if value is None:
        return False
    if cond.in_ is not None:
        return value in cond.in_
    if cond.includes is not None:
        return isinstance(value, list) and any(v in value for v in cond.includes)
    if value == DONT_KNOW:
        return False
    level = _numeric_level(q, question, value)
    return level is not None and (cond.gte is None or level >= cond.gte) and (cond.lte is None or level <= cond.lte)


def _numeric_level(q: Questionnaire, question: Question, value: object) -> float | None:
    """A number's value, or a choice's position on its scale (0 = first option)."""
    return kind_of(question).numeric_level(q, question, value)


def module_applies(q: Questionnaire, module_id: str, profile: Profile) -> bool:
    module = next(m for m in q.modules if m.id == module_id)
    return module.applies_if is None or evaluate(module.applies_if, q, profile, {})


def applicable_answers(q: Questionnaire, profile: Profile, answers: Answers) -> tuple[set[str], Answers]:
    """The ids of applicable questions and the answers that count (those to applicable ones).

    Walking in file order matters: a hidden question's answer is ignored, so it cannot
    make a later question appear.
    """
    applicable: set[str] = set()
    effective: MutableAnswers = {}
    modules = {m.id: module_applies(q, m.id, profile) for m in q.modules}
    for question in q.questions:
        if not modules[question.module]:
            continue
        if question.show_if is not None and not evaluate(question.show_if, q, profile, effective):
            continue
        applicable.add(question.id)
        if answers.get(question.id) is not None:
            effective[question.id] = answers[question.id]
    return applicable, effective
