"""Analysts: the ministry statistics dashboard. Only released, audited tables are shown (a
release is chosen, then its stage): overview with the official statistics for comparison, region,
sector group and size band breakdowns, dimension profiles, typical profiles, the T0 → T1 cohort
and the downloads. Every filter is a dimension of the registered lattice. Checked with
``Action.VIEW_STATISTICS``; no firm's data is ever read here."""

import functools

import streamlit as st

from auth import Action, Role
from benchmarks.statistics import load_statistics
from i18n import format_decimal, format_percent, t
from releases.lattice import load_lattice
from services import statistics_views as views
from ui import cache, guided, session
from ui import statistics_ui as ui

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "parquet": "application/vnd.apache.parquet"}

st.set_page_config(layout="wide")  # released tables are wide (a column per dimension)
locale = session.locale()
principal = guided.require(Role.ANALYST, locale)
cache.access().require(principal, Action.VIEW_STATISTICS)
service = cache.statistics()
lattice = load_lattice()
q = session.current_instrument().questionnaire
st.title(t("statistics.title", locale))
ui.keyboard_scrollable_tables()
release = ui.choose_release(service, principal, locale)
stage = ui.choose_stage(release.parameters.stages, locale)
ui.banners(release, locale)
total = views.total_cell(release, stage)
overview, regions, groups, profiles, cohort, downloads = st.tabs(
    [t(k, locale) for k in ("statistics.overview", "statistics.by_region", "statistics.by_sector", "statistics.profiles",
                            "statistics.cohort", "statistics.downloads")])


def n_text(value: int | None) -> str:
    return views.number(value, locale, 0)


with overview:
    share = views.dii_basic_share(total, q)
    first, second, third = st.columns(3)
    first.metric(t("statistics.firms", locale), n_text(total.n if total else None))
    second.metric(t("statistics.mean_overall", locale), views.number(total.mean_overall if total else None, locale))
    third.metric(t("statistics.dii_basic_share", locale), "x" if share is None else format_percent(share, locale))
    st.subheader(t("statistics.histogram", locale))
    histogram = views.histogram_frame(total, locale)
    ui.with_table(ui.bars(histogram, "bin", "firms", t("statistics.score_bin", locale), t("statistics.firms", locale), horizontal=False,
                          sort=False, counts=True), views.histogram_table(histogram, locale), locale,
                  t("statistics.alt.histogram", locale), gap_note=False)
    st.subheader(t("statistics.levels", locale))
    levels = views.levels_frame(total, q, locale)
    ui.with_table(ui.bars(levels, "level", "firms", t("statistics.level", locale), t("statistics.firms", locale), sort=False,
                          counts=True),
                  views.counts_table(levels, t("statistics.level", locale), locale), locale, t("statistics.alt.levels", locale),
                  gap_note=False)
    if total and total.n:
        st.caption(t("statistics.n_caption", locale, n=n_text(total.n)))
    st.subheader(t("statistics.official.heading", locale))
    st.write(t("statistics.official.intro", locale))
    st.metric(t("statistics.official.this_release", locale), "x" if share is None else format_percent(share, locale))
    official = views.official_dii_frame(load_statistics(), locale)
    if official.empty:
        st.caption(t("statistics.official.none", locale))
    else:
        ui.table(official)
    st.info(t("statistics.official.caveat", locale))

with regions:
    chart = views.margin_chart(release, "region", stage, lattice, locale)
    ui.with_table(ui.bars(chart, "group", "mean", t("statistics.dim.region", locale), t("statistics.mean_overall", locale),
                          score=True),
                  views.table_frame(release, "region", stage, lattice, q, locale), locale, t("statistics.alt.margin", locale))

with groups:
    for dim, heading in (("sector_group", "statistics.by_sector"), ("size_band", "statistics.by_size")):
        st.subheader(t(heading, locale))
        chart = views.margin_chart(release, dim, stage, lattice, locale)
        ui.with_table(ui.bars(chart, "group", "mean", t(f"statistics.dim.{dim}", locale), t("statistics.mean_overall", locale),
                              sort=dim != "size_band", score=True),
                      views.table_frame(release, dim, stage, lattice, q, locale), locale, t("statistics.alt.margin", locale))
    st.subheader(t("statistics.any_table", locale))
    table_id = st.selectbox(t("statistics.table", locale), [spec.id for spec in release.tables],
                            format_func=lambda i: views.table_title(i, locale), key="stats_table")
    ui.table(views.table_frame(release, str(table_id), stage, lattice, q, locale))

with profiles:
    heat = views.heatmap_frame(release, stage, lattice, q, locale)
    ui.with_table(ui.heatmap(heat, locale), views.heatmap_table(heat, locale), locale, t("statistics.alt.heatmap", locale), gap_note=False)
    st.subheader(t("statistics.archetypes", locale))
    archetypes = views.archetype_frame(total, release.parameters.archetypes, locale)
    if archetypes.empty:
        st.caption(t("statistics.archetypes.none", locale))
    else:
        ui.with_table(ui.bars(archetypes, "archetype", "share", t("statistics.archetype", locale), t("statistics.share", locale),
                              sort=False, percent=True),
                      views.counts_table(archetypes, t("statistics.archetype", locale), locale), locale,
                      t("statistics.alt.archetypes", locale), gap_note=False)

with cohort:
    if not release.cohort:
        st.caption(t("statistics.cohort.none", locale))
    else:
        st.write(t("statistics.cohort.intro", locale))
        ui.table(views.cohort_frame(release, lattice, locale))

with downloads:
    st.write(t("statistics.downloads.intro", locale))
    published, hidden = views.release_counts(release)
    st.caption(t("statistics.downloads.counts", locale, published=format_decimal(published, locale, 0),
                 hidden=format_decimal(hidden, locale, 0)))
    for fmt, mime in FORMATS.items():
        # The service builds the file and writes the access-log entry when the button is clicked
        # (a deferred download), not on every rerun of the page.
        st.download_button(t(f"statistics.download.{fmt}", locale), functools.partial(service.export, principal, release.id, fmt, locale),
                           file_name=f"statistiques-{release.parameters.period}-{release.id}.{fmt}", mime=mime, key=f"download_{fmt}",
                           on_click="ignore", icon=":material/download:")
