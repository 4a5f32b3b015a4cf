"""What-if: apply chosen actions' effects to a copy of the answers and re-score with the real engine.

An effect only ever raises an answer (a firm already at "yes" stays at "yes"). A score can still go
down: an answer given where there was none (or "don't know") now counts in its dimension's mean,
and a dimension scored for the first time now counts in the overall mean; ``Projection.effect``
says so (see ``recommendations.effects``). Effects on questions that do not apply to the firm are
kept in the copy but ignored by the engine, exactly as a real answer would be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from domain import Answers, MutableAnswers, Profile
from questionnaires.model import Question, Questionnaire
from questionnaires.registry import Instrument
from recommendations.effects import ScoreEffect
from recommendations.model import Action, Effect
from scoring.engine import score_answers
from scoring.kinds import kind_of
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
    """The question's kind raises its answer (the action catalog checked that the effect's form fits it)."""
    out[question.id] = kind_of(question).apply_effect(q, question, out.get(question.id), effect.item, effect.change)


def project(instrument: Instrument, profile: Profile, answers: Answers, actions: Sequence[Action],
            percentile_of: PercentileOf | None = None, before: Result | None = None) -> Projection:
    """Scores after doing ``actions``; ``percentile_of`` maps an overall score to the firm's peer percentile."""
    q = instrument.questionnaire
    before = before or score_answers(q, profile, answers)
    after = score_answers(q, profile, apply_effects(q, answers, actions))
    rank = percentile_of or (lambda _score: None)
    return Projection(tuple(a.id for a in actions), before, after, rank(before.overall), rank(after.overall))
