"""From a scored firm to a prioritised roadmap of at most ten actions in three horizons.

The formula is published in docs/methodology.md ("Roadmap prioritisation"); keep the two in step.

1. Candidates: actions that suit the firm's sector and size, whose triggers fire, and whose
   effects would raise the firm's scores (measured with the what-if on the real engine).
2. Impact: the action's re-scored dimension gains, weighted like the overall score and boosted
   where the dimension is far below the target level: ``Σ w_d·Δ_d·(1 + gap_d) / Σ w_d`` with
   ``gap_d = max(0, T − s_d) / T``, over the dimensions that have a score before and after. A
   dimension scored for the first time adds nothing: its first score is not a gain (see
   ``recommendations.effects``).
3. Priority: ``impact × (1 + 0.5 × peer share) / effort cost`` (effort low 1, medium 2, high 4);
   the peer share is how many more mature nearest peers already have what the action brings.
4. Matrix (a plain impact-effort matrix; SIRI's ranks by maturity and current performance instead):
   quick wins, major projects, fill-ins, reconsider. Only an action that really raises the overall
   score (and has a positive impact) is *ranked on a gain* and can be a quick win or a major
   project; the others (first scores, overall effect zero or negative) are fill-ins or to
   reconsider, ranked after every action with a gain, and say why. The roadmap takes candidates in
   that order, pulling in the prerequisites not done yet; an action's horizon is never earlier than
   its prerequisites'.
   A first pass keeps at most 4 / 3 / 3 actions per horizon so long projects are not crowded out
   by small tasks; a second pass fills any places left.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from domain import Answers, Profile
from questionnaires.model import Questionnaire
from questionnaires.registry import Instrument
from questionnaires.segments import load_segments
from recommendations.catalog import Catalogs
from recommendations.effects import EPS, ScoreEffect
from recommendations.model import HORIZONS, Action, Effect
from recommendations.whatif import PercentileOf, Projection, apply_effects, project
from scoring.applicability import applicable_answers, evaluate
from scoring.engine import score_answers
from scoring.result import Result
from scoring.vectorized import ResponseTable, TableScores, compile_instrument, encode_answers, score_table

MAX_ACTIONS = 10
HORIZON_CAPS = (4, 3, 3)  # places per horizon in the first, balanced pass
EFFORT_COST = {"low": 1.0, "medium": 2.0, "high": 4.0}
PEER_WEIGHT = 0.5
QUADRANTS = ("quick_win", "major_project", "fill_in", "reconsider")


@dataclass(frozen=True)
class Candidate:
    action: Action
    effect: ScoreEffect  # re-scored effect of this action alone (overall and per dimension)
    impact: float  # gap-weighted real gains (first scores count nothing); may be 0 or negative
    peer_share: float  # 0..1
    priority: float
    quadrant: str = "fill_in"

    @property
    def ranked_on_gain(self) -> bool:
        """It raises the overall score and has a positive impact: only then may it be a quick win or a major project."""
        return self.effect.raises_overall and self.impact > EPS

    @property
    def overall_gain(self) -> float | None:
        """The re-scored change of the overall score (may be negative); None without an overall score before."""
        return self.effect.overall_change

    @property
    def dimension_gains(self) -> dict[str, float]:
        """Re-scored changes of the dimensions that have a score before and after."""
        return self.effect.gains()


@dataclass(frozen=True)
class RoadmapItem:
    action: Action
    horizon: str  # one of HORIZONS
    candidate: Candidate | None  # None for a prerequisite pulled in without being a candidate itself
    is_prerequisite_of: tuple[str, ...] = ()
    effect: ScoreEffect | None = None  # this action alone, re-scored (set by build_roadmap for every item)

    @property
    def raises_overall(self) -> bool:
        return self.effect is not None and self.effect.raises_overall


@dataclass(frozen=True)
class Roadmap:
    items: tuple[RoadmapItem, ...]
    candidates: tuple[Candidate, ...]  # every candidate, best first (the PDF's matrix lists the top of each quadrant)
    target: float
    projection: Projection  # scores if the whole roadmap is done

    def by_horizon(self) -> dict[str, list[RoadmapItem]]:
        return {h: [i for i in self.items if i.horizon == h] for h in HORIZONS}

    def immediate(self, n: int = 3) -> tuple[RoadmapItem, ...]:
        """The first ``n`` items, in roadmap order, that raise the overall score or are a prerequisite
        of one that does (shown with that reason): an action without a gain is never an immediate priority."""
        gaining = {i.action.id for i in self.items if i.raises_overall}
        return tuple(i for i in self.items if i.raises_overall or gaining & set(i.is_prerequisite_of))[:n]


def suits(action: Action, profile: Profile) -> bool:
    rule = action.applies_to
    return (rule.sectors is None or profile.sector in rule.sectors) and (rule.sizes is None or profile.size in rule.sizes)


def triggered(action: Action, instrument: Instrument, profile: Profile, answers: Answers, result: Result) -> bool:
    q = instrument.questionnaire
    for trigger in action.triggers:
        if trigger.dimension_below is not None:
            score = result.dimensions[trigger.dimension_below.dimension].score
            if score is None or score < trigger.dimension_below.score:
                return True
        elif trigger.when is not None and evaluate(trigger.when, q, profile, answers):  # a trigger has one of the two
            return True
    return False


def effect_keys(effect: Effect) -> list[str]:
    """Adoption keys an effect touches, as in benchmarks.adoption ("question.option_or_row")."""
    if effect.add is not None:
        return [f"{effect.question}.{option}" for option in effect.add]
    return [f"{effect.question}.{effect.item}" if effect.item else effect.question]


class AdoptionSignal(Protocol):
    """One item more mature neighbours use (``benchmarks.neighbours.PeerSignal`` is one)."""

    @property
    def item(self) -> str: ...  # adoption key, "question.option_or_row"

    @property
    def share(self) -> float: ...


class AdoptionSignals(Protocol):
    """What the roadmap reads from the nearest peers (``benchmarks.neighbours.NeighbourSignals`` is one)."""

    @property
    def available(self) -> bool: ...

    @property
    def signals(self) -> Sequence[AdoptionSignal]: ...


def signals_from(neighbours: AdoptionSignals | None) -> dict[str, float]:
    """Adoption key -> share of more mature nearest peers having it."""
    if neighbours is None or not neighbours.available:
        return {}
    return {s.item: float(s.share) for s in neighbours.signals}


def peer_share(action: Action, signals: Mapping[str, float] | None) -> float:
    if not signals:
        return 0.0
    return max((float(signals.get(key, 0.0)) for e in action.effects for key in effect_keys(e)), default=0.0)


def impact(weights: dict[str, float], before: dict[str, float | None], after: dict[str, float | None], target: float) -> float:
    """The gap-weighted impact (see the module docstring): only dimensions with a score before and
    after count; a first score is not a gain, and a dimension that goes down counts negatively."""
    weighted = 0.0
    for d, weight in weights.items():
        score, new = before[d], after[d]
        if score is None or new is None:
            continue
        gap = max(0.0, target - score) / target if target > 0 else 0.0
        weighted += weight * (new - score) * (1.0 + gap)
    return weighted / sum(weights.values())


def candidates(instrument: Instrument, catalogs: Catalogs, profile: Profile, answers: Answers, result: Result,
               target: float, signals: Mapping[str, float] | None = None) -> list[Candidate]:
    """Every action worth doing, scored. All actions' answers are re-scored in one call to the
    vectorised engine (same scoring units as the per-firm engine; a test checks they agree), with
    the firm's own answers in the first row so gains compare like with like."""
    q = instrument.questionnaire
    _, effective = applicable_answers(q, profile, answers)  # triggers read only answers that count
    actions, variants = [], []
    for action in catalogs.actions:
        if not suits(action, profile) or not triggered(action, instrument, profile, effective, result):
            continue
        changed = apply_effects(q, answers, [action])
        if changed != answers:  # an action already done has nothing to gain
            actions.append(action)
            variants.append(changed)
    if not actions:
        return []
    table = _score_variants(q, profile, answers, variants)
    dims = {d.id: d.weight for d in q.dimensions}
    rows = [{d: _number(table.column(d)[i]) for d in dims} for i in range(len(variants) + 1)]
    found = []
    for i, action in enumerate(actions, start=1):
        value = impact(dims, rows[0], rows[i], target)
        effect = ScoreEffect.between(_number(table.overall[0]), _number(table.overall[i]), rows[0], rows[i])
        if value <= EPS and not effect.first_scores:  # no gain, and nothing measured for the first time
            continue
        share = peer_share(action, signals)
        priority = value * (1 + PEER_WEIGHT * share) / EFFORT_COST[action.effort]
        found.append(Candidate(action, effect, value, share, priority))
    return _with_quadrants(found)


