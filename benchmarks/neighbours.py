"""Nearest peers: what the most similar firms that are ahead of this one already use.

Similarity is over the profile and the scores: firms of the same sector (one index per sector,
which is a sector one-hot with an infinite weight), then size band (ordinal) and the dimension
scores. When the sector holds too few firms, all sectors are searched and the result says so.
Among the neighbours, the "leaders" are the top quartile by overall score that are ahead of the
firm; items most of them have adopted and the firm has not become signals for the roadmap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from benchmarks.adoption import AdoptionItem
from benchmarks.disclosure import DEFAULT_POLICY
from domain import JsonObject, Profile

N_NEIGHBOURS = 50
MIN_SHARE = 0.5  # an item is a signal when at least half the leaders use it
MAX_SIGNALS = 10


@dataclass(frozen=True)
class PeerSignal:
    item: str
    question: str
    option: str | None
    label: dict[str, str]
    share: float  # 0..1 of the leaders who use it
    leaders: int

    def to_json(self) -> JsonObject:
        return {"item": self.item, "question": self.question, "option": self.option, "label": self.label,
                "share": round(self.share, 3), "leaders": self.leaders}


@dataclass(frozen=True)
class NeighbourSignals:
    available: bool
    reason: str | None  # "not_enough_data" | "no_leaders" (the firm is ahead of its neighbours)
    scope: str | None  # "sector" | "all_sectors"
    neighbours: int
    leaders: int
    signals: tuple[PeerSignal, ...]
    synthetic: bool

    def to_json(self) -> JsonObject:
        return {"available": self.available, "reason": self.reason, "scope": self.scope, "neighbours": self.neighbours,
                "leaders": self.leaders, "synthetic": self.synthetic, "signals": [s.to_json() for s in self.signals]}


@dataclass
class NeighbourIndex:
    """Fitted once per pool (``report`` caches it); queries then take about a millisecond."""

    dimensions: tuple[str, ...]
    sizes: tuple[str, ...]
    means: np.ndarray  # pool mean per dimension, stands in for a missing score
    features: np.ndarray  # (n, 1 + dims): size rank 0..1, then scores / 100
    sectors: np.ndarray  # (n,) sector code per firm
    overall: np.ndarray
    adoption: np.ndarray  # (n, items) bool
    items: tuple[AdoptionItem, ...]
    synthetic: bool
    n_neighbours: int = N_NEIGHBOURS
    _by_sector: dict[str, tuple[NearestNeighbors, np.ndarray]] = field(default_factory=dict, repr=False)
    _all: NearestNeighbors | None = field(default=None, repr=False)

    @classmethod
    def fit(cls, frame: pd.DataFrame, dimensions: list[str], adoption: np.ndarray, items: tuple[AdoptionItem, ...],
            sizes: list[str], n_neighbours: int = N_NEIGHBOURS, synthetic: bool = False) -> NeighbourIndex:
        """``frame`` has sector, size, overall and the dimension columns, row-aligned with ``adoption``."""
        scores = frame[list(dimensions)].to_numpy(dtype=float, na_value=np.nan)
        means = np.nan_to_num(np.nanmean(scores, axis=0)) if len(frame) else np.zeros(len(dimensions))
        size_rank = _size_rank(tuple(sizes), frame["size"].astype(str).to_numpy())
        features = np.column_stack([size_rank, np.where(np.isnan(scores), means, scores) / 100.0])
        index = cls(tuple(dimensions), tuple(sizes), means, features, frame["sector"].astype(str).to_numpy(),
                    frame["overall"].to_numpy(dtype=float, na_value=np.nan), adoption, items, synthetic, n_neighbours)
        for sector in np.unique(index.sectors):
            rows = np.flatnonzero(index.sectors == sector)
            if len(rows) >= n_neighbours:
                index._by_sector[sector] = (NearestNeighbors(n_neighbors=n_neighbours).fit(index.features[rows]), rows)
        return index

    def _firm_features(self, profile: Profile, scores: dict[str, float | None]) -> np.ndarray:
        values = [scores.get(d) for d in self.dimensions]
        dims = [self.means[i] if v is None else v for i, v in enumerate(values)]
        return np.concatenate([_size_rank(self.sizes, np.array([profile.size])), np.array(dims, dtype=float) / 100.0])[None, :]

    def _neighbours(self, profile: Profile, x: np.ndarray) -> tuple[np.ndarray, str]:
        hit = self._by_sector.get(profile.sector)
        if hit is not None:
            model, rows = hit
            return rows[model.kneighbors(x, return_distance=False)[0]], "sector"
        if self._all is None:
            self._all = NearestNeighbors(n_neighbors=self.n_neighbours).fit(self.features)
        return self._all.kneighbors(x, return_distance=False)[0], "all_sectors"

    def signals(self, profile: Profile, scores: dict[str, float | None], overall: float | None,
                firm_adoption: np.ndarray) -> NeighbourSignals:
        """What the leaders among this firm's nearest peers use and it does not (see the module docstring)."""
        if len(self.features) < self.n_neighbours or overall is None:
            return NeighbourSignals(False, "not_enough_data", None, 0, 0, (), self.synthetic)
        near, scope = self._neighbours(profile, self._firm_features(profile, scores))
        near_overall = self.overall[near]
        cut = np.nanquantile(near_overall, 0.75)
        leaders = near[(near_overall >= cut) & (near_overall > overall)]
        if not DEFAULT_POLICY.allows(len(leaders)):  # never a signal from fewer firms than the policy's k
            return NeighbourSignals(False, "no_leaders", scope, len(near), len(leaders), (), self.synthetic)
        share = self.adoption[leaders].mean(axis=0)
        candidates = np.flatnonzero((share >= MIN_SHARE) & ~firm_adoption)
        ranked = candidates[np.lexsort((candidates, -share[candidates]))][:MAX_SIGNALS]  # ties by instrument order
        signals = tuple(PeerSignal(self.items[j].key, self.items[j].question, self.items[j].option, self.items[j].label,
                                   float(share[j]), len(leaders)) for j in ranked)
        return NeighbourSignals(True, None, scope, len(near), len(leaders), signals, self.synthetic)


def _size_rank(sizes: tuple[str, ...], values: np.ndarray) -> np.ndarray:
    """Size band as 0..1 (ordinal): neighbouring bands are close, 1-4 and 500+ far apart."""
    rank = {code: i / max(len(sizes) - 1, 1) for i, code in enumerate(sizes)}
    return pd.Series(values, dtype=object).map(rank).fillna(0.0).to_numpy(dtype=float)
