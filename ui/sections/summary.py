"""The top of the results page: the essentials first (overall level and what it means, strongest
and weakest dimensions, the first three actions, the PDF report), then the details below.

It lays out the firm's results bundle (``ctx.bundle``); nothing is computed here.
"""

from __future__ import annotations

import streamlit as st

from i18n import format_score, t
from ui.results_view import DimensionRow, level_description, level_label
from ui.sections.context import ResultsContext
from ui.sections.roadmap import download_button
from ui.text import literal


def render(ctx: ResultsContext, rows: list[DimensionRow]) -> None:
    bundle, locale = ctx.bundle, ctx.locale
    q, result = bundle.instrument.questionnaire, bundle.result
    with st.container(border=True, key="results-summary"):
        st.subheader(t("app.summary.title", locale))
        overall, level = st.columns(2)
        overall.metric(t("common.overall", locale), format_score(result.overall, locale))
        level.metric(t("common.level", locale), level_label(q, result.level, locale))
        st.markdown(level_description(q, result.level, locale))
        scored = sorted((r for r in rows if r.score is not None), key=lambda r: r.score or 0.0, reverse=True)
        strong, weak = st.columns(2)
        strong.markdown(f"**{t('app.summary.strengths', locale)}**")
        strong.markdown("\n".join(f"- {literal(r.label)} ({r.shown})" for r in scored[:3]))
        weak.markdown(f"**{t('app.summary.weaknesses', locale)}**")
        weak.markdown("\n".join(f"- {literal(r.label)} ({r.shown})" for r in reversed(scored[-3:])))
        if bundle.roadmap.items:
            st.markdown(f"**{t('app.summary.first_actions', locale)}**")
            st.markdown("\n".join(f"{i}. {literal(item.action.title.get(locale))}"
                                  for i, item in enumerate(bundle.roadmap.items[:3], start=1)))
        download_button(bundle, locale, ctx.assessment_id, synthetic=ctx.synthetic)
        st.caption(t("app.summary.why_differ", locale))
