"""The signed-in person: name, roles, sign-out (which ends the session in the database)."""

import streamlit as st

from i18n import t
from ui import auth, session
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
if st.button(t("advisor.account.sign_out", locale), key="sign_out", type="primary", icon=":material/logout:"):
    auth.sign_out()
    st.rerun()
