"""Resume: reopen an assessment with its code."""

import streamlit as st

from i18n import t
from ui import nav, session
from ui.resume import MAX_CODE_LENGTH, resume_with_code

locale = session.locale()
st.title(t("app.resume.title", locale))
session.show_flash()
st.markdown(t("app.resume.intro", locale))

with st.form("resume-form"):
    code = st.text_input(t("app.resume.code_label", locale), max_chars=MAX_CODE_LENGTH, key="resume_code_input",
                         help=t("app.resume.code_help", locale))
    submitted = st.form_submit_button(t("app.resume.submit", locale), type="primary")

if submitted:
    if resume_with_code(code, locale):
        st.switch_page(nav.QUESTIONNAIRE)
    session.show_flash()
