"""Analysts: the ministry statistics (issue 10 builds the released tables on this page). Checked
with ``Action.VIEW_STATISTICS``; it shows no business's data."""

import streamlit as st

from auth import Action, Role
from i18n import t
from ui import cache, guided, session

locale = session.locale()
principal = guided.require(Role.ANALYST, locale)
cache.access().require(principal, Action.VIEW_STATISTICS)
st.title(t("advisor.statistics.title", locale))
st.info(t("advisor.statistics.pending", locale))
