"""The comparison pool shared by the results-page sections (benchmarks, roadmap): loaded once
per database and questionnaire version, and reloaded every POOL_TTL_SECONDS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import streamlit as st

if TYPE_CHECKING:
    from ui.results_sections import ResultsContext

POOL_TTL_SECONDS = 300  # new assessments join the pool within five minutes


@st.cache_resource(ttl=POOL_TTL_SECONDS, show_spinner=False)
def _load(_repo: Any, _instrument: Any, content_hash: str, database: str) -> Any:  # benchmarks.report.Pool
    from benchmarks.report import load_pool

    return load_pool(_repo, _instrument)


def comparison_pool(ctx: ResultsContext) -> Any:
    return _load(ctx.repo, ctx.instrument, ctx.instrument.content_hash, str(ctx.repo.engine.url))
