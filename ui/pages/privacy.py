"""Privacy: what is stored, for how long, who sees it; delete an assessment with its code."""

import streamlit as st

from i18n import t
from ui import continuity, session
from ui.client import client_address
from ui.resume import MAX_CODE_LENGTH

locale = session.locale()
st.title(t("app.privacy.title", locale))
session.show_flash()
for part in ("stored", "duration", "access", "this_browser", "your_code", "third_parties", "erasure"):
    st.subheader(t(f"app.privacy.{part}.title", locale))
    st.markdown(t(f"app.privacy.{part}.body", locale))

st.subheader(t("app.privacy.delete.title", locale))
st.markdown(t("app.privacy.delete.body", locale))
with st.form("delete-form", clear_on_submit=True):
    code = st.text_input(t("app.resume.code_label", locale), max_chars=MAX_CODE_LENGTH, key="delete_code")
    confirmed = st.checkbox(t("app.privacy.delete.confirm", locale), key="delete_confirm")
    submitted = st.form_submit_button(t("app.privacy.delete.submit", locale), type="primary")

if submitted:
    from storage import TooManyAttempts

    if not code.strip() or not confirmed:
        st.warning(t("app.privacy.delete.incomplete", locale))
    else:
        try:
            deleted = session.repository().delete_with_code(code.strip(), client_key=session.client_key(),
                                                              client_address=client_address())
        except TooManyAttempts as exc:
            st.error(t("app.resume.wait", locale, seconds=max(1, round(exc.retry_after_seconds))))
        else:
            if deleted:
                if session.draft() is None or session.close_if_deleted():
                    continuity.forget()
                session.flash("success", t("app.privacy.delete.done", locale))
                st.rerun()  # the sidebar, drawn before this page, must not show the deleted firm's name or code
            else:
                st.error(t("app.resume.unknown", locale))
