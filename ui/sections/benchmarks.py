"""Results-page section: the firm against its peers (chart and table), official statistics with
sources, its archetype and what similar, more advanced firms use. It lays out the firm's results
bundle (``ctx.bundle``); nothing is computed here."""

from __future__ import annotations

from typing import Any

import streamlit as st

from benchmarks.peers import PeerComparison
from benchmarks.report import BenchmarkReport
from i18n import format_score, t
from questionnaires.model import Questionnaire
from reports.texts import (
    archetype_name,
    cell_label,
    describe_firm_archetype,
    dimension_label,
    indicator_lines,
    neighbour_lines,
    percentile_text,
)
from services.results import ResultsBundle
from ui.sections.context import ResultsContext
from ui.text import literal


def peer_rows(q: Questionnaire, peers: PeerComparison, locale: str) -> list[dict[str, Any]]:
    """One row per metric: the firm's score, the cell's quartiles, percentile, n and cell used."""
    rows = []
    for order, (metric, m) in enumerate(peers.metrics.items()):
        q1, median, q3 = m.quartiles or (None, None, None)
        rows.append({
            "order": order, "metric": metric, "label": dimension_label(q, metric, locale), "score": m.score,
            "q1": q1, "median": median, "q3": q3, "percentile": m.percentile, "n": m.n,
            "cell": cell_label(m.cell, locale) if m.cell else t("benchmarks.peers.suppressed", locale, k=peers.k),
        })
    return rows


def peer_chart(rows: list[dict[str, Any]], locale: str):
    """Dimension scores (dots) over the peers' interquartile range (bars) and median (ticks)."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(rows)
    shown = frame[frame["median"].notna()]
    y = alt.Y("label:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=320))
    x_scale = alt.Scale(domain=[0, 100])
    band = alt.Chart(shown).mark_bar(opacity=0.35, height=14).encode(
        y=y, x=alt.X("q1:Q", scale=x_scale, title=None), x2="q3:Q",
        tooltip=[alt.Tooltip("q1:Q", title=t("benchmarks.col.q1", locale), format=".1f"),
                 alt.Tooltip("q3:Q", title=t("benchmarks.col.q3", locale), format=".1f")])
    median = alt.Chart(shown).mark_tick(thickness=2, size=18).encode(
        y=y, x=alt.X("median:Q", scale=x_scale), tooltip=[alt.Tooltip("median:Q", title=t("benchmarks.col.median", locale), format=".1f")])
    firm = alt.Chart(frame[frame["score"].notna()]).mark_point(filled=True, size=90, color="#d62728").encode(
        y=y, x=alt.X("score:Q", scale=x_scale), tooltip=[alt.Tooltip("score:Q", title=t("benchmarks.chart.firm", locale), format=".1f")])
    return alt.layer(band, median, firm).properties(height=34 * len(frame))


def _table(rows: list[dict[str, Any]], locale: str):
    import pandas as pd

    def fmt(value: float | None) -> str:
        return format_score(value, locale)

    return pd.DataFrame({
        t("benchmarks.col.dimension", locale): [r["label"] for r in rows],
        t("benchmarks.col.score", locale): [fmt(r["score"]) for r in rows],
        t("benchmarks.col.median", locale): [fmt(r["median"]) for r in rows],
        t("benchmarks.col.percentile", locale): [fmt(None) if r["percentile"] is None else percentile_text(r["percentile"], r["n"], locale)
                                                 for r in rows],
        t("benchmarks.col.n", locale): [r["n"] or "—" for r in rows],
        t("benchmarks.col.cell", locale): [r["cell"] for r in rows],
    })


def render_comparison(ctx: ResultsContext) -> None:
    """The Comparison tab: the firm among its peers, its typical profile, what similar leaders use."""
    bundle, locale = ctx.bundle, ctx.locale
    q = bundle.instrument.questionnaire
    st.header(t("benchmarks.title", locale))
    report = bundle.benchmarks
    if report is None:  # the database could not give a pool: published statistics still apply
        st.info(t("benchmarks.pool_unavailable", locale))
        return
    if report.synthetic:
        st.warning(t("benchmarks.synthetic_pool", locale))

    st.subheader(t("benchmarks.peers.heading", locale))
    if report.peers.enough_data:
        rows = peer_rows(q, report.peers, locale)
        st.caption(t("benchmarks.peers.explain", locale))
        st.altair_chart(peer_chart(rows, locale), width="stretch")
        st.dataframe(_table(rows, locale), hide_index=True, width="stretch")
        st.caption(t("benchmarks.percentile.explain", locale))
    else:
        st.info(t("benchmarks.peers.not_enough", locale, k=report.peers.k))
    _archetype_and_neighbours(report, q, locale)


def render_statistics(ctx: ResultsContext) -> None:
    """The Official statistics tab: published shares with sources (no pool needed)."""
    _indicators(ctx.bundle, ctx.locale)


def _indicators(bundle: ResultsBundle, locale: str) -> None:
    st.subheader(t("benchmarks.indicators.heading", locale))
    for c in bundle.indicators:
        with st.container(border=True):
            first, *rest = indicator_lines(c, bundle.profile, locale)
            st.markdown(f"**{literal(c.label[locale])}** — {literal(first)}")
            for line in rest:
                st.markdown(literal(line))
            secondary = "" if c.primary else f" ({t('benchmarks.indicators.secondary', locale)})"
            st.caption(f"{t('benchmarks.indicators.source', locale, name=literal(c.source_name))}{secondary} — {c.source}")


def _archetype_and_neighbours(report: BenchmarkReport, q: Questionnaire, locale: str) -> None:
    st.subheader(t("benchmarks.archetype.heading", locale))
    lines = describe_firm_archetype(report.archetype, q, locale)
    if report.archetype.available:
        st.markdown(f"**{archetype_name(report.archetype.archetype, locale)}**")
    for line in lines:
        st.markdown(literal(line))

    if report.neighbours is not None:
        st.subheader(t("benchmarks.neighbours.heading", locale))
        head, *items = neighbour_lines(report.neighbours, locale)
        st.markdown(literal(head))
        for item in items:
            st.markdown(f"- {literal(item)}")
