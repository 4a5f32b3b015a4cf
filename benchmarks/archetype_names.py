"""Archetypes named by what they are ("Online first", "Connected shop floor"), not by a letter.

The rule is data (``archetype_names.yaml``): a centroid's strongest dimension, measured as its lead
over the pool mean less the centroid's average lead, picks a shape name; a centroid with no clear
lead is named by its tier (its mean score against the pool's). Clashing names get the tier's
qualifier, then a rank. Pure functions over numbers; the texts are read by ``reports.texts``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field

from content.loader import load_yaml, validate_data
from content.types import Id, Strict, Text
from domain import JsonObject

NAMES_FILE = Path(__file__).with_name("archetype_names.yaml")
Tier = Literal["early", "middle", "leading"]
TIERS: tuple[Tier, ...] = ("early", "middle", "leading")


class ShapeRule(Strict):
    id: Id
    strongest: list[Id] = Field(min_length=1)
    weakest: list[Id] | None = None
    name: Text


class TierText(Strict):
    name: Text
    qualifier: Text


class ArchetypeNames(Strict):
    kind: Literal["archetype_names"]
    min_lead: float = Field(gt=0.0, le=50.0)
    tier_points: float = Field(ge=0.0, le=50.0)
    shapes: list[ShapeRule] = Field(min_length=1)
    tiers: dict[Tier, TierText]


@dataclass(frozen=True, slots=True)
class ArchetypeName:
    """How one archetype is named: a shape rule's id (None: by its tier), its tier, and whether the
    qualifier or a rank (1-based, among same-named archetypes) is needed to tell it apart."""

    shape: str | None
    tier: Tier
    qualified: bool = False
    rank: int | None = None

    def to_json(self) -> JsonObject:
        return {"shape": self.shape, "tier": self.tier, "qualified": self.qualified, "rank": self.rank}


@cache
def load_names(path: Path = NAMES_FILE) -> ArchetypeNames:
    data, lines = load_yaml(path)
    return validate_data(ArchetypeNames, data, lines, str(path))


def tier_of(center: np.ndarray, means: np.ndarray, tier_points: float) -> Tier:
    lead = float(np.mean(center - means))
    return "early" if lead < -tier_points else "leading" if lead > tier_points else "middle"


def shape_of(center: np.ndarray, means: np.ndarray, dimensions: tuple[str, ...], rules: ArchetypeNames) -> str | None:
    """The first shape rule matching the centroid's top and bottom dimensions, if its top one leads clearly."""
    lead = (center - means) - float(np.mean(center - means))
    top, bottom = dimensions[int(np.argmax(lead))], dimensions[int(np.argmin(lead))]
    if float(np.max(lead)) < rules.min_lead:
        return None
    for rule in rules.shapes:
        if top in rule.strongest and (rule.weakest is None or bottom in rule.weakest):
            return rule.id
    return None


def name_archetypes(centers: np.ndarray, means: np.ndarray, dimensions: tuple[str, ...],
                    rules: ArchetypeNames | None = None) -> list[ArchetypeName]:
    """One name per centroid (rows of ``centers``, in their order), distinct from each other."""
    rules = rules or load_names()
    names = [ArchetypeName(shape_of(c, means, dimensions, rules), tier_of(c, means, rules.tier_points)) for c in centers]
    shapes = Counter(n.shape for n in names if n.shape is not None)
    names = [replace(n, qualified=True) if n.shape is not None and shapes[n.shape] > 1 else n for n in names]
    shown = Counter(_shown(n) for n in names)
    ranks: Counter[tuple[str | None, str | None]] = Counter()
    ranked = []
    for n in names:  # still the same words (same shape and tier, or same tier): number them in mean order
        if shown[_shown(n)] > 1:
            ranks[_shown(n)] += 1
            n = replace(n, rank=ranks[_shown(n)])
        ranked.append(n)
    return ranked


def _shown(name: ArchetypeName) -> tuple[str | None, str | None]:
    """What the label's words depend on (the rank aside)."""
    return name.shape, name.tier if name.shape is None or name.qualified else None


def archetype_label(name: ArchetypeName, locale: str, rules: ArchetypeNames | None = None) -> str:
    """The name shown to the firm: the shape's or tier's name, with the qualifier or rank when needed."""
    rules = rules or load_names()
    tier = rules.tiers[name.tier]
    base = next(r.name for r in rules.shapes if r.id == name.shape).get(locale) if name.shape else tier.name.get(locale)
    if name.qualified:
        base = f"{base} ({tier.qualifier.get(locale)})"
    return f"{base} {name.rank}" if name.rank is not None else base
