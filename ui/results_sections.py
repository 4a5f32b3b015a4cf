"""Extension slots of the results page.

The results page draws its own content (scores, chart, DII, "complete" button) and then calls
every function in ``RESULT_SECTIONS``, in order, with one ``ResultsContext``. To add a section
(benchmarks, roadmap and PDF, ...), write ``def render(ctx: ResultsContext) -> None`` in your own
module using Streamlit calls and ``i18n.t(..., ctx.locale)`` for its text, then append it here::

    from benchmarks.ui import render as benchmarks_section
    RESULT_SECTIONS.append(benchmarks_section)

Import heavy libraries inside ``render``. A section must not change ``ctx.answers``: it is the
session's working copy. A section that fails shows an error box; the other sections still render.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain import Profile
from questionnaires.registry import Instrument
from scoring.result import Result


@dataclass(frozen=True)
class ResultsContext:
    instrument: Instrument  # the questionnaire version the assessment was started with
    profile: Profile
    answers: dict[str, Any]
    result: Result  # scoring.engine.score_firm(instrument, profile, answers)
    locale: str  # "fr" or "en"
    assessment_id: Any
    repo: Any  # storage.Repository


RESULT_SECTIONS: list[Callable[[ResultsContext], None]] = []

# Sections registered by other areas, in display order.
from ui.sections_benchmarks import render as benchmarks_section  # noqa: E402
from ui.sections_roadmap import render as roadmap_section  # noqa: E402

RESULT_SECTIONS.append(benchmarks_section)
RESULT_SECTIONS.append(roadmap_section)
