"""Everything the results page, the PDF and the CLI show about a firm against benchmarks.

``benchmark_firm`` is pure: it takes the pool as a data frame (one row per completed, consenting
assessment) and, optionally, the pool's answers for nearest-peer signals. ``load_pool`` reads the
pool from storage and decides whether it is real or synthetic, never both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd

from questionnaires.registry import Instrument
from questionnaires.segments import load_segments
from scoring.answers import Answers, Profile
from scoring.applicability import applicable_answers
from scoring.benchmarks.adoption import adoption_items, adoption_matrix, adoption_vector
from scoring.benchmarks.archetypes import FirmArchetype, cached_archetypes, firm_archetype
from scoring.benchmarks.indicators import IndicatorComparison, compare_indicators
from scoring.benchmarks.neighbours import NeighbourIndex, NeighbourSignals
from scoring.benchmarks.peers import DEFAULT_K, PeerComparison, PeerPool, percentiles
from scoring.result import Result

PoolSource = Literal["real", "synthetic", "auto"]
_NEIGHBOUR_CACHE: dict[str, NeighbourIndex] = {}
_PEER_CACHE: dict[str, PeerPool] = {}


@dataclass(frozen=True)
class Pool:
    """The comparison pool: scores (one row per assessment) and, if loaded, each one's answers."""

    frame: pd.DataFrame
    synthetic: bool
    answers: dict[str, Answers] | None = None  # assessment id -> answers that applied

    @cached_property
    def key(self) -> str:
        ids = "\n".join(self.frame["assessment_id"].astype(str)) if "assessment_id" in self.frame else str(len(self.frame))
        return hashlib.sha256(f"{self.synthetic}\n{ids}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class BenchmarkReport:
    peers: PeerComparison
    indicators: list[IndicatorComparison]
    archetype: FirmArchetype
    neighbours: NeighbourSignals | None  # None: the pool's answers were not loaded

    @property
    def synthetic(self) -> bool:
        return self.peers.synthetic

    def to_json(self) -> dict[str, Any]:
        return {"synthetic": self.synthetic, "peers": self.peers.to_json(), "indicators": [i.to_json() for i in self.indicators],
                "archetype": self.archetype.to_json(), "neighbours": self.neighbours.to_json() if self.neighbours else None}


def load_pool(repo: Any, instrument: Instrument, source: PoolSource = "auto", k: int = DEFAULT_K, with_answers: bool = True) -> Pool:
    """Completed, consenting assessments of this questionnaire: real ones, or the synthetic
    (demonstration) ones; "auto" takes the real pool and falls back to synthetic below k firms."""
    qid = instrument.questionnaire.id
    synthetic = source == "synthetic"
    frame = repo.completed_scores(consented_only=True, synthetic=synthetic, questionnaire_id=qid)
    if source == "auto" and len(frame) < k:
        demo = repo.completed_scores(consented_only=True, synthetic=True, questionnaire_id=qid)
        if len(demo) > len(frame):
            frame, synthetic = demo, True
    answers = {} if with_answers else None
    if with_answers and len(frame):
        rows = repo.completed_answers(list(frame["assessment_id"]), consented_only=True, synthetic=synthetic, questionnaire_id=qid)
        q = instrument.questionnaire
        answers = {aid: applicable_answers(q, profile, a or {})[1] for aid, profile, a in rows}
    return Pool(frame, synthetic, answers)


def _neighbour_index(instrument: Instrument, pool: Pool, frame: pd.DataFrame) -> NeighbourIndex | None:
    if pool.answers is None:
        return None
    key = f"{instrument.content_hash}:{pool.key}"
    index = _NEIGHBOUR_CACHE.get(key)
    if index is None:
        q = instrument.questionnaire
        frame = frame[frame["assessment_id"].isin(pool.answers.keys())]
        adoption = adoption_matrix(q, [pool.answers[a] for a in frame["assessment_id"]])
        dims = [d.id for d in q.dimensions]
        index = NeighbourIndex.fit(frame, dims, adoption, adoption_items(q), load_segments().codes("size"), synthetic=pool.synthetic)
        _NEIGHBOUR_CACHE.clear()  # one pool at a time is enough; the next change makes it stale anyway
        _NEIGHBOUR_CACHE[key] = index
    return index


def benchmark_firm(instrument: Instrument, profile: Profile, answers: Answers, result: Result, pool: Pool,
                   k: int = DEFAULT_K, assessment_id: Any = None) -> BenchmarkReport:
    """``assessment_id``: the firm's own stored assessment, left out of its peers if it is in the pool."""
    q = instrument.questionnaire
    dims = [d.id for d in q.dimensions]
    metrics = ["overall", *dims]
    # A dimension nobody scored yet (or an empty pool) still gets its column.
    frame = pool.frame.assign(**{c: np.nan for c in ["assessment_id", *metrics] if c not in pool.frame.columns})
    peer_key = f"{pool.key}:{k}:{','.join(metrics)}"
    peer_pool = _PEER_CACHE.get(peer_key)
    if peer_pool is None:  # built once per pool, not per request (app sessions share it across threads)
        peer_pool = PeerPool.from_frame(frame, metrics, k=k)
        _PEER_CACHE.clear()
        _PEER_CACHE[peer_key] = peer_pool
    scores = {"overall": result.overall, **result.dimension_scores()}
    peers = percentiles(peer_pool, profile, scores, _own_values(frame, assessment_id, metrics))
    matrix = frame[dims].to_numpy(dtype=float, na_value=np.nan)
    model = cached_archetypes(matrix, tuple(dims), pool.synthetic)
    archetype = firm_archetype(model, result.dimension_scores(), len(frame) if len(frame) >= k else 0, pool.synthetic)
    index = _neighbour_index(instrument, pool, frame)
    neighbours = None
    if index is not None:
        effective = applicable_answers(q, profile, answers)[1]
        neighbours = index.signals(profile, result.dimension_scores(), result.overall, adoption_vector(q, effective))
    return BenchmarkReport(peers, compare_indicators(q, profile, answers), archetype, neighbours)


def _own_values(frame: pd.DataFrame, assessment_id: Any, metrics: list[str]) -> dict[str, float | None] | None:
    if assessment_id is None:
        return None
    rows = frame[frame["assessment_id"].astype(str) == str(assessment_id)]
    if rows.empty:
        return None
    return {m: (None if pd.isna(v) else float(v)) for m, v in rows.iloc[0][metrics].items()}
