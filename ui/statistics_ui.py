"""Shared pieces of the ministry statistics pages: the release chooser, the banners every view of
a release carries, charts (Altair) each with its table one click away. Data shaping lives in
``services.statistics_views``; this module only draws."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from auth import Principal
from i18n import format_date, t
from releases.build import DEFAULT_METHOD
from releases.model import SUPPRESSED, Release
from services import statistics_views as views
from services.statistics import StatisticsService

# d3 number format of French Canada for the charts' axes and tooltips (decimal comma, thin space)
_FRENCH_NUMBERS = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0$"]}


def choose_release(service: StatisticsService, principal: Principal, locale: str) -> Release:
    """The release picked in the chooser (newest first); stops the page when there is none."""
    summaries = service.releases(principal)
    if not summaries:
        st.info(t("statistics.none", locale))
        st.stop()
    labels = {s.id: views.release_label(s.period, s.stages, s.created_at, s.synthetic, s.official, locale) for s in summaries}
    chosen = st.selectbox(t("statistics.release", locale), list(labels), format_func=labels.__getitem__, key="stats_release")
    first_view = st.session_state.get("_stats_logged") != chosen  # one access-log row per release opened, not per rerun
    st.session_state["_stats_logged"] = chosen
    return service.release(principal, str(chosen), log=first_view)


def choose_stage(stages: Sequence[str], locale: str, key: str = "stats_stage") -> str:
    return str(st.selectbox(t("statistics.stage", locale), list(stages), format_func=lambda s: t(f"statistics.stage.{s}", locale), key=key))


def banners(release: Release, locale: str) -> None:
    """Synthetic and preview warnings, the release's parameters and what "x" means: on every view."""
    p = release.parameters
    if p.synthetic:
        st.warning(t("statistics.synthetic_banner", locale), icon=":material/science:")
    if not release.official:
        st.info(t("statistics.preview_banner", locale))
    st.caption(t("statistics.parameters", locale, period=p.period, k=p.k, date=format_date(release.created_at, locale),
                 method=t("statistics.method.default", locale) if p.method == DEFAULT_METHOD else p.method))
    st.caption(t("statistics.x_explained", locale, k=p.k))


def table(frame: pd.DataFrame) -> None:
    """A released table as HTML (readable by screen readers and by the browser tests), no index."""
    st.table(frame, hide_index=True)


def with_table(chart: alt.TopLevelMixin | None, frame: pd.DataFrame, locale: str, alt_text: str, gap_note: bool = True) -> None:
    """A chart with its table one click away; when every cell is confidential, only the table."""
    if chart is None:
        st.caption(t("statistics.nothing_published", locale))
    else:
        st.altair_chart(localised(chart, locale), width="stretch")
        st.caption(alt_text)
        if gap_note:
            st.caption(t("statistics.chart_gap", locale))
    with st.expander(t("statistics.show_table", locale)):
        table(frame)


def localised(chart: Any, locale: str) -> Any:
    return chart.configure(locale={"number": _FRENCH_NUMBERS}) if locale == "fr" else chart


