"""Small typed value objects returned by scoring."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain import JsonObject


@dataclass(frozen=True)
class DimensionScore:
    """A dimension's 0–100 score (None when nothing in it was scored) and how it was reached."""

    id: str
    score: float | None
    applicable: int  # applicable scoring units
    answered: int  # units that got a scorable answer
    dont_know: int  # units answered "don't know" (excluded from the mean)

    @property
    def low_confidence(self) -> bool:
        """Half or more of the applicable units unanswered or "don't know"."""
        return self.applicable > 0 and self.answered * 2 < self.applicable


@dataclass(frozen=True)
class DiiResult:
    score: int  # 0..12
    level: str
    basic: bool
    met: tuple[str, ...] = ()  # variable ids met


@dataclass(frozen=True)
class Result:
    overall: float | None
    level: str | None
    dimensions: dict[str, DimensionScore]
    modules: dict[str, float | None]
    dii: DiiResult
    questionnaire: dict[str, str] = field(default_factory=dict)  # id, version, content_hash

    def dimension_scores(self) -> dict[str, float | None]:
        return {k: v.score for k, v in self.dimensions.items()}

    def to_json(self) -> JsonObject:
        return {
            "questionnaire": self.questionnaire,
            "overall": _round(self.overall),
            "level": self.level,
            "dimensions": {k: _round(v.score) for k, v in self.dimensions.items()},
            "modules": {k: _round(v) for k, v in self.modules.items()},
            "dii": {"score": self.dii.score, "level": self.dii.level, "basic": self.dii.basic, "met": list(self.dii.met)},
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