def _score_variants(q: Questionnaire, profile: Profile, answers: Answers, variants: list[Answers]) -> TableScores:
    """Row 0: the firm's answers; row i: variant i. Each variant differs in a few questions, so its
    row is the firm's encoded row with only those questions' columns re-encoded."""
    comp = compile_instrument(q)
    base, base_dk = encode_answers(q, answers)
    codes, dont_know = np.tile(base, (len(variants) + 1, 1)), np.tile(base_dk, (len(variants) + 1, 1))
    for i, variant in enumerate(variants, start=1):
        changed = {qid: value for qid, value in variant.items() if answers.get(qid) != value}
        row, dk = encode_answers(q, changed)
        for qid in changed:
            cols = list(comp.question_columns[qid])
            codes[i, cols], dont_know[i, cols] = row[cols], dk[cols]
    return score_table(q, ResponseTable.from_profiles(codes, dont_know, [profile] * len(codes), load_segments()))


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _with_quadrants(found: list[Candidate]) -> list[Candidate]:
    """High impact is at or above the median impact of the actions ranked on a gain; an action
    without a gain is never high. Actions with a gain come first, then by quadrant and priority."""
    if not found:
        return []
    gaining = [c.impact for c in found if c.ranked_on_gain]
    median = statistics.median(gaining) if gaining else math.inf
    out = []
    for c in found:
        high, easy = c.ranked_on_gain and c.impact >= median, c.action.effort == "low"
        quadrant = "quick_win" if high and easy else "major_project" if high else "fill_in" if easy else "reconsider"
        out.append(replace(c, quadrant=quadrant))
    return sorted(out, key=lambda c: (not c.ranked_on_gain, QUADRANTS.index(c.quadrant), -c.priority, c.action.id))