def bars(frame: pd.DataFrame, category: str, value: str, category_title: str, value_title: str, *, horizontal: bool = True,
         sort: bool = True, percent: bool = False, score: bool = False, counts: bool = False) -> alt.TopLevelMixin | None:
    """Bars of ``value`` per ``category`` (None when there is nothing published to draw). A NaN value
    is a hidden category: no bar, an "x" in its place, and unsorted charts keep it on the axis.
    Horizontal bars carry no category title (the heading above names it; a rotated title would cover
    long labels); a score axis spans 0–100; ``counts``: whole numbers of firms."""
    if frame.empty or frame[value].isna().all():
        return None
    fmt = ".0%" if percent else ",d" if counts or frame[value].dtype.kind != "f" else ",.1f"
    cat = alt.Y if horizontal else alt.X
    val = alt.X if horizontal else alt.Y
    order: Any = ("-x" if horizontal else alt.Undefined) if sort else list(frame[category])
    scale = alt.Scale(domain=[0, 100]) if score else alt.Undefined
    axis = cat(f"{category}:N", title=None if horizontal else category_title, sort=order,
               axis=alt.Axis(labelLimit=360, labelAngle=0))
    drawn = alt.Chart(frame).mark_bar().encode(
        axis, val(f"{value}:Q", title=value_title, axis=alt.Axis(format=fmt), scale=scale),
        tooltip=[alt.Tooltip(f"{category}:N", title=category_title), alt.Tooltip(f"{value}:Q", title=value_title, format=fmt)])
    hidden = frame[frame[value].isna()]
    if hidden.empty or sort:
        return drawn
    marks = alt.Chart(hidden.assign(**{value: 0.0, "x": SUPPRESSED})).mark_text(
        align="left" if horizontal else "center", baseline="middle" if horizontal else "bottom", dx=4 if horizontal else 0,
        dy=0 if horizontal else -4).encode(axis, val(f"{value}:Q", scale=scale), text="x:N")
    return alt.layer(drawn, marks)


def heatmap(frame: pd.DataFrame, locale: str) -> alt.LayerChart | None:
    """Sector groups × dimensions, coloured by the mean score; a confidential square is grey and says "x"."""
    if frame.empty or frame["mean"].isna().all():
        return None
    group_title, dim_title = t("statistics.dim.sector_group", locale), t("statistics.dim.dimension", locale)
    base = alt.Chart(frame).encode(
        alt.X("dimension:N", title=dim_title, sort=list(dict.fromkeys(frame["dimension"])),
              axis=alt.Axis(labelAngle=-30, labelLimit=220, labelOverlap=False)),
        alt.Y("group:N", title=None, sort=list(dict.fromkeys(frame["group"])), axis=alt.Axis(labelLimit=360)))  # labels say it
    backdrop = base.mark_rect(color="#eeeeee")
    squares = base.transform_filter("isValid(datum.mean)").mark_rect().encode(
        alt.Color("mean:Q", title=t("statistics.mean_overall", locale), scale=alt.Scale(domain=[0, 100], scheme="blues")),
        tooltip=[alt.Tooltip("group:N", title=group_title), alt.Tooltip("dimension:N", title=dim_title),
                 alt.Tooltip("text:N", title=t("statistics.mean_overall", locale))])
    text = base.mark_text(fontSize=12).encode(text="text:N", color=alt.condition("datum.mean > 60", alt.value("white"), alt.value("black")))
    return alt.layer(backdrop, squares, text).properties(height=alt.Step(34))


def lines(frame: pd.DataFrame, locale: str) -> alt.Chart | None:
    """Mean overall score per period, one line per group (a confidential period is a gap)."""
    if frame.empty:
        return None
    return alt.Chart(frame).mark_line(point=True).encode(
        alt.X("period:O", title=t("statistics.period", locale)),
        alt.Y("mean:Q", title=t("statistics.mean_overall", locale), scale=alt.Scale(domain=[0, 100])),
        alt.Color("group:N", title=t("statistics.group", locale)),
        tooltip=[alt.Tooltip("period:O", title=t("statistics.period", locale)), alt.Tooltip("group:N", title=t("statistics.group", locale)),
                 alt.Tooltip("mean:Q", title=t("statistics.mean_overall", locale), format=",.1f"), alt.Tooltip("n:Q", format=",d")])


def keyboard_scrollable_tables() -> None:
    """A table wider than the page scrolls sideways; its scroll box must take the keyboard focus
    so it can be scrolled without a mouse (WCAG 2.1.1; axe's scrollable-region-focusable)."""
    st.html("""<script>(() => {
  const w = window.parent || window; const d = w.document;
  if (w.__dmTables) return; w.__dmTables = true;
  const mark = () => d.querySelectorAll('.stTable > div').forEach(box => {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute('tabindex')) box.setAttribute('tabindex', '0');
  });
  mark(); new MutationObserver(mark).observe(d.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['open']});
})();</script>""", unsafe_allow_javascript=True)
