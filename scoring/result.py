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
    not_applicable: int = 0  # units of the dimension that do not apply to this firm (module, show_if)

    @property
    def unanswered(self) -> int:
        """Applicable units with no answer at all (neither scorable nor "don't know")."""
        return self.applicable - self.answered - self.dont_know

    @property
    def low_confidence(self) -> bool:
        """Fewer than half of the applicable units have a scorable answer."""
        return self.applicable > 0 and self.answered * 2 < self.applicable

    def counts(self) -> dict[str, int | bool]:
        """What ``cli.py score`` prints per dimension next to the score."""
        return {"applicable": self.applicable, "answered": self.answered, "dont_know": self.dont_know,
                "unanswered": self.unanswered, "not_applicable": self.not_applicable, "low_confidence": self.low_confidence}


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
            "confidence": {k: v.counts() for k, v in self.dimensions.items()},  # added last: earlier fields keep their order
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
