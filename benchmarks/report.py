"""Everything the results page, the PDF and the CLI show about a firm against benchmarks.

``benchmark_firm`` is pure: it takes the pool as a data frame (one row per completed, consenting
assessment) and, optionally, the pool's answers for nearest-peer signals. Reading the pool from
storage is the application layer's job (``services.pool``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from benchmarks.adoption import adoption_items, adoption_matrix, adoption_vector
from benchmarks.archetypes import ArchetypeModel, FirmArchetype, cached_archetypes, firm_archetype
from benchmarks.disclosure import DEFAULT_POLICY, DisclosurePolicy
from benchmarks.indicators import IndicatorComparison, compare_indicators
from benchmarks.neighbours import NeighbourIndex, NeighbourSignals
from benchmarks.peers import PeerComparison, PeerPool, percentiles
from content.memo import Memo
from domain import Answers, JsonObject, Profile
from questionnaires.registry import Instrument
from questionnaires.segments import load_segments
from scoring.applicability import applicable_answers
from scoring.result import Result

PoolSource = Literal["real", "synthetic", "auto"]
# Built once per pool (sorting every cell, fitting the index) and shared by every request on it.
_NEIGHBOURS: Memo[NeighbourIndex] = Memo(max_entries=4)
_PEERS: Memo[PeerPool] = Memo(max_entries=8)


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

    def to_json(self) -> JsonObject:
        return {"synthetic": self.synthetic, "peers": self.peers.to_json(), "indicators": [i.to_json() for i in self.indicators],
                "archetype": self.archetype.to_json(), "neighbours": self.neighbours.to_json() if self.neighbours else None}


def _neighbour_index(instrument: Instrument, pool: Pool, frame: pd.DataFrame) -> NeighbourIndex | None:
    if pool.answers is None:
        return None
    answers = pool.answers

    def fit() -> NeighbourIndex:
        q = instrument.questionnaire
        rows = frame[frame["assessment_id"].isin(answers.keys())]
        adoption = adoption_matrix(q, [answers[a] for a in rows["assessment_id"]])
        dims = [d.id for d in q.dimensions]
        return NeighbourIndex.fit(rows, dims, adoption, adoption_items(q), load_segments().codes("size"), synthetic=pool.synthetic)

    return _NEIGHBOURS.get_or_compute(f"{instrument.content_hash}:{pool.key}", fit)


def _fitted(instrument: Instrument, pool: Pool, policy: DisclosurePolicy
            ) -> tuple[pd.DataFrame, list[str], PeerPool, ArchetypeModel | None, NeighbourIndex | None]:
    """What every firm's comparison with ``pool`` shares, fitted once per pool (memoised): the
    sorted peer cells, the archetype model and the nearest-neighbour index."""
    dims = [d.id for d in instrument.questionnaire.dimensions]
    metrics = ["overall", *dims]
    # A dimension nobody scored yet (or an empty pool) still gets its column.
    frame = pool.frame.assign(**{c: np.nan for c in ["assessment_id", *metrics] if c not in pool.frame.columns})
    peer_pool = _PEERS.get_or_compute(f"{pool.key}:{policy.k}:{','.join(metrics)}", lambda: PeerPool.from_frame(frame, metrics, policy))
    model = cached_archetypes(frame[dims].to_numpy(dtype=float, na_value=np.nan), tuple(dims), pool.synthetic)
    return frame, metrics, peer_pool, model, _neighbour_index(instrument, pool, frame)


def warm(instrument: Instrument, pool: Pool, policy: DisclosurePolicy = DEFAULT_POLICY) -> None:
    """Fit the pool's shared parts now (at server start-up) rather than on the first results view."""
    _fitted(instrument, pool, policy)


def benchmark_firm(instrument: Instrument, profile: Profile, answers: Answers, result: Result, pool: Pool,
                   policy: DisclosurePolicy = DEFAULT_POLICY, assessment_id: str | None = None) -> BenchmarkReport:
    """``assessment_id``: the firm's own stored assessment, left out of its peers if it is in the pool."""
    q = instrument.questionnaire
    frame, metrics, peer_pool, model, index = _fitted(instrument, pool, policy)
    scores = {"overall": result.overall, **result.dimension_scores()}
    peers = percentiles(peer_pool, profile, scores, _own_values(frame, assessment_id, metrics))
    archetype = firm_archetype(model, result.dimension_scores(), len(frame) if policy.allows(len(frame)) else 0, pool.synthetic)
    neighbours = None
    if index is not None:
        effective = applicable_answers(q, profile, answers)[1]
        neighbours = index.signals(profile, result.dimension_scores(), result.overall, adoption_vector(q, effective))
    return BenchmarkReport(peers, compare_indicators(q, profile, answers), archetype, neighbours)


def _own_values(frame: pd.DataFrame, assessment_id: str | None, metrics: list[str]) -> dict[str, float | None] | None:
    if assessment_id is None:
        return None
    rows = frame[frame["assessment_id"].astype(str) == str(assessment_id)]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return {m: (None if pd.isna(v) else float(v)) for m in metrics for v in (row[m],)}
