"""No third-party call from the server: Streamlit looks up the machine's addresses on its own.

- The start-up banner of a headless server asks ``checkip.amazonaws.com`` for the external IP
  unless ``browser.serverAddress`` is set: `.streamlit/config.toml` sets it.
- The WebSocket origin check, for a *cross-origin* connection (another site's page opening a
  socket to this server), tries the internal IP (a UDP connect towards 8.8.8.8) and then the
  external IP (checkip.amazonaws.com) before refusing. :func:`no_address_lookups` makes both
  answers "unknown" so the check refuses such origins without asking anyone. Same-origin
  connections (the app's own pages) never reach that check.

``tests/e2e/test_no_outbound.py`` starts the server as ``make run`` does and records every
connection and name lookup it makes.
"""

from __future__ import annotations


def no_address_lookups() -> None:
    try:
        from streamlit import net_util
    except ImportError:  # pragma: no cover - Streamlit moved it: the outbound test will say so
        return
    # "" is cached as a known answer (None would mean "look it up"); it matches no origin.
    net_util._external_ip = ""  # type: ignore[attr-defined]
    net_util._internal_ip = ""  # type: ignore[attr-defined]
