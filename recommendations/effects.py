"""What an action (or a set of actions) does to a firm's scores, measured by re-scoring, never guessed.

A dimension's score is the mean of its *answered* items and the overall score is the mean of the
dimensions *that have a score* (docs/methodology.md §3–4). An action's effects only ever raise an
answer, yet its re-scored effect can be zero or negative:

- it may give a dimension its **first score** (the firm left that dimension unanswered): the
  dimension now counts in the overall mean, which goes down when the new score is below it;
- it may answer an item left blank or "don't know": that item now counts in its dimension's mean,
  which goes down when it scores below the mean.

``ScoreEffect`` keeps the re-scored values before and after, so the roadmap, the what-if and the
PDF tell the same story from the same numbers: a first score is never shown (or ranked) as a gain
"from 0", and a fall is never shown as a gain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scoring.result import Result

EPS = 1e-9  # below this a change is floating-point noise
MIN_GAIN = 0.01  # points: a smaller rise of the overall score would print as +0.00, so it is not a gain


@dataclass(frozen=True)
class DimensionChange:
    dimension: str
    before: float | None  # None: the dimension had no score
    after: float | None

    @property
    def first_score(self) -> bool:
        """The dimension had no score and gets one."""
        return self.before is None and self.after is not None

    @property
    def change(self) -> float | None:
        """``after − before`` when the dimension has a score both times, else None."""
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class ScoreEffect:
    """Scores before and after, overall and for every dimension whose score changed."""

    overall_before: float | None
    overall_after: float | None
    dimensions: tuple[DimensionChange, ...]  # changed dimensions only, in questionnaire order

    @classmethod
    def between(cls, overall_before: float | None, overall_after: float | None,
                before: Mapping[str, float | None], after: Mapping[str, float | None]) -> ScoreEffect:
        changed = tuple(DimensionChange(d, before[d], after[d]) for d in before
                        if (before[d] is None) != (after[d] is None)
                        or (before[d] is not None and abs(after[d] - before[d]) > EPS))  # type: ignore[operator]
        return cls(overall_before, overall_after, changed)

    @classmethod
    def of(cls, before: Result, after: Result) -> ScoreEffect:
        return cls.between(before.overall, after.overall, before.dimension_scores(), after.dimension_scores())

    @property
    def overall_change(self) -> float | None:
        """The re-scored change of the overall score; None when there was no overall score before (or after)."""
        if self.overall_before is None or self.overall_after is None:
            return None
        return self.overall_after - self.overall_before

    @property
    def raises_overall(self) -> bool:
        """A real gain: the overall score existed and goes up by at least ``MIN_GAIN``."""
        change = self.overall_change
        return change is not None and change >= MIN_GAIN

    @property
    def first_scores(self) -> tuple[DimensionChange, ...]:
        return tuple(c for c in self.dimensions if c.first_score)

    @property
    def lowered(self) -> tuple[DimensionChange, ...]:
        """Dimensions scored before and after whose score goes down (newly counted answers below their mean)."""
        return tuple(c for c in self.dimensions if c.change is not None and c.change < -EPS)

    def gains(self) -> dict[str, float]:
        """Real changes of the dimensions scored before and after (a first score is not in it)."""
        return {c.dimension: c.change for c in self.dimensions if c.change is not None}
