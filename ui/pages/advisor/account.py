"""The signed-in person: name, roles, sign-out (which ends the session in the database).

Local accounts sign out with a plain HTML form posting to ``/account/logout`` in this tab (the
route ends the session row and deletes the HttpOnly cookie, which the app itself cannot do); its
CSRF token is derived from that cookie (``ui.account_routes.sign_out_token``). With OIDC the button
ends our session row, then ``st.logout`` drops Streamlit's identity cookie (and signs out at the
provider when it publishes an ``end_session_endpoint``)."""

from html import escape

import streamlit as st

from i18n import t
from ui import auth, session
from ui.account_routes import LOGOUT_PATH, sign_out_token
from ui.text import literal

SIGN_OUT_STYLE = ("<style>.dm-sign-out button{background:#1f5f99;color:#fff;border:0;border-radius:.5rem;padding:.45rem .9rem;"
                  "font:inherit;cursor:pointer}.dm-sign-out button:focus-visible{outline:2px solid #1a1a1a;outline-offset:2px}</style>")

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
cookie = auth.session_cookie()
if auth.auth_mode() == "oidc":
    if st.button(t("advisor.account.sign_out", locale), key="sign_out", type="primary", icon=":material/logout:"):
        auth.sign_out()
elif cookie is not None:
    st.html(f'{SIGN_OUT_STYLE}<form class="dm-sign-out" method="post" action="{LOGOUT_PATH}">'
            f'<input type="hidden" name="csrf" value="{escape(sign_out_token(cookie))}">'
            f'<input type="hidden" name="locale" value="{locale}">'
            f'<button type="submit">{escape(t("advisor.account.sign_out", locale))}</button></form>')
    st.caption(t("advisor.sign_out.explain", locale))
