"""Sign-in for advisors, analysts and administrators (the firm's self-assessment needs no account)."""

import streamlit as st

from i18n import t
from ui import session
from ui.account_routes import LOGIN_PATH
from ui.auth import auth_mode, oidc_provider

locale = session.locale()
st.title(t("advisor.sign_in.title", locale))
st.markdown(t("advisor.sign_in.intro", locale))
if st.session_state.pop("_signed_out", False):
    st.success(t("advisor.account.signed_out", locale))
if auth_mode() == "oidc":
    if st.button(t("advisor.sign_in.oidc", locale), type="primary", key="oidc_sign_in", icon=":material/login:"):
        provider = oidc_provider()
        st.login(provider) if provider else st.login()
else:
    # The form is a plain HTML page served by server.py (ui/account_routes.py): it sets an HttpOnly cookie.
    st.link_button(t("advisor.sign_in.local", locale), f"{LOGIN_PATH}?lang={locale}", type="primary", icon=":material/login:")
