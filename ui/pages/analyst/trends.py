"""Analysts: trends across official releases, one per period, for the total and the one-way
margins (sector group, size band, region) of one stage. "x" stays "x": a confidential period is a
gap in the line and an "x" in the table. Checked with ``Action.VIEW_STATISTICS``."""

import streamlit as st

from auth import Action, Role
from i18n import t
from releases.lattice import load_lattice
from services import statistics_views as views
from ui import cache, guided, session
from ui import statistics_ui as ui

st.set_page_config(layout="wide")  # released tables are wide (a column per dimension)
locale = session.locale()
principal = guided.require(Role.ANALYST, locale)
cache.access().require(principal, Action.VIEW_STATISTICS)
service = cache.statistics()
lattice = load_lattice()
st.title(t("statistics.trends.title", locale))
ui.keyboard_scrollable_tables()
st.caption(t("statistics.trends.intro", locale))
stage = ui.choose_stage(("T0", "T1"), locale, key="trend_stage")
table_id = str(st.selectbox(t("statistics.table", locale), [views.TOTAL, *views.MARGINS],
                            format_func=lambda i: views.table_title(i, locale), key="trend_table"))
synthetic = st.checkbox(t("statistics.trends.synthetic", locale), key="trend_synthetic")  # never mixed with real releases
keys = [()] if table_id == views.TOTAL else [(code,) for code in lattice.codes(table_id)]
points = []
for key in keys:
    label = lattice.label(table_id, key[0], locale) if key else t("statistics.all", locale)
    points += [(label, summary.period, cell) for summary, cell in service.trend(principal, stage, table_id, key, synthetic=synthetic)]
if not points:
    st.info(t("statistics.trends.none", locale))
    st.stop()
if synthetic:
    st.warning(t("statistics.synthetic_banner", locale), icon=":material/science:")
shown, chart = views.trend_frames(points, locale)
st.caption(t("statistics.x_short", locale))
ui.with_table(ui.lines(chart, locale), shown, locale, t("statistics.alt.trends", locale))
