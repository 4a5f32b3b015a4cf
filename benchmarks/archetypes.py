"""Archetypes: typical dimension-score profiles of the pool (KMeans), and which one a firm resembles.

The number of archetypes is chosen by silhouette in a small range, on a sample. The model is
cached and refitted only when the pool changes materially (its size by more than 5 %, or a
dimension mean by more than half a point): fitting happens when the pool moves, never per request.
Each archetype is described from its centroid: dimensions well above
(strengths) or below (gaps) the pool mean, and named by its shape (``archetype_names``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from benchmarks.archetype_names import ArchetypeName, name_archetypes
from benchmarks.disclosure import DEFAULT_POLICY, DisclosurePolicy
from domain import JsonObject

K_RANGE = (3, 6)
MIN_FIRMS = 100  # below this, clusters would be noise
SILHOUETTE_SAMPLE = 2000
FIT_SAMPLE = 10_000  # k is chosen on a sample; the final fit starts from the sample's centres
GAP_POINTS = 10.0  # a dimension this far from the mean is a strength or a gap
REFIT_SIZE_SHARE = 0.05
REFIT_MEAN_POINTS = 0.5
_CACHE: dict[str, ArchetypeModel] = {}  # one model per pool kind (real / synthetic) and dimension list


@dataclass(frozen=True)
class Archetype:
    id: int  # 0-based, ordered by mean score (0 = least mature)
    share: float  # of the pool
    centroid: dict[str, float]
    strengths: tuple[str, ...]  # dimension ids, largest lead first
    gaps: tuple[str, ...]
    name: ArchetypeName  # what it is, by the rule in archetype_names.yaml

    def to_json(self) -> JsonObject:
        return {"id": self.id, "share": round(self.share, 3), "centroid": {k: round(v, 1) for k, v in self.centroid.items()},
                "strengths": list(self.strengths), "gaps": list(self.gaps), "name": self.name.to_json()}


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

    def to_json(self) -> JsonObject:
        return {"available": self.available, "reason": self.reason, "n": self.n, "synthetic": self.synthetic,
                "archetype": self.archetype.to_json() if self.archetype else None,
                "above": [[d, round(v, 1)] for d, v in self.above], "below": [[d, round(v, 1)] for d, v in self.below],
                "k": len(self.archetypes)}


def pool_fingerprint(matrix: np.ndarray, dimensions: tuple[str, ...], synthetic: bool) -> str:
    """Identifies the pool a model was fitted on (kind, size and means), for logs and JSON."""
    means = [float(m) for m in np.round(np.asarray(np.nanmean(matrix, axis=0)), 2)] if len(matrix) else []
    doc = {"dims": list(dimensions), "synthetic": synthetic, "n": len(matrix), "means": means}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]


def changed_materially(model: ArchetypeModel, matrix: np.ndarray, dimensions: tuple[str, ...], synthetic: bool) -> bool:
    """True when the pool is no longer the one ``model`` describes: other dimensions or kind,
    size changed by more than REFIT_SIZE_SHARE, or a dimension mean moved more than REFIT_MEAN_POINTS."""
    if model.dimensions != dimensions or model.synthetic != synthetic:
        return True
    if abs(len(matrix) - model.n) > REFIT_SIZE_SHARE * model.n:
        return True
    return bool(np.nanmax(np.abs(np.nanmean(matrix, axis=0) - model.means)) > REFIT_MEAN_POINTS)


def fit_archetypes(matrix: np.ndarray, dimensions: tuple[str, ...], synthetic: bool = False, seed: int = 0,
                   k_range: tuple[int, int] = K_RANGE, policy: DisclosurePolicy = DEFAULT_POLICY) -> ArchetypeModel | None:
    """KMeans with k in ``k_range`` chosen by silhouette; None when the pool is too small or
    every k leaves an archetype with fewer firms than the disclosure policy's k."""
    if len(matrix) < MIN_FIRMS:
        return None
    means = np.nanmean(matrix, axis=0)
    data = np.where(np.isnan(matrix), means, matrix)
    rng = np.random.default_rng(seed)
    sample = data[rng.choice(len(data), min(len(data), FIT_SAMPLE), replace=False)]
    best: tuple[float, KMeans] | None = None
    for k in range(k_range[0], k_range[1] + 1):
        trial = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(sample)
        if not policy.allows(int(np.bincount(trial.labels_, minlength=k).min())):
            continue
        score = float(silhouette_score(sample, trial.labels_, sample_size=min(len(sample), SILHOUETTE_SAMPLE), random_state=seed))
        if best is None or score > best[0]:
            best = (score, trial)
    if best is None:
        return None
    k = best[1].n_clusters
    model = KMeans(n_clusters=k, init=best[1].cluster_centers_, n_init=1).fit(data)
    if not policy.allows(int(np.bincount(model.labels_, minlength=k).min())):
        return None
    order = np.argsort(model.cluster_centers_.mean(axis=1), kind="stable")
    centers = model.cluster_centers_[order]
    counts = np.bincount(model.labels_, minlength=k)[order]
    names = name_archetypes(centers, means, dimensions)
    archetypes = tuple(_describe(i, centers[i], means, dimensions, counts[i] / len(data), names[i]) for i in range(len(centers)))
    return ArchetypeModel(dimensions, means, centers, archetypes, best[0], len(data), synthetic,
                          pool_fingerprint(matrix, dimensions, synthetic))


def _describe(i: int, center: np.ndarray, means: np.ndarray, dimensions: tuple[str, ...], share: float,
              name: ArchetypeName) -> Archetype:
    diff = center - means
    order = np.argsort(-diff, kind="stable")
    strengths = tuple(dimensions[j] for j in order if diff[j] >= GAP_POINTS)
    gaps = tuple(dimensions[j] for j in order[::-1] if diff[j] <= -GAP_POINTS)
    return Archetype(i, float(share), {d: float(v) for d, v in zip(dimensions, center, strict=True)}, strengths, gaps, name)


def cached_archetypes(matrix: np.ndarray, dimensions: tuple[str, ...], synthetic: bool = False, seed: int = 0) -> ArchetypeModel | None:
    """The model for this pool: the cached one unless the pool changed materially, else a new fit."""
    key = f"{synthetic}:{','.join(dimensions)}"
    model = _CACHE.get(key)
    if model is None or changed_materially(model, matrix, dimensions, synthetic):
        model = fit_archetypes(matrix, dimensions, synthetic, seed)
        if model is None:
            _CACHE.pop(key, None)
            return None
        _CACHE[key] = model
    return model


def firm_archetype(model: ArchetypeModel | None, scores: dict[str, float | None], n: int = 0, synthetic: bool = False) -> FirmArchetype:
    if model is None:
        return FirmArchetype(False, "not_enough_data", None, (), (), (), n, synthetic)
    best = model.archetypes[model.nearest(scores)]
    diffs = [(d, score - best.centroid[d]) for d in model.dimensions if (score := scores.get(d)) is not None]
    above = tuple(sorted(((d, v) for d, v in diffs if v >= GAP_POINTS), key=lambda x: -x[1]))
    below = tuple(sorted(((d, v) for d, v in diffs if v <= -GAP_POINTS), key=lambda x: x[1]))
    return FirmArchetype(True, None, best, above, below, model.archetypes, model.n, model.synthetic)
