"""Production entry point: the app plus ``/healthz``, which checks the database.

    streamlit run serve.py      # as app.py, with the extra route (deploy/, README "Deploying for many users")

Streamlit's own ``/_stcore/health`` says only that the process is up; a load balancer needs to know
whether this replica can reach its database, so it stops sending users to one that cannot.
"""

from __future__ import annotations

import logging

import streamlit as st
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

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


app = st.App("app.py", routes=[Route("/healthz", healthz, methods=["GET", "HEAD"])])
