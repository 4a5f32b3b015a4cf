"""Who is signed in, for the Streamlit pages: ``current_principal()``.

``app.py`` calls ``resolve()`` once per rerun (the session row is checked in the database every
time: sign-out, disabling, idle and absolute timeouts act at the next interaction) and pages read
the result with ``current_principal()``. Two modes (``AUTH_MODE``):

- ``local`` (default): the ``dm_session`` HttpOnly cookie set by the sign-in route
  (``ui/account_routes.py``, served by ``server.py``);
- ``oidc``: ``st.login`` / ``st.user`` (Authlib); the identity is mapped to our account by
  issuer and subject, and roles come from our database only.
"""

from __future__ import annotations

import os

import streamlit as st

from auth import Principal

PRINCIPAL_KEY = "_principal"
SECURE_COOKIES = os.environ.get("DM_SECURE_COOKIES", "") == "1"  # production over HTTPS: Secure and the __Host- prefix
COOKIE_NAME = "__Host-dm_session" if SECURE_COOKIES else "dm_session"


def auth_mode() -> str:
    return "oidc" if os.environ.get("AUTH_MODE", "local").strip().lower() == "oidc" else "local"


def oidc_provider() -> str | None:
    return os.environ.get("OIDC_PROVIDER") or None  # a named [auth.<name>] provider; None: the flat [auth] one


def _cookie_token() -> str | None:
    value = st.context.cookies.get(COOKIE_NAME)
    return value if isinstance(value, str) and value else None


def session_cookie() -> str | None:
    """The local session cookie's value (the sign-out form's CSRF token is derived from it)."""
    return _cookie_token()


def _oidc_identity() -> tuple[str, str, float | None] | None:
    if not st.user.is_logged_in:
        return None
    issuer, subject, issued = st.user.get("iss"), st.user.get("sub"), st.user.get("iat")
    if not isinstance(issuer, str) or not isinstance(subject, str):
        return None
    return issuer, subject, float(issued) if isinstance(issued, int | float) else None


def resolve() -> Principal | None:
    """Check the browser's sign-in against the database (every rerun) and remember the result for
    this run's pages."""
    from ui.cache import access

    principal: Principal | None
    if auth_mode() == "oidc":
        identity = _oidc_identity()
        principal = None if identity is None else access().principal_for_oidc(oidc_provider() or "oidc", *identity)
    else:
        principal = access().principal_for_token(_cookie_token())
    st.session_state[PRINCIPAL_KEY] = principal
    return principal


def identity_without_access(principal: Principal | None) -> bool:
    """An OIDC identity is signed in at the provider, but it maps to no active account here or its
    session here has ended (signed out, timed out): it sees only "My account", to sign out."""
    return principal is None and auth_mode() == "oidc" and bool(st.user.is_logged_in)


def current_principal() -> Principal | None:
    """The signed-in person for this rerun (None: nobody, or a session that ended)."""
    found = st.session_state.get(PRINCIPAL_KEY)
    return found if isinstance(found, Principal) else None


def sign_out() -> None:
    """End the session in the database (a copied cookie stops working), forget everything this
    browser session held, and leave the page: through ``st.logout``'s redirect (to the provider's
    end_session, then back) for an OIDC identity, which a rerun would drop; by a rerun otherwise."""
    from ui.cache import access

    principal = current_principal()
    if principal is not None:
        access().sign_out(principal)
    for key in list(st.session_state):
        if key != "locale":
            del st.session_state[key]
    st.session_state["_signed_out"] = True
    if auth_mode() == "oidc" and st.user.is_logged_in:
        st.logout()
    else:
        st.rerun()
