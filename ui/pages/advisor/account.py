"""The signed-in person: name, roles, sign-out (which ends the session in the database).

Local accounts sign out through the ``/account/logout`` route (a POST with its CSRF token: it ends
the session row and deletes the HttpOnly cookie, which the app itself cannot do). With OIDC the
button ends our session row, then ``st.logout`` drops Streamlit's identity cookie (and signs out
at the provider when it publishes an ``end_session_endpoint``)."""

import streamlit as st

from i18n import t
from ui import auth, session
from ui.account_routes import LOGOUT_PATH
from ui.text import literal

locale = session.locale()
principal = auth.current_principal()
st.title(t("advisor.account.title", locale))
if principal is not None:
    st.markdown(t("advisor.account.who", locale, name=literal(principal.display_name), email=literal(principal.email)))
    if principal.roles:
        roles = ", ".join(t(f"advisor.role.{r.value}", locale) for r in sorted(principal.roles))
        st.markdown(t("advisor.account.roles", locale, roles=roles))
    else:
        st.warning(t("advisor.account.no_role", locale))
else:  # an OIDC identity we do not know, or whose session here has ended: nothing to see
    st.warning(t("advisor.account.no_access", locale))
if auth.auth_mode() == "oidc":
    if st.button(t("advisor.account.sign_out", locale), key="sign_out", type="primary", icon=":material/logout:"):
        auth.sign_out()
        st.rerun()
else:
    st.link_button(t("advisor.account.sign_out", locale), f"{LOGOUT_PATH}?lang={locale}", type="primary", icon=":material/logout:")
