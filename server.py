"""The app's server entry point: ``streamlit run server.py`` (``make run``, and each replica in a
deployment). ``app.py`` is the Streamlit script (AppTest runs it alone); this file wraps it in
``st.App`` with extra HTTP routes:

- the local sign-in and sign-out routes of ``ui/account_routes.py``;
- ``/healthz``, which checks the database: Streamlit's own ``/_stcore/health`` says only that the
  process is up, while a load balancer needs to know whether this replica can reach its database;
- a start-up warm-up (``ui/warmup.py``, off with ``WARM_UP=0``): the comparison pool and its models
  are loaded in the background, not on the first results view.

With ``AUTH_MODE=oidc`` the OIDC settings come from ``.streamlit/secrets.toml`` ``[auth]`` or from
the environment (``OIDC_*`` below).
"""

from __future__ import annotations

import logging
import os

import streamlit as st
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from ui import warmup
from ui.account_routes import ROUTES

log = logging.getLogger("dm.health")


def healthz(_request: Request) -> PlainTextResponse:
    from sqlalchemy import text

    from storage import open_repository

    try:
        with open_repository().engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means: do not route users here
        log.error("health check: database unavailable: %s", type(exc).__name__)
        return PlainTextResponse("database unavailable", status_code=503)
    return PlainTextResponse("ok")


def _oidc_secrets() -> dict[str, dict[str, str]]:
    """``[auth]`` from the environment, when ``OIDC_METADATA_URL`` is set (else secrets.toml)."""
    if not os.environ.get("OIDC_METADATA_URL"):
        return {}
    return {"auth": {"redirect_uri": os.environ["OIDC_REDIRECT_URI"], "cookie_secret": os.environ["OIDC_COOKIE_SECRET"],
                     "client_id": os.environ["OIDC_CLIENT_ID"], "client_secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                     "server_metadata_url": os.environ["OIDC_METADATA_URL"]}}


app = st.App("app.py", routes=[*ROUTES, Route("/healthz", healthz, methods=["GET", "HEAD"])], secrets=_oidc_secrets() or None,
             lifespan=warmup.lifespan)
