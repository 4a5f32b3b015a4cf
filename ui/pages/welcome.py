"""Welcome: what the tool does, how long it takes, what is stored; start or resume."""

import streamlit as st

from i18n import t
from ui import nav, session

locale = session.locale()
questionnaire = session.current_instrument().questionnaire
low, high = questionnaire.estimated_minutes

st.title(t("app.name", locale))
st.caption(t("app.tagline", locale))
session.show_flash()
st.markdown(questionnaire.description.get(locale))
st.info(t("app.welcome.duration", locale, low=low, high=high), icon=":material/schedule:")

draft = session.draft()
start, resume = st.columns(2)
if draft is not None:
    if start.button(t("app.welcome.continue", locale), type="primary", key="continue", icon=":material/play_arrow:"):
        st.switch_page(nav.QUESTIONNAIRE)
elif start.button(t("app.welcome.start", locale), type="primary", key="start", icon=":material/play_arrow:"):
    st.switch_page(nav.PROFILE)
if resume.button(t("app.welcome.resume", locale), key="resume", icon=":material/history:"):
    st.switch_page(nav.RESUME)

st.divider()
st.subheader(t("app.welcome.privacy_title", locale))
st.markdown(t("app.welcome.privacy_summary", locale))
st.page_link(nav.PRIVACY, label=t("app.welcome.privacy_link", locale), icon=":material/shield:")
