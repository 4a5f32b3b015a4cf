"""Content that cannot go stale silently: the review status of the shipped content.

``review_content(today)`` loads every content file the roadmap and the benchmarks rely on (the
instrument, the action library, the programme catalog, the published statistics, the indicator
map and the French glossary) and returns a :class:`ContentReview`:

- ``structural``: problems that make the content wrong (a file that does not load or whose
  cross-references fail, ``PATH:LINE: path: message``). ``python cli.py content check`` exits 1.
- ``stale``: entries past their ``review_by`` date (the catalog itself and each open or
  unknown-status programme), and statistics older than ``max_age_years`` while a newer edition is
  referenced (``newer_edition`` in statistics.yaml). Staleness only warns: the command exits 0.

Pure apart from reading the content files; nothing here imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from benchmarks.indicators import IndicatorMap
from content.errors import ContentError
from i18n.glossary import Glossary
from questionnaires.registry import Instrument

T = TypeVar("T")

DEFAULT_MAX_AGE_YEARS = 5


@dataclass(frozen=True)
class StaleItem:
    kind: str  # "catalog" | "programme" | "statistic"
    id: str
    message: str

    def __str__(self) -> str:
        return f"stale {self.kind} {self.id}: {self.message}"


@dataclass(frozen=True)
class ContentReview:
    today: dt.date
    max_age_years: int
    catalog_as_of: dt.date | None = None
    catalog_review_by: dt.date | None = None
    checked: tuple[str, ...] = ()  # what loaded cleanly, e.g. "programmes: 28 entries (10 open)"
    structural: tuple[str, ...] = ()
    stale: tuple[StaleItem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """No structural problem (staleness is reported, never fatal)."""
        return not self.structural

    def lines(self) -> list[str]:
        """The report as printed by ``python cli.py content check``."""
        out = [f"content review on {self.today.isoformat()} (statistics flagged when older than {self.max_age_years} years)"]
        if self.catalog_as_of is not None and self.catalog_review_by is not None:
            out.append(f"programme catalog as of {self.catalog_as_of.isoformat()}, next review by {self.catalog_review_by.isoformat()}")
        out += [f"ok: {line}" for line in self.checked]
        out += [f"error: {line}" for line in self.structural]
        out += [f"warning: {item}" for item in self.stale]
        verdict = "structural problems: FAIL" if self.structural else "structure: OK"
        out.append(f"{verdict}; {len(self.stale)} item(s) due for review")
        return out


def review_content(today: dt.date, max_age_years: int = DEFAULT_MAX_AGE_YEARS, *, programmes_path: Path | None = None,
                   actions_path: Path | None = None, statistics_path: Path | None = None,
                   glossary_path: Path | None = None) -> ContentReview:
    """Load and check the shipped content (or the given files) as of ``today``."""
    from benchmarks import statistics as stats_module
    from questionnaires.registry import get_instrument
    from recommendations import catalog as cat

    checked: list[str] = []
    structural: list[str] = []
    stale: list[StaleItem] = []

    def attempt(what: str, load: Callable[[], T]) -> T | None:
        try:
            return load()
        except ContentError as exc:
            structural.extend(str(p) for p in exc.problems)
        except (OSError, ValueError) as exc:
            structural.append(f"{what}: {exc}")
        return None

    instrument = attempt("questionnaire", get_instrument)
    programmes = attempt("programmes", lambda: cat.load_programmes(programmes_path or cat.PROGRAMMES_FILE))
    if instrument is not None and programmes is not None:
        actions = attempt("actions", lambda: cat.load_actions(instrument, programmes, actions_path or cat.ACTIONS_FILE))
        if actions is not None:
            checked.append(f"actions: {len(actions)} actions, every support open and able to match")
    statistics = attempt("statistics", lambda: stats_module.load_statistics.__wrapped__(statistics_path or stats_module.STATISTICS_FILE))
    if instrument is not None:
        attempt("indicator map", lambda: _indicator_map(instrument))
    glossary = attempt("glossary", lambda: _glossary(glossary_path))
    if glossary is not None:
        checked.append(f"glossary: {len(glossary.concepts)} concepts")

    catalog_as_of = catalog_review_by = None
    if programmes is not None:
        catalog_as_of, catalog_review_by = programmes.as_of, programmes.review_by
        n_open = sum(1 for s in programmes.supports if s.is_open)
        checked.append(f"programmes: {len(programmes.supports)} entries ({n_open} open, "
                       f"{sum(1 for s in programmes.supports if s.is_history)} history)")
        if programmes.review_by < today:
            stale.append(StaleItem("catalog", "programmes.yaml", f"review_by {programmes.review_by} has passed"))
        for support in programmes.supports:
            if support.review_by is not None and support.review_by < today:
                status = f"status {support.status.value} as of {support.status.as_of}"
                stale.append(StaleItem("programme", support.id, f"review_by {support.review_by} has passed ({status})"))
    if statistics is not None:
        checked.append(f"statistics: {len(statistics.statistics)} figures")
        for i, stat in enumerate(statistics.statistics):
            newer = stat.newer_edition
            if newer is not None and today.year - stat.year > max_age_years:
                label = stat.breakdown.label.en if stat.breakdown.label else stat.population.label.en
                stale.append(StaleItem("statistic", f"statistics[{i}] {stat.indicator} ({label}, {stat.year})",
                                       f"older than {max_age_years} years; newer edition {newer.year} referenced at "
                                       f"{newer.source}: {newer.note.en}"))
    return ContentReview(today, max_age_years, catalog_as_of, catalog_review_by, tuple(checked), tuple(structural), tuple(stale))


def _indicator_map(instrument: Instrument) -> IndicatorMap:
    from benchmarks.indicators import load_indicator_map

    return load_indicator_map(instrument.questionnaire)


def _glossary(path: Path | None) -> Glossary:
    from i18n.glossary import GLOSSARY_FILE, load_glossary

    return load_glossary(path or GLOSSARY_FILE)
