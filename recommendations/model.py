"""Typed models of the two recommendation catalogs (pydantic v2, ``extra="forbid"``).

- ``actions.yaml``: the action library (what to do, when it applies, what it changes).
- ``programmes.yaml``: the Plan d'action en économie numérique (2016–2021, now history), its
  measures, and current programmes and advice networks, each with a status (open, closed, ended,
  unknown) and its evidence, an as-of date, a review-by date, eligibility and sources.

A node checks only itself here; references between nodes and to the instrument are checked in
:mod:`recommendations.catalog`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from content.types import Id, Strict, Text
from questionnaires.model import Condition

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
    period: tuple[int, int]  # first and last year of the plan, e.g. (2016, 2021): shown as history once over
    period_source: Url
    measure_count: int | None = Field(default=None, ge=1)
    summary: Text
    axes: list[Axis] = Field(min_length=1)
    sources: list[Url] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _http(cls, urls: list[str]) -> list[str]:
        return _check_urls(urls)

    @model_validator(mode="after")
    def _period(self) -> Plan:
        if self.period[0] > self.period[1]:
            raise ValueError("the plan's period ends before it starts")
        _check_urls([self.period_source])
        return self


class AxisLink(Strict):
    """The plan axis an entry belongs to; ``confirmed: false`` when no source states it."""

    id: Id
    confirmed: bool


STATUSES = ("open", "closed", "ended", "unknown")
HISTORY = ("closed", "ended")  # kept as history, never offered as a support for a new action
Organisation = Literal["business", "social_economy", "non_profit", "municipality", "telecom_operator", "research", "incubator"]


class Status(Strict):
    """Whether a firm can apply today. ``open``, ``closed`` and ``ended`` need the evidence: a
    sentence (``note``) and the URL it was read at (``source``); ``unknown`` says it was not found."""

    value: Literal["open", "closed", "ended", "unknown"]
    as_of: dt.date  # when the status was checked against its source
    note: Text | None = None
    source: Url | None = None

    @field_validator("source")
    @classmethod
    def _http(cls, url: str | None) -> str | None:
        return None if url is None else _check_urls([url])[0]

    @model_validator(mode="after")
    def _evidence(self) -> Status:
        if self.value != "unknown" and (self.note is None or self.source is None):
            raise ValueError(f"a status '{self.value}' needs its evidence: note and source")
        return self


class Eligibility(Strict):
    """Who may apply. An absent list means every code; ``organisations`` is the type of
    organisation (a firm using this tool is a ``business``). Codes are those of segments.yaml."""

    organisations: list[Organisation] = Field(default_factory=lambda: list[Organisation](["business"]), min_length=1)
    sizes: list[str] | None = Field(default=None, min_length=1)
    sectors: list[str] | None = Field(default=None, min_length=1)
    regions: list[str] | None = Field(default=None, min_length=1)
    excluded_regions: list[str] = Field(default_factory=list)
    note: Text | None = None  # conditions the profile cannot check (revenue, plan already made, ...)

    @model_validator(mode="after")
    def _regions(self) -> Eligibility:
        if self.regions is not None and set(self.regions) & set(self.excluded_regions):
            raise ValueError("a region is both included and excluded")
        return self


class Support(Strict):
    """A plan measure, a programme or an advice network a firm can turn to (or could, before it closed)."""

    id: Id
    kind: Literal["measure", "programme", "advice"]
    name: Text
    level: Literal["quebec", "federal", "municipal"]
    plan_link: Literal["confirmed", "unconfirmed", "none"]  # is it part of the plan?
    measure_number: int | None = Field(default=None, ge=1)  # only where a source gives it
    axis: AxisLink | None = None
    audience: Text
    eligibility: Eligibility = Field(default_factory=Eligibility)
    offers: Text  # what it pays for or provides
    amounts: Text | None = None  # only amounts read in a source
    legacy: Text | None = None  # what a closed or ended entry led to, where a source says so
    status: Status
    review_by: dt.date | None = None  # when the entry must be checked again (required unless history)
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
        if not self.is_history and self.review_by is None:
            raise ValueError(f"a '{self.status.value}' entry needs a review_by date")
        if self.review_by is not None and self.review_by <= self.status.as_of:
            raise ValueError("review_by must come after status.as_of")
        return self

    @property
    def is_history(self) -> bool:
        """Closed or ended: kept in the catalog as history, never offered for a new action."""
        return self.status.value in HISTORY

    @property
    def is_closed(self) -> bool:  # kept for callers written before "ended" existed
        return self.is_history

    @property
    def is_open(self) -> bool:
        return self.status.value == "open"


class ProgrammeCatalog(Strict):
    kind: Literal["programmes"]
    schema_version: Literal[2]
    as_of: dt.date  # the date the whole catalog was last reviewed (printed on the PDF and the results page)
    review_by: dt.date  # the next full review
    plan: Plan
    supports: list[Support] = Field(min_length=1)
