"""Archetypes: typical dimension-score profiles of the pool (KMeans), and which one a firm resembles.

The number of archetypes is chosen by silhouette in a small range, on a sample, and the model is
cached by a pool fingerprint that only changes when the pool changes materially (size by more
than a few percent, or a dimension mean by more than half a point): fitting happens when the pool
moves, never per request. Each archetype is described from its centroid: dimensions well above
(strengths) or below (gaps) the pool mean.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

K_RANGE = (3, 6)
MIN_FIRMS = 100  # below this, clusters would be noise
SILHOUETTE_SAMPLE = 2000
FIT_SAMPLE = 10_000  # k is chosen on a sample; the final fit starts from the sample's centres
GAP_POINTS = 10.0  # a dimension this far from the mean is a strength or a gap
_CACHE: dict[str, ArchetypeModel] = {}
_CACHE_SIZE = 4


@dataclass(frozen=True)
class Archetype:
    id: int  # 0-based, ordered by mean score (0 = least mature)
    share: float  # of the pool
    centroid: dict[str, float]
    strengths: tuple[str, ...]  # dimension ids, largest lead first
    gaps: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "share": round(self.share, 3), "centroid": {k: round(v, 1) for k, v in self.centroid.items()},
                "strengths": list(self.strengths), "gaps": list(self.gaps)}


@dataclass(frozen=True)
class ArchetypeModel:
    dimensions: tuple[str, ...]
    means: np.ndarray
    centers: np.ndarray  # (k, dims), ordered like ``archetypes``
    archetypes: tuple[Archetype, ...]
    silhouette: float
    n: int
    synthetic: bool
    fingerprint: str

    def nearest(self, scores: dict[str, float | None]) -> int:
        x = np.array([self.means[i] if scores.get(d) is None else scores[d] for i, d in enumerate(self.dimensions)])
        return int(np.argmin(((self.centers - x) ** 2).sum(axis=1)))


@dataclass(frozen=True)
class FirmArchetype:
    """The archetype a firm resembles, and how its scores differ from that archetype's centroid."""

    available: bool
    reason: str | None  # "not_enough_data"
    archetype: Archetype | None
    above: tuple[tuple[str, float], ...]  # (dimension, points above the centroid), largest first
    below: tuple[tuple[str, float], ...]
    archetypes: tuple[Archetype, ...]
    n: int
    synthetic: bool

    def to_json(self) -> dict[str, Any]:
        return {"available": self.available, "reason": self.reason, "n": self.n, "synthetic": self.synthetic,
                "archetype": self.archetype.to_json() if self.archetype else None,
                "above": [[d, round(v, 1)] for d, v in self.above], "below": [[d, round(v, 1)] for d, v in self.below],
                "k": len(self.archetypes)}


def pool_fingerprint(matrix: np.ndarray, dimensions: tuple[str, ...], synthetic: bool) -> str:
    """Stable while the pool only drifts: size on a 5 % geometric grid, means to half a point."""
    n = len(matrix)
    size_step = int(np.floor(np.log(n) / np.log(1.05))) if n else -1
    means = np.round(np.nanmean(matrix, axis=0) * 2) / 2 if n else []
    doc = {"dims": list(dimensions), "synthetic": synthetic, "n": size_step, "means": [float(m) for m in means]}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]


def fit_archetypes(matrix: np.ndarray, dimensions: tuple[str, ...], synthetic: bool = False, seed: int = 0,
                   k_range: tuple[int, int] = K_RANGE) -> ArchetypeModel | None:
    """KMeans with k in ``k_range`` chosen by silhouette; None when the pool is too small."""
    if len(matrix) < MIN_FIRMS:
        return None
    means = np.nanmean(matrix, axis=0)
    data = np.where(np.isnan(matrix), means, matrix)
    rng = np.random.default_rng(seed)
    sample = data[rng.choice(len(data), min(len(data), FIT_SAMPLE), replace=False)]
    best: tuple[float, KMeans] | None = None
    for k in range(k_range[0], k_range[1] + 1):
        trial = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(sample)
        score = float(silhouette_score(sample, trial.labels_, sample_size=min(len(sample), SILHOUETTE_SAMPLE), random_state=seed))
        if best is None or score > best[0]:
            best = (score, trial)
    k = best[1].n_clusters
    model = KMeans(n_clusters=k, init=best[1].cluster_centers_, n_init=1).fit(data)
    order = np.argsort(model.cluster_centers_.mean(axis=1), kind="stable")
    centers = model.cluster_centers_[order]
    counts = np.bincount(model.labels_, minlength=k)[order]
    archetypes = tuple(_describe(i, centers[i], means, dimensions, counts[i] / len(data)) for i in range(len(centers)))
    return ArchetypeModel(dimensions, means, centers, archetypes, best[0], len(data), synthetic,
                          pool_fingerprint(matrix, dimensions, synthetic))


def _describe(i: int, center: np.ndarray, means: np.ndarray, dimensions: tuple[str, ...], share: float) -> Archetype:
    diff = center - means
    order = np.argsort(-diff, kind="stable")
    strengths = tuple(dimensions[j] for j in order if diff[j] >= GAP_POINTS)
    gaps = tuple(dimensions[j] for j in order[::-1] if diff[j] <= -GAP_POINTS)
    return Archetype(i, float(share), {d: float(v) for d, v in zip(dimensions, center, strict=True)}, strengths, gaps)


def cached_archetypes(matrix: np.ndarray, dimensions: tuple[str, ...], synthetic: bool = False, seed: int = 0) -> ArchetypeModel | None:
    """The fitted model for this pool, refitted only when its fingerprint changes."""
    key = pool_fingerprint(matrix, dimensions, synthetic)
    if key not in _CACHE:
        model = fit_archetypes(matrix, dimensions, synthetic, seed)
        if model is None:
            return None
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = model
    return _CACHE[key]


def firm_archetype(model: ArchetypeModel | None, scores: dict[str, float | None], n: int = 0, synthetic: bool = False) -> FirmArchetype:
    if model is None:
        return FirmArchetype(False, "not_enough_data", None, (), (), (), n, synthetic)
    best = model.archetypes[model.nearest(scores)]
    diffs = [(d, scores[d] - best.centroid[d]) for d in model.dimensions if scores.get(d) is not None]
    above = tuple(sorted(((d, v) for d, v in diffs if v >= GAP_POINTS), key=lambda x: -x[1]))
    below = tuple(sorted(((d, v) for d, v in diffs if v <= -GAP_POINTS), key=lambda x: x[1]))
    return FirmArchetype(True, None, best, above, below, model.archetypes, model.n, model.synthetic)
