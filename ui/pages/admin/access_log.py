"""Administrators: the newest rows of the append-only access log."""

import streamlit as st

from auth import Action, Role
from i18n import t
from ui import cache, guided, session

locale = session.locale()
principal = guided.require(Role.ADMIN, locale)
cache.access().require(principal, Action.VIEW_ACCESS_LOG)
st.title(t("advisor.page.access_log", locale))
rows = cache.repository().users.access_log(limit=300)
st.dataframe({t("advisor.admin.log_when", locale): [r.at.isoformat(timespec="seconds") for r in rows],
              t("advisor.admin.log_who", locale): [r.email for r in rows],
              t("advisor.admin.log_action", locale): [r.action for r in rows],
              t("advisor.admin.log_assessment", locale): [r.assessment_id or "" for r in rows]}, hide_index=True, width="stretch")
