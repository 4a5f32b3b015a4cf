"""What-if: apply chosen actions' effects to a copy of the answers and re-score with the real engine.

An effect only ever raises an answer (a firm already at "yes" stays at "yes"), so projecting an
action can never lower a score. Effects on questions that do not apply to the firm are kept in the
copy but ignored by the engine, exactly as a real answer would be.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from domain import Answers, MutableAnswers, Profile
from questionnaires.model import DONT_KNOW, Question, Questionnaire
from questionnaires.registry import Instrument
from recommendations.model import Action, Effect
from scoring.answers import scale_option_ids
from scoring.engine import score_answers
from scoring.result import Result

PercentileOf = Callable[[float | None], float | None]


@dataclass(frozen=True)
class Projection:
    """Scores before and after the chosen actions (percentiles only when a peer pool is given)."""

    actions: tuple[str, ...]
    before: Result
    after: Result
    percentile_before: float | None = None
    percentile_after: float | None = None

    def gain(self) -> float:
        return (self.after.overall or 0.0) - (self.before.overall or 0.0)


def apply_effects(q: Questionnaire, answers: Answers, actions: Iterable[Action]) -> Answers:
    """A new answers mapping with every effect of ``actions`` applied (the input is not changed:
    every list or matrix row an effect touches is copied before it changes)."""
    out: MutableAnswers = dict(answers)
    questions = {x.id: x for x in q.questions}
    for action in actions:
        for effect in action.effects:
            _apply(q, questions[effect.question], effect, out)
    return out


def _apply(q: Questionnaire, question: Question, effect: Effect, out: MutableAnswers) -> None:
    if effect.add is not None:
        current = out.get(question.id)
        ticked = [v for v in current if v not in _exclusive(question)] if isinstance(current, list) else []
        out[question.id] = ticked + [v for v in effect.add if v not in ticked]
    elif effect.at_least is not None:
        current = out.get(question.id)
        value = current if isinstance(current, int | float) and not isinstance(current, bool) else None
        out[question.id] = effect.at_least if value is None else max(float(value), effect.at_least)
    elif effect.set is None:  # recommendations.model: an effect has exactly one of add, at_least, set
        raise ValueError(f"an effect on {question.id!r} changes nothing")
    elif effect.item is not None:
        row = out.get(question.id)
        row = dict(row) if isinstance(row, dict) else {}
        row[effect.item] = _higher(scale_option_ids(q, question), row.get(effect.item), effect.set)
        out[question.id] = row
    else:
        out[question.id] = _higher(scale_option_ids(q, question), out.get(question.id), effect.set)


def _higher(options: list[str], current: object, target: str) -> str:
    """The target option unless the current answer is already higher on the scale."""
    if current is None or current == DONT_KNOW or current not in options:
        return target
    return current if options.index(current) >= options.index(target) else target


def _exclusive(question: Question) -> set[str]:
    return {o.id for o in question.options or [] if o.exclusive}


def percentile(score: float | None, pool: Sequence[float] | None) -> float | None:
    """Share (0–100) of the peer pool scoring below ``score``, ties counting half. ``pool`` is sorted."""
    if score is None or not pool:
        return None
    below = bisect.bisect_left(pool, score)
    ties = bisect.bisect_right(pool, score) - below
    return 100.0 * (below + ties / 2) / len(pool)


def project(instrument: Instrument, profile: Profile, answers: Answers, actions: Sequence[Action],
            percentile_of: PercentileOf | None = None, before: Result | None = None) -> Projection:
    """Scores after doing ``actions``; ``percentile_of`` maps an overall score to the firm's peer percentile."""
    q = instrument.questionnaire
    before = before or score_answers(q, profile, answers)
    after = score_answers(q, profile, apply_effects(q, answers, actions))
    rank = percentile_of or (lambda _score: None)
    return Projection(tuple(a.id for a in actions), before, after, rank(before.overall), rank(after.overall))


def pool_percentile(pool: Sequence[float]) -> PercentileOf:
    """A ``percentile_of`` over a plain list of peer overall scores."""
    ordered = sorted(pool)
    return lambda score: percentile(score, ordered)
