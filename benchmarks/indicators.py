"""What share of comparable businesses do X (official statistics), and does this firm do X?

The link from instrument items to "the firm does X" is data (``indicator_map.yaml``): one
structured condition per indicator, evaluated like any other condition of the instrument. For
each indicator we pick the closest published cell: Canadian/Québec before OECD before EU, the
firm's sector before all industries, a survey that covers the firm's sector, its region, then
the size class that holds the firm, then the latest year; every population difference is
returned as a caveat code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from benchmarks.statistics import GEOGRAPHY_RANK, Statistic, StatisticsFile, load_statistics
from content.errors import ContentError, Problem
from content.loader import Lines, load_yaml, validate_data
from content.types import Id, Strict
from domain import Answers, JsonObject, Profile
from questionnaires.checks import Report, check_condition  # the instrument's own condition checks
from questionnaires.model import DONT_KNOW, Condition, Questionnaire, per_questionnaire
from questionnaires.segments import Segments, load_segments
from scoring.applicability import applicable_answers, evaluate
from scoring.engine import score_dii

INDICATOR_MAP_FILE = Path(__file__).with_name("indicator_map.yaml")
CANADIAN = ("quebec", "canada")


class IndicatorMapping(Strict):
    """``when``: a condition on the firm's answers; or ``measure``: a result of scoring."""

    indicator: Id
    when: Condition | None = None
    measure: Literal["dii_basic"] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> IndicatorMapping:
        if (self.when is None) == (self.measure is None):
            raise ValueError("give exactly one of 'when' or 'measure'")
        return self


class IndicatorMap(Strict):
    kind: Literal["indicator_map"]
    questionnaire: Id | str
    mappings: list[IndicatorMapping] = Field(min_length=1)


@dataclass(frozen=True)
class IndicatorComparison:
    """One indicator: the firm's answer against the closest published figure."""

    indicator: str
    label: dict[str, str]  # {fr, en}
    firm_value: bool | None  # None: the firm did not answer (or answered "don't know")
    reference_value: float  # percent
    year: int
    geography: str
    population: dict[str, str]  # {fr, en}
    breakdown: dict[str, str] | None  # the cell used, {fr, en}; None: the whole population
    breakdown_used: tuple[str, ...]  # which of sector / size / region matched the firm
    source: str
    source_name: str
    primary: bool
    caveats: tuple[str, ...]  # "size_outside_population", "size_partly_outside", "sector_outside_population", "other_economy"

    def to_json(self) -> JsonObject:
        return {
            "id": self.indicator, "label": self.label, "firm_value": self.firm_value,
            "reference_value": self.reference_value, "year": self.year, "geography": self.geography,
            "population": self.population, "breakdown": self.breakdown, "breakdown_used": list(self.breakdown_used),
            "source": self.source, "source_name": self.source_name, "primary": self.primary, "caveats": list(self.caveats),
        }


def load_indicator_map(q: Questionnaire, path: Path = INDICATOR_MAP_FILE, stats: StatisticsFile | None = None,
                       segments: Segments | None = None) -> IndicatorMap:
    """Load the mapping and check it against the instrument's ids and the statistics' indicators."""
    data, lines = load_yaml(path)
    mapping = validate_data(IndicatorMap, data, lines, str(path))
    problems = check_indicator_map(mapping, q, stats or load_statistics(), segments or load_segments(), str(path), lines)
    if problems:
        raise ContentError(problems)
    return mapping


def check_indicator_map(mapping: IndicatorMap, q: Questionnaire, stats: StatisticsFile, segments: Segments,
                        file: str, lines: Lines) -> list[Problem]:
    report = Report(file, lines)
    if mapping.questionnaire != q.id:
        report.add(("questionnaire",), f"this mapping is for {mapping.questionnaire!r}, not {q.id!r}")
        return report.problems
    known = {i.id for i in stats.indicators}
    questions = {x.id: x for x in q.questions}
    seen: set[str] = set()
    for i, m in enumerate(mapping.mappings):
        if m.indicator not in known:
            report.add(("mappings", i, "indicator"), f"unknown indicator {m.indicator!r}; expected one of {sorted(known)}")
        if m.indicator in seen:
            report.add(("mappings", i, "indicator"), f"indicator {m.indicator!r} is mapped twice")
        seen.add(m.indicator)
        if m.when is not None:
            check_condition(m.when, ("mappings", i, "when"), questions, questions, q, segments, report)
    return report.problems


