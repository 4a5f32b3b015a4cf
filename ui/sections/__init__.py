"""Sections of the results page: the summary first (``summary.render``), then the details in tabs.

To add a section, write ``def render(ctx: ResultsContext) -> None`` in a module of this package
(Streamlit calls plus ``i18n.t(..., ctx.locale)``; read ``ctx.bundle``, never recompute) and put it
in its tab below, or append it to ``RESULT_SECTIONS`` to show it after the tabs. A section that
fails shows a one-line error; the other sections still render.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ui.sections import benchmarks, roadmap, scores
from ui.sections.context import ResultsContext

Section = Callable[[ResultsContext], None]


@dataclass(frozen=True)
class Tab:
    label_key: str  # i18n key of the tab's label
    sections: tuple[Section, ...]


RESULT_TABS: tuple[Tab, ...] = (
    Tab("app.results.tab.scores", (scores.render,)),
    Tab("app.results.tab.comparison", (benchmarks.render_comparison,)),
    Tab("app.results.tab.statistics", (benchmarks.render_statistics,)),
    Tab("app.results.tab.roadmap", (roadmap.render,)),
    Tab("app.results.tab.whatif", (roadmap.render_what_if,)),
)
RESULT_SECTIONS: list[Section] = []  # sections added by other packages, shown after the tabs

__all__ = ["RESULT_SECTIONS", "RESULT_TABS", "ResultsContext", "Section", "Tab"]
