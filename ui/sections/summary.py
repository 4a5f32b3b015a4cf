"""The top of the results page: the essentials first (overall level and what it means, a radar of
the dimensions against the peer median, strongest and weakest dimensions, the first three actions,
the PDF report), then the details in tabs below.

It lays out the firm's results bundle (``ctx.bundle``); nothing is computed here.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from i18n import format_score, t
from reports.texts import overall_percentile_sentence
from ui.results_view import DimensionRow, PeerMedians, level_description, level_label, peer_medians, radar_records, strongest_and_weakest
from ui.sections.context import ResultsContext
from ui.sections.roadmap import download_button
from ui.text import literal

FIRM_COLOUR, MEDIAN_COLOUR = "#b3261e", "#1f5f99"


def render(ctx: ResultsContext, rows: list[DimensionRow]) -> None:
    bundle, locale = ctx.bundle, ctx.locale
    q, result = bundle.instrument.questionnaire, bundle.result
    with st.container(border=True, key="results-summary"):
        st.subheader(t("app.summary.title", locale))
        overall, level = st.columns(2)
        overall.metric(t("common.overall", locale), format_score(result.overall, locale))
        level.metric(t("common.level", locale), level_label(q, result.level, locale))
        st.markdown(t("app.summary.meaning", locale, text=level_description(q, result.level, locale)))
        _percentile(ctx)
        _radar(ctx, rows)
        strong, weak = strongest_and_weakest(rows)
        left, right = st.columns(2)
        left.markdown(f"**{t('app.summary.strengths', locale)}**")
        left.markdown("\n".join(f"- {literal(r.label)} ({r.shown})" for r in strong))
        right.markdown(f"**{t('app.summary.weaknesses', locale)}**")
        right.markdown("\n".join(f"- {literal(r.label)} ({r.shown})" for r in weak))
        if bundle.roadmap.items:
            st.markdown(f"**{t('app.summary.first_actions', locale)}**")
            st.markdown("\n".join(f"{i}. {literal(item.action.title.get(locale))}"
                                  for i, item in enumerate(bundle.roadmap.items[:3], start=1)))
        download_button(bundle, locale, ctx.assessment_id, synthetic=ctx.synthetic)


def _percentile(ctx: ResultsContext) -> None:
    peers = ctx.bundle.peers
    overall = peers.metrics.get("overall") if peers is not None else None
    if overall is not None and overall.percentile is not None:
        st.markdown(overall_percentile_sentence(overall.percentile, overall.n, overall.cell, ctx.locale))


def _radar(ctx: ResultsContext, rows: list[DimensionRow]) -> None:
    locale, peers = ctx.locale, ctx.bundle.peers
    medians = peer_medians(rows, peers)
    firm, median = t("app.summary.radar_firm", locale), t("app.summary.radar_median", locale)
    st.markdown(f"**{t('app.summary.radar_title' if medians else 'app.summary.radar_scores_only', locale)}**")
    if medians is None:  # say why there is no median instead of drawing an empty comparison
        k = peers.k if peers is not None else 0
        st.info(t("app.summary.no_pool" if ctx.bundle.benchmarks is None else "app.summary.no_peers", locale, k=k))
    elif any(v is None for v in medians.medians.values()):
        st.caption(t("app.summary.radar_partial", locale, k=peers.k if peers is not None else 0))
    st.altair_chart(radar_chart(rows, medians, firm, median), width="content")
    with st.expander(t("app.summary.radar_table", locale)):  # the same figures for screen readers and keyboards
        table = {t("app.results.dimension", locale): [r.label for r in rows], firm: [r.shown for r in rows]}
        if medians is not None:
            table[median] = [format_score(medians.medians.get(r.id), locale) for r in rows]
        st.table(table)


def radar_chart(rows: list[DimensionRow], medians: PeerMedians | None, firm: str, median: str) -> alt.LayerChart:
    data = radar_records(rows, medians, firm, median)
    # wider than tall for the labels left and right; the same pixels per point on both axes keep the rings round
    x = alt.X("x:Q", scale=alt.Scale(domain=[-235, 235]), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[-165, 165]), axis=None)
    grid = alt.Chart(alt.Data(values=data["grid"])).mark_line(color="#c8c8c8", strokeWidth=1).encode(
        x=x, y=y, detail="ring:N", order="i:Q")
    colour = alt.Color("series:N", scale=alt.Scale(domain=[firm, median], range=[FIRM_COLOUR, MEDIAN_COLOUR]),
                       legend=alt.Legend(orient="bottom", title=None, labelLimit=320))
    series = alt.Chart(alt.Data(values=data["series"]))
    lines = series.transform_filter("datum.line").mark_line(strokeWidth=2).encode(x=x, y=y, color=colour, detail="series:N",
                                                                                  order="i:Q")
    points = series.mark_point(filled=True, size=50).encode(
        x=x, y=y, color=colour, shape=alt.Shape("series:N", legend=None),
        tooltip=[alt.Tooltip("series:N", title=" "), alt.Tooltip("dimension:N", title=" "), alt.Tooltip("score:Q", format=".1f")])
    labels = [alt.Chart(alt.Data(values=[r for r in data["labels"] if r["align"] == align])).mark_text(
        align=align, baseline="middle", fontSize=12, lineBreak="\n", dx={"left": 4, "right": -4, "center": 0}[align]).encode(
        x=x, y=y, text="label:N") for align in ("left", "right", "center")]
    return alt.layer(grid, lines, points, *labels).properties(width=640, height=450).configure_view(stroke=None)
