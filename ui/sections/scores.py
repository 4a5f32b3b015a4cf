"""Results-page section (the Scores tab): a bar per dimension, its table, what each dimension's
level means for a firm like this one, and the DII. It lays out ``ctx.bundle``; nothing is computed here."""

from __future__ import annotations

import altair as alt
import streamlit as st

from i18n import t
from ui.results_view import chart_data, dii_level_label, dimension_rows
from ui.sections.context import ResultsContext
from ui.text import literal


def render(ctx: ResultsContext) -> None:
    locale, result = ctx.locale, ctx.bundle.result
    q = ctx.bundle.instrument.questionnaire
    rows = dimension_rows(q, result, locale)
    st.subheader(t("app.results.by_dimension", locale))
    bars = chart_data(rows)
    if bars:
        base = alt.Chart(alt.Data(values=bars)).encode(
            y=alt.Y("dimension:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title=t("app.results.axis", locale)),
            tooltip=[alt.Tooltip("dimension:N", title=t("app.results.dimension", locale)),
                     alt.Tooltip("shown:N", title=t("app.results.score", locale))],
        )
        chart = base.mark_bar(color="#1f5f99") + base.mark_text(align="left", dx=4).encode(text="shown:N")
        st.altair_chart(chart.properties(height=34 * len(bars) + 20), width="stretch")
    st.table({t("app.results.dimension", locale): [r.label for r in rows],
              t("app.results.score", locale): [r.shown + (" *" if r.low_confidence else "") for r in rows]})
    if any(r.low_confidence for r in rows):
        st.caption(literal(t("app.results.low_confidence", locale)))  # its leading "*" is a footnote mark, not a bullet
    for r in rows:  # what a firm at this level typically has or does, dimension by dimension
        if r.interpretation:
            st.markdown(t("app.results.dimension_level", locale, name=literal(r.label), score=r.shown, level=r.level))
            st.markdown(literal(r.interpretation))

    st.subheader(t("common.dii", locale))
    dii_score, dii_level = st.columns(2)
    dii_score.metric(t("app.results.dii_score", locale), f"{result.dii.score} / 12", border=True)
    dii_level.metric(t("common.level", locale), dii_level_label(q, result.dii.level, locale), border=True)
    basic = "app.results.dii_basic_yes" if result.dii.basic else "app.results.dii_basic_no"
    st.markdown(t(basic, locale, min=q.dii.basic_min))
    st.caption(t("app.summary.why_differ", locale))
    st.caption(q.dii.note.get(locale))
