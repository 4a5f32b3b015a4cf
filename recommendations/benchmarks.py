"""The optional benchmark inputs of the roadmap and the PDF, taken from ``scoring.benchmarks``:
peers and official statistics for the report, nearest-peer signals for the priorities, and a
percentile function for the what-if."""

from __future__ import annotations

from typing import Any

from questionnaires.registry import Instrument
from recommendations.whatif import PercentileOf
from scoring.answers import Answers, Profile
from scoring.result import Result


def benchmark_inputs(instrument: Instrument, profile: Profile, answers: Answers, result: Result, pool: Any,
                     k: int | None = None) -> tuple[Any, PercentileOf | None]:
    """(BenchmarkReport, percentile_of) for one firm against ``pool`` (scoring.benchmarks.report.Pool);
    ``percentile_of`` is None when the pool has too few comparable firms."""
    from scoring.benchmarks.peers import DEFAULT_K, PeerPool, percentiles
    from scoring.benchmarks.report import benchmark_firm

    k = k or DEFAULT_K
    report = benchmark_firm(instrument, profile, answers, result, pool, k)
    if not report.peers.enough_data:
        return report, None
    overall = _overall_pool(pool, k, PeerPool)

    def percentile_of(score: float | None) -> float | None:
        return None if score is None else percentiles(overall, profile, {"overall": score}).metrics["overall"].percentile

    return report, percentile_of


_LAST: list = [None]  # (pool, k, PeerPool): the app reuses one cached pool across reruns


def _overall_pool(pool: Any, k: int, peer_pool: Any) -> Any:
    """The overall-score peer pool of ``pool``, built once per pool object (it sorts every cell).
    One slot, replaced whole, so concurrent sessions never see a half-updated entry."""
    entry = _LAST[0]
    if entry is None or entry[0] is not pool or entry[1] != k:
        entry = (pool, k, peer_pool.from_frame(pool.frame, ["overall"], k=k))
        _LAST[0] = entry
    return entry[2]
