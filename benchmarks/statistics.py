"""Published adoption rates (Statistics Canada, ISQ, Eurostat, OECD) as validated data.

Each statistic says who was counted (geography, smallest firm size, optional sector, size class
and region breakdown), the year, the value and the URL it was read at. Only numbers read in
``/work/shared/reference/programs-and-benchmarks.md`` (Task B) belong in the data file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, HttpUrl, model_validator

from content.errors import ContentError, Problem
from content.loader import Lines, load_yaml, validate_data
from content.types import Id, Strict, Text
from questionnaires.segments import Segments, load_segments

STATISTICS_FILE = Path(__file__).with_name("statistics.yaml")
Geography = Literal["quebec", "canada", "oecd", "eu"]
# Canadian and Québec figures first, then the OECD average, then the EU (another economy).
GEOGRAPHY_RANK: dict[str, int] = {"quebec": 0, "canada": 0, "oecd": 1, "eu": 2}


class Indicator(Strict):
    id: Id
    label: Text  # "Businesses selling online", phrased as what a firm does


class Population(Strict):
    """Who the survey counted: e.g. Canadian businesses with 5 or more employees."""

    geography: Geography
    min_employees: int = Field(ge=0)
    excluded_sectors: list[str] = Field(default_factory=list)  # e.g. ISQ surveys leave out 61, 62, 81, 91
    label: Text


class Breakdown(Strict):
    """The published cell: all firms of the population unless a sector, size class or region is given."""

    sector: str | None = None  # SCIAN code as in segments.yaml
    size_min: int | None = Field(default=None, ge=0)
    size_max: int | None = Field(default=None, ge=1)
    region: str | None = None  # Québec administrative region code
    label: Text | None = None

    @model_validator(mode="after")
    def _size_range(self) -> Breakdown:
        if self.size_min is not None and self.size_max is not None and self.size_min > self.size_max:
            raise ValueError("size_min is greater than size_max")
        return self


class NewerEdition(Strict):
    """A newer edition of the same survey that the sources reference, whose values are not (yet) here.
    ``python cli.py content check`` warns about the statistic while it is older than N years."""

    year: int = Field(ge=2000, le=2100)
    source: HttpUrl
    note: Text  # what is missing, e.g. "values by sector and size not found in any source read"


class Statistic(Strict):
    indicator: Id
    population: Population
    breakdown: Breakdown = Breakdown()
    year: int = Field(ge=2000, le=2100)
    value: float = Field(ge=0, le=100)  # percent of the population (cell)
    source: HttpUrl
    source_name: str = Field(min_length=1)
    primary: bool  # False: a reproduction of the publisher's figure (press, aggregator)
    newer_edition: NewerEdition | None = None

    @model_validator(mode="after")
    def _newer(self) -> Statistic:
        if self.newer_edition is not None and self.newer_edition.year <= self.year:
            raise ValueError("newer_edition.year must be after the statistic's year")
        return self

    def size_range(self) -> tuple[int, float]:
        """Employees counted by this cell: the breakdown's class, else the population's floor upward."""
        low = self.breakdown.size_min if self.breakdown.size_min is not None else self.population.min_employees
        return max(low, self.population.min_employees), (self.breakdown.size_max or float("inf"))


class StatisticsFile(Strict):
    kind: Literal["benchmark_statistics"]
    indicators: list[Indicator] = Field(min_length=1)
    statistics: list[Statistic] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> StatisticsFile:
        ids = [i.id for i in self.indicators]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate indicator ids {dupes}")
        unknown = sorted({s.indicator for s in self.statistics} - set(ids))
        if unknown:
            raise ValueError(f"statistics for unknown indicator(s) {unknown}")
        return self

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)

    def for_indicator(self, indicator_id: str) -> list[Statistic]:
        return [s for s in self.statistics if s.indicator == indicator_id]


@cache
def load_statistics(path: Path = STATISTICS_FILE) -> StatisticsFile:
    """Load and validate the statistics file; raises ContentError with file:line problems."""
    data, lines = load_yaml(path)
    stats = validate_data(StatisticsFile, data, lines, str(path))
    problems = _unknown_codes(stats, load_segments(), str(path), lines)
    if problems:
        raise ContentError(problems)
    return stats


def _unknown_codes(stats: StatisticsFile, segments: Segments, file: str, lines: Lines) -> list[Problem]:
    """Breakdown sectors and regions must be codes of segments.yaml, or no firm could ever match them."""
    problems = []
    for i, stat in enumerate(stats.statistics):
        for code in stat.population.excluded_sectors:
            if code not in segments.codes("sector"):
                line = lines.get(("statistics", i, "population", "excluded_sectors"), lines.get(("statistics", i)))
                problems.append(Problem(file, line, f"statistics[{i}].population.excluded_sectors", f"unknown sector code {code!r}"))
        for field in ("sector", "region"):
            code = getattr(stat.breakdown, field)
            if code is not None and code not in segments.codes(field):
                line = lines.get(("statistics", i, "breakdown", field), lines.get(("statistics", i)))
                problems.append(Problem(file, line, f"statistics[{i}].breakdown.{field}", f"unknown {field} code {code!r}"))
    return problems
