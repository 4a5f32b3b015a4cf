"""Small timing helpers shared by the benchmarks (no third-party dependencies)."""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any


def timings(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def summary(samples: list[float]) -> dict[str, float]:
    """Median, best and p95 in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    def ms(seconds: float) -> float:
        return round(seconds * 1000, 3)

    return {"median_ms": ms(statistics.median(ordered)), "best_ms": ms(ordered[0]), "p95_ms": ms(p95), "n": len(ordered)}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def ratio(value: float, baseline: float) -> float:
    return round(value / baseline, 3) if baseline > 0 else float("inf")


def emit(name: str, figures: dict[str, Any]) -> dict[str, Any]:
    """Print one benchmark's figures as a JSON line and return them."""
    doc = {"benchmark": name, **figures}
    json.dump(doc, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return doc
