"""Sections of the results page, in display order.

To add one, write ``def render(ctx: ResultsContext) -> None`` in a module of this package (Streamlit
calls plus ``i18n.t(..., ctx.locale)``; read ``ctx.bundle``, never recompute) and append it below.
A section that fails shows a one-line error; the other sections still render.
"""

from __future__ import annotations

from collections.abc import Callable

from ui.sections import benchmarks, roadmap
from ui.sections.context import ResultsContext

Section = Callable[[ResultsContext], None]
RESULT_SECTIONS: list[Section] = [benchmarks.render, roadmap.render]

__all__ = ["RESULT_SECTIONS", "ResultsContext", "Section"]