def _is_done(instrument: Instrument, answers: Answers, action: Action) -> bool:
    return apply_effects(instrument.questionnaire, answers, [action]) == answers


def _missing_prerequisites(action: Action, catalogs: Catalogs, instrument: Instrument, profile: Profile,
                           answers: Answers, chosen: set[str]) -> list[Action]:
    """Prerequisites (transitively) still to do, deepest first; unsuitable or done ones are skipped."""
    out: list[Action] = []

    def walk(current: Action) -> None:
        for pid in current.prerequisites:
            prereq = catalogs.action(pid)
            if pid in chosen or any(a.id == pid for a in out) or not suits(prereq, profile) or _is_done(instrument, answers, prereq):
                continue
            walk(prereq)
            out.append(prereq)

    walk(action)
    return out


def build_roadmap(instrument: Instrument, catalogs: Catalogs, profile: Profile, answers: Answers, result: Result | None = None,
                  signals: Mapping[str, float] | None = None, percentile_of: PercentileOf | None = None,
                  target: float | None = None, limit: int = MAX_ACTIONS) -> Roadmap:
    """The firm's roadmap; ``signals`` maps adoption keys to the share of more mature peers having them."""
    q = instrument.questionnaire
    result = result or score_answers(q, profile, answers)
    target = target if target is not None else q.levels[-1].min
    ranked = candidates(instrument, catalogs, profile, answers, result, target, signals)
    chosen: list[Action] = []
    for caps in (HORIZON_CAPS, None):  # first a balanced pass, then fill the remaining places
        for cand in ranked:
            if all(a.id != cand.action.id for a in chosen):
                _try_add(cand.action, chosen, caps, limit, catalogs, instrument, profile, answers)
    by_id = {c.action.id: c for c in ranked}
    items = [replace(i, effect=i.candidate.effect if i.candidate is not None else _alone(instrument, profile, answers, result, i.action))
             for i in _schedule(chosen, by_id)]
    projection = project(instrument, profile, answers, [i.action for i in items], percentile_of, before=result)
    return Roadmap(tuple(items), tuple(ranked), target, projection)


def _alone(instrument: Instrument, profile: Profile, answers: Answers, result: Result, action: Action) -> ScoreEffect:
    """The re-scored effect of one action (a prerequisite that is not a candidate itself)."""
    q = instrument.questionnaire
    return ScoreEffect.of(result, score_answers(q, profile, apply_effects(q, answers, [action])))


def _try_add(action: Action, chosen: list[Action], caps: tuple[int, ...] | None, limit: int, catalogs: Catalogs,
             instrument: Instrument, profile: Profile, answers: Answers) -> None:
    """Add ``action`` and its missing prerequisites if they fit the limit (and the horizon caps)."""
    needed = _missing_prerequisites(action, catalogs, instrument, profile, answers, {a.id for a in chosen})
    batch = [*needed, action]
    if len(chosen) + len(batch) > limit:
        return
    if caps is not None:  # the cap counts the action's own horizon; prerequisites may overflow theirs
        horizons = _horizons([*chosen, *batch])
        own = horizons[action.id]
        if sum(1 for a in chosen if horizons[a.id] == own) >= caps[own]:
            return
    chosen.extend(batch)


def _horizons(chosen: list[Action]) -> dict[str, int]:
    """Horizon index of each action: its own, or its latest prerequisite's if later."""
    horizon: dict[str, int] = {}
    for action in chosen:  # prerequisites always come before their dependants in ``chosen``
        own = HORIZONS.index(action.horizon)
        horizon[action.id] = max([own] + [horizon[p] for p in action.prerequisites if p in horizon])
    return horizon


def _schedule(chosen: list[Action], by_id: dict[str, Candidate]) -> list[RoadmapItem]:
    """Horizons (never before a prerequisite's) and an order with prerequisites first."""
    ids = {a.id for a in chosen}
    horizon = _horizons(chosen)
    rank = {a.id: i for i, a in enumerate(chosen)}
    placed: list[Action] = []
    waiting = list(chosen)
    while waiting:
        ready = [a for a in waiting if all(p not in ids or p in {x.id for x in placed} for p in a.prerequisites)]
        nxt = min(ready, key=lambda a: (horizon[a.id], rank[a.id]))
        placed.append(nxt)
        waiting.remove(nxt)
    dependants = {a.id: tuple(b.id for b in chosen if a.id in b.prerequisites) for a in chosen}
    return [RoadmapItem(a, HORIZONS[horizon[a.id]], by_id.get(a.id), dependants[a.id]) for a in placed]