@per_questionnaire
def default_indicator_map(q: Questionnaire) -> IndicatorMap | None:
    """The shipped mapping if it is written for ``q`` (other instruments have no mapping yet)."""
    data, _ = load_yaml(INDICATOR_MAP_FILE)
    return load_indicator_map(q) if data.get("questionnaire") == q.id else None


def firm_does(mapping: IndicatorMapping, q: Questionnaire, profile: Profile, effective: Answers) -> bool | None:
    """Whether the firm does what the indicator counts; None when every question it rests on is unanswered."""
    when = mapping.when
    if mapping.measure == "dii_basic" or when is None:  # a mapping has exactly one of the two
        return score_dii(q, profile, effective).basic
    unanswered: tuple[object, ...] = (None, DONT_KNOW, {})
    if all(effective.get(r.question) in unanswered for r in when.question_refs() if r.question is not None):
        return None
    return evaluate(when, q, profile, effective)


def size_fit(stat: Statistic, band: tuple[int, float]) -> int:
    """0: the firm's size band lies inside the cell; 1: it overlaps it; 2: it lies outside."""
    low, high = stat.size_range()
    if band[0] >= low and band[1] <= high:
        return 0
    return 1 if band[0] <= high and band[1] >= low else 2


def closest_statistic(stats: list[Statistic], profile: Profile, band: tuple[int, float]) -> Statistic | None:
    """The published cell closest to the firm (see the module docstring for the order)."""
    candidates = [s for s in stats if s.breakdown.sector in (None, profile.sector) and s.breakdown.region in (None, profile.region)]
    if not candidates:
        return None
    return min(candidates, key=lambda s: (GEOGRAPHY_RANK[s.population.geography], s.breakdown.sector is None,
                                          profile.sector in s.population.excluded_sectors,
                                          s.breakdown.region is None, size_fit(s, band), -s.year))


def caveats_for(stat: Statistic, profile: Profile, band: tuple[int, float]) -> tuple[str, ...]:
    fit = size_fit(stat, band)
    out = ["size_outside_population"] if fit == 2 else (["size_partly_outside"] if fit == 1 else [])
    if profile.sector in stat.population.excluded_sectors:
        out.append("sector_outside_population")
    if stat.population.geography not in CANADIAN:
        out.append("other_economy")
    return tuple(out)


def size_band(segments: Segments, code: str) -> tuple[int, float]:
    band = next(b for b in segments.sizes.items if b.code == code)
    return band.min_employees, (band.max_employees or float("inf"))


def compare_indicators(q: Questionnaire, profile: Profile, answers: Answers, mapping: IndicatorMap | None = None,
                       stats: StatisticsFile | None = None, segments: Segments | None = None) -> list[IndicatorComparison]:
    """One comparison per mapped indicator that has a published figure for a population like the firm's."""
    mapping = mapping or default_indicator_map(q)
    if mapping is None:
        return []
    stats, segments = stats or load_statistics(), segments or load_segments()
    _, effective = applicable_answers(q, profile, answers)
    band = size_band(segments, profile.size)
    out = []
    for m in mapping.mappings:
        stat = closest_statistic(stats.for_indicator(m.indicator), profile, band)
        if stat is None:
            continue
        used = tuple(f for f, v in (("sector", stat.breakdown.sector), ("region", stat.breakdown.region)) if v is not None)
        used += ("size",) if stat.breakdown.size_min is not None or stat.breakdown.size_max is not None else ()
        label = stats.indicator(m.indicator).label
        out.append(IndicatorComparison(
            m.indicator, label.model_dump(), firm_does(m, q, profile, effective), stat.value, stat.year,
            stat.population.geography, stat.population.label.model_dump(),
            stat.breakdown.label.model_dump() if stat.breakdown.label else None, used,
            str(stat.source), stat.source_name, stat.primary, caveats_for(stat, profile, band)))
    return out
