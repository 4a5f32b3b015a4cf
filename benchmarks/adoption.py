"""Item-level adoption: which instrument items a firm "has" (for nearest-peer signals).

Derived from the instrument, so it follows it when items are added: a checklist option counts
when ticked (except "none of these"); a single-choice answer or a matrix row counts when its
score is 0.75 or more (e.g. "implementing"/"operational" on the adoption scale, "yes" on
No/Partly/Yes). Number questions are not items.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from domain import Answers
from questionnaires.model import DONT_KNOW, Questionnaire, per_questionnaire
from scoring.answers import scale_option_ids
from scoring.kinds import BoxScore, ScaleScore, kind_of

ADOPTED_SCORE = 0.75


@dataclass(frozen=True)
class AdoptionItem:
    key: str  # "question" or "question.option_or_row"
    question: str
    option: str | None
    label: dict[str, str]  # {fr, en}: the option or row label, or the question label
    adopted_answers: frozenset[str]  # answer ids that count (single choice and matrix rows)


@per_questionnaire
def adoption_items(q: Questionnaire) -> tuple[AdoptionItem, ...]:
    items = []
    for question in q.questions:
        # By how the kind scores: each checklist box with points, each unit on an answer scale
        # (a single choice, or every matrix row); numbers have no adopted/not adopted reading.
        how = kind_of(question).column_score(q, question)
        if isinstance(how, BoxScore):
            items += [AdoptionItem(f"{question.id}.{o.id}", question.id, o.id, o.label.model_dump(), frozenset())
                      for o in question.options or [] if not o.exclusive and o.points > 0]
        elif isinstance(how, ScaleScore):
            good = frozenset(a for a, s in zip(scale_option_ids(q, question), how.scores, strict=True) if s >= ADOPTED_SCORE)
            rows = {i.id: i for i in question.items or []}
            for key in kind_of(question).code_keys(question):
                if key is None:
                    items.append(AdoptionItem(question.id, question.id, None, question.label.model_dump(), good))
                else:
                    items.append(AdoptionItem(f"{question.id}.{key}", question.id, key, rows[key].label.model_dump(), good))
    return tuple(items)


def adopted(item: AdoptionItem, answers: Answers) -> bool:
    value = answers.get(item.question)
    if value is None or value == DONT_KNOW:
        return False
    if isinstance(value, list):
        return item.option in value
    if isinstance(value, dict):
        answer = value.get(item.option) if item.option is not None else None
        return answer is not None and answer in item.adopted_answers
    return value in item.adopted_answers


def adoption_vector(q: Questionnaire, answers: Answers) -> np.ndarray:
    return np.array([adopted(item, answers) for item in adoption_items(q)], dtype=bool)


def adoption_matrix(q: Questionnaire, answers: list[Answers]) -> np.ndarray:
    """(firms, items) booleans; pass the answers that apply to each firm (``applicable_answers``)."""
    width = len(adoption_items(q))
    return np.vstack([adoption_vector(q, a) for a in answers]) if answers else np.zeros((0, width), dtype=bool)
