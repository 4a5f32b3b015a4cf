"""Who is on the other end: the client address used to slow down wrong resume codes.

Without a proxy it is the peer address of the WebSocket. Behind a reverse proxy every peer is the
proxy, so the address comes from ``X-Forwarded-For``, but only when the operator says how many
trusted proxies append to it (``DM_TRUSTED_PROXY_HOPS``, e.g. 1 for one HAProxy): a client can
write anything into that header, so only the entries appended by our own proxies are believed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

TRUSTED_PROXY_HOPS_ENV = "DM_TRUSTED_PROXY_HOPS"


def trusted_hops() -> int:
    try:
        return max(0, int(os.environ.get(TRUSTED_PROXY_HOPS_ENV, "0")))
    except ValueError:
        return 0


def address_from(headers: Mapping[str, str], peer: str | None, hops: int) -> str | None:
    """The client address: ``peer`` without trusted proxies, else the entry of ``X-Forwarded-For``
    that the outermost trusted proxy appended (the ``hops``-th from the right)."""
    if hops <= 0:
        return peer or None
    forwarded = next((v for k, v in headers.items() if k.lower() == "x-forwarded-for"), "")
    entries = [e.strip() for e in forwarded.split(",") if e.strip()]
    if len(entries) < hops:
        return peer or None  # the header was not set by our proxy chain
    return entries[-hops][:64]


def client_address() -> str | None:
    import streamlit as st

    try:
        headers = {str(k): str(v) for k, v in st.context.headers.items()}
        peer = st.context.ip_address
    except Exception:  # no request context (bare mode)
        return None
    return address_from(headers, peer if isinstance(peer, str) else None, trusted_hops())  # AppTest gives a mock
