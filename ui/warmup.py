"""Warm-up at server start: load the comparison pool and fit its models before the first results view.

A background thread fills the same caches the results page reads (``ui.cache.comparison_pool`` and
the memos behind ``services.results.results_for``), so the server answers requests while it works
and the first firm to open its results no longer waits for the pool to load and the archetype
model to fit. ``WARM_UP=0`` turns it off (tests, one-off commands). A failure is logged, never
raised: the results page then loads the pool itself, as it would without a warm-up.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger("dm.warmup")


def enabled() -> bool:
    return os.environ.get("WARM_UP", "1").strip() != "0"


def warm_up() -> None:
    """Load the pool and fit its models through the results page's own caches."""
    from questionnaires.registry import get_instrument
    from services.results import warm
    from ui import cache

    started = time.perf_counter()
    instrument = get_instrument()
    pool = cache.comparison_pool(instrument)
    warm(instrument, pool)
    log.info("warm-up done in %.2f s (pool: %s firms)", time.perf_counter() - started,
             "unavailable" if pool is None else len(pool.frame))


def _safe_warm_up() -> None:
    try:
        warm_up()
    except Exception:  # the page loads what it needs itself; a start-up must not fail for this
        log.exception("warm-up failed; the first results view will load the pool")


def start() -> threading.Thread | None:
    """Start the warm-up thread (None when ``WARM_UP=0``)."""
    if not enabled():
        return None
    thread = threading.Thread(target=_safe_warm_up, name="warm-up", daemon=True)
    thread.start()
    return thread


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """``st.App(lifespan=...)``: warm up in the background as the server starts."""
    start()
    yield
