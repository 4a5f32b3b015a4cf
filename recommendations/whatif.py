"""What-if: apply chosen actions' effects to a copy of the answers and re-score with the real engine.

An effect only ever raises an answer (a firm already at "yes" stays at "yes"). A score can still go
down: an answer given where there was none (or "don't know") now counts in its dimension's mean,
and a dimension scored for the first time now counts in the overall mean; ``Projection.effect``
says so (see ``recommendations.effects``). Effects on questions that do not apply to the firm are
kept in the copy but ignored by the engine, exactly as a real answer would be.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from domain import Answers, Profile
from questionnaires.model import DONT_KNOW, Question, Questionnaire
from questionnaires.registry import Instrument
from recommendations.effects import ScoreEffect
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

    @property
    def effect(self) -> ScoreEffect:
        """The re-scored effect, overall and per dimension (first scores and falls included)."""
        return ScoreEffect.of(self.before, self.after)

    def gain(self) -> float | None:
        """The re-scored change of the overall score (never counted from 0: None without a score before)."""
        return self.effect.overall_change


def apply_effects(q: Questionnaire, answers: Answers, actions: Iterable[Action]) -> Answers:
    """A new answers mapping with every effect of ``actions`` applied (the input is not changed:
    every list or matrix row an effect touches is copied before it changes)."""
    out = dict(answers)
    questions = {x.id: x for x in q.questions}
    for action in actions:
        for effect in action.effects:
            _apply(q, questions[effect.question], effect, out)
    return out


def _apply(q: Questionnaire, question: Question, effect: Effect, out: Answers) -> None:
    if effect.add is not None:
        current = out.get(question.id)
        ticked = [v for v in current if v not in _exclusive(question)] if isinstance(current, list) else []
        out[question.id] = ticked + [v for v in effect.add if v not in ticked]
    elif effect.at_least is not None:
        current = out.get(question.id)
        value = current if isinstance(current, int | float) and not isinstance(current, bool) else None
        out[question.id] = effect.at_least if value is None else max(float(value), effect.at_least)
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
    return current if options.index(current) >= options.index(target) else target  # type: ignore[return-value]


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
