"""The app with its sign-in routes: ``streamlit run server.py`` (``make run`` does).

``app.py`` is the Streamlit script (AppTest runs it alone); this file wraps it in ``st.App`` with
the local sign-in routes of ``ui/account_routes.py``. With ``AUTH_MODE=oidc`` the OIDC settings
come from ``.streamlit/secrets.toml`` ``[auth]`` or from the environment (``OIDC_*`` below).
"""

import os

import streamlit as st

from ui.account_routes import ROUTES


def _oidc_secrets() -> dict[str, dict[str, str]]:
    """``[auth]`` from the environment, when ``OIDC_METADATA_URL`` is set (else secrets.toml)."""
    if not os.environ.get("OIDC_METADATA_URL"):
        return {}
    return {"auth": {"redirect_uri": os.environ["OIDC_REDIRECT_URI"], "cookie_secret": os.environ["OIDC_COOKIE_SECRET"],
                     "client_id": os.environ["OIDC_CLIENT_ID"], "client_secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                     "server_metadata_url": os.environ["OIDC_METADATA_URL"]}}


app = st.App("app.py", routes=ROUTES, secrets=_oidc_secrets() or None)
