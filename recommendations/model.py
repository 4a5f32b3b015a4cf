"""Typed models of the two recommendation catalogs (pydantic v2, ``extra="forbid"``).

- ``actions.yaml``: the action library (what to do, when it applies, what it changes).
- ``programmes.yaml``: the Plan d'action en économie numérique (2016), its measures, and related
  programmes, each with a status, an as-of date and sources.

A node checks only itself here; references between nodes and to the instrument are checked in
:mod:`recommendations.catalog`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from questionnaires.model import Condition, Id, Strict, Text

EFFORTS = ("low", "medium", "high")
COST_BANDS = ("under_5k", "5k_25k", "25k_100k", "over_100k")
HORIZONS = ("h0_3", "h3_12", "h12_24")
Url = str


def _check_urls(urls: list[str]) -> list[str]:
    bad = [u for u in urls if not u.startswith(("https://", "http://"))]
    if bad:
        raise ValueError(f"sources must be http(s) URLs: {bad}")
    return urls


class DimensionBelow(Strict):
    """Fires when a dimension's 0–100 score is below ``score`` (or could not be scored)."""

    dimension: Id
    score: float = Field(gt=0.0, le=100.0)


class Trigger(Strict):
    """One reason to suggest an action; exactly one of ``dimension_below`` or ``when``."""

    dimension_below: DimensionBelow | None = None
    when: Condition | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Trigger:
        if (self.dimension_below is None) == (self.when is None):
            raise ValueError("a trigger needs exactly one of: dimension_below, when")
        return self


class Effect(Strict):
    """What doing the action changes in the answers, used by the what-if.

    - single or matrix row: ``{question, item?, set: option id}``, applied only if it raises the answer;
    - checklist: ``{question, add: [option ids]}`` (an exclusive "none" box is unticked);
    - number: ``{question, at_least: value}``.
    """

    question: Id
    item: Id | None = None
    set: Id | None = None
    add: list[Id] | None = Field(default=None, min_length=1)
    at_least: float | None = Field(default=None, ge=0.0)

    @model_validator(mode="after")
    def _one_change(self) -> Effect:
        changes = [name for name in ("set", "add", "at_least") if getattr(self, name) is not None]
        if len(changes) != 1:
            raise ValueError("an effect needs exactly one of: set, add, at_least")
        return self

    @property
    def form(self) -> Literal["set", "add", "at_least"]:
        """Which change it makes (the question's kind says which one it takes)."""
        return "set" if self.set is not None else "add" if self.add is not None else "at_least"

    @property
    def change(self) -> str | list[str] | float:
        change = self.set if self.set is not None else self.add if self.add is not None else self.at_least
        assert change is not None  # exactly one is given (checked above)
        return change


class Applicability(Strict):
    """Which firms an action suits; an absent list means every code."""

    sectors: list[str] | None = Field(default=None, min_length=1)
    sizes: list[str] | None = Field(default=None, min_length=1)


class Action(Strict):
    id: Id
    dimension: Id  # the dimension the action mainly serves (for grouping and display)
    title: Text
    why: Text
    first_steps: list[Text] = Field(min_length=1, max_length=5)
    triggers: list[Trigger] = Field(min_length=1)
    effects: list[Effect] = Field(min_length=1)
    effort: Literal["low", "medium", "high"]
    cost: Literal["under_5k", "5k_25k", "25k_100k", "over_100k"]
    horizon: Literal["h0_3", "h3_12", "h12_24"]
    prerequisites: list[Id] = Field(default_factory=list)
    applies_to: Applicability = Field(default_factory=Applicability)
    supports: list[Id] = Field(default_factory=list)  # ids in programmes.yaml

    @field_validator("prerequisites", "supports")
    @classmethod
    def _unique(cls, ids: list[str]) -> list[str]:
        if len(set(ids)) != len(ids):
            raise ValueError("ids are listed twice")
        return ids


class ActionLibrary(Strict):
    kind: Literal["actions"]
    schema_version: Literal[1]
    questionnaire: str  # the instrument id whose question and item ids the effects use
    actions: list[Action] = Field(min_length=1)


class Axis(Strict):
    id: Id
    number: int = Field(ge=1, le=9)
    title: Text


class Plan(Strict):
    id: Id
    title: Text
    published: str  # as the source gives it, e.g. "2016-05"
    measure_count: int | None = Field(default=None, ge=1)
    summary: Text
    axes: list[Axis] = Field(min_length=1)
    sources: list[Url] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _http(cls, urls: list[str]) -> list[str]:
        return _check_urls(urls)


class AxisLink(Strict):
    """The plan axis an entry belongs to; ``confirmed: false`` when no source states it."""

    id: Id
    confirmed: bool


class Status(Strict):
    value: Literal["open", "closed", "unknown"]
    as_of: dt.date
    note: Text | None = None


class Support(Strict):
    """A plan measure or a programme a firm can turn to (or could, if it is now closed)."""

    id: Id
    kind: Literal["measure", "programme"]
    name: Text
    level: Literal["quebec", "federal"]
    plan_link: Literal["confirmed", "unconfirmed", "none"]  # is it part of the plan?
    measure_number: int | None = Field(default=None, ge=1)  # only where a source gives it
    axis: AxisLink | None = None
    audience: Text
    offers: Text
    status: Status
    sources: list[Url] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _http(cls, urls: list[str]) -> list[str]:
        return _check_urls(urls)

    @model_validator(mode="after")
    def _plan_fields(self) -> Support:
        if self.plan_link == "none" and (self.axis is not None or self.measure_number is not None):
            raise ValueError("an entry outside the plan takes no axis or measure number")
        if self.measure_number is not None and self.plan_link != "confirmed":
            raise ValueError("a measure number needs a confirmed plan link")
        return self

    @property
    def is_closed(self) -> bool:
        return self.status.value == "closed"


class ProgrammeCatalog(Strict):
    kind: Literal["programmes"]
    schema_version: Literal[1]
    plan: Plan
    supports: list[Support] = Field(min_length=1)
