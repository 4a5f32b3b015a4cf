"""The peer pool: percentile ranks of a firm's scores among comparable, consenting firms.

Cells are sector × size × region; when a firm's cell holds fewer than ``k`` firms we drop
region, then size, then sector, and below ``k`` even for all firms we say there is not enough
data.

Differencing (issue 13, finding 8). Anyone can see every cell some profile reaches, and the
what-if gives a cell's percentile for any score, that is its whole distribution. Two nested cells
both shown would give away the firms in their difference (a sector × size cell of 11 inside a
sector cell of 15 revealed the other 4 firms' scores). So a cell of at least k firms is shown only
if, for the nearest shown cell containing it, the firms left over once all its shown sub-cells are
removed number 0 or at least k; otherwise the smallest sub-cells are withheld until that holds
(their firms then see the coarser cell). Shown cells are nested or disjoint, so any sum or
difference of them covers 0 or at least k firms. The guarantee holds for one k; the app always uses
the policy's k. Every cell is built once as one sorted array per metric (cells contiguous, with offsets),
so a look-up is a slice plus ``np.searchsorted``: milliseconds even for a million firms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from benchmarks.disclosure import DEFAULT_POLICY, DisclosurePolicy
from domain import JsonObject, Profile

PROFILE_FIELDS = ("sector", "size", "region")
# Fallback order: the first level whose cell holds at least k firms is used.
LEVELS: tuple[tuple[str, ...], ...] = (("sector", "size", "region"), ("sector", "size"), ("sector",), ())
QUANTILES = (0.25, 0.5, 0.75)


def level_name(fields: tuple[str, ...]) -> str:
    """'sector+size+region' ... 'all' — a stable id for a fallback level."""
    return "+".join(fields) if fields else "all"


@dataclass(frozen=True)
class MetricComparison:
    """One metric of one firm against its peers; ``percentile`` is None when no cell has k firms."""

    metric: str  # "overall" or a dimension id
    score: float | None
    percentile: float | None  # 0–100: share of peers below, ties counted half
    n: int  # firms in the cell used (0 when suppressed)
    cell: str | None  # level used: "sector+size+region", "sector+size", "sector", "all"
    quartiles: tuple[float, float, float] | None  # q1, median, q3 of the cell

    def to_json(self) -> JsonObject:
        return {
            "score": None if self.score is None else round(self.score, 2),
            "percentile": None if self.percentile is None else round(self.percentile, 1),
            "n": self.n,
            "cell": self.cell,
            "quartiles": None if self.quartiles is None else [round(q, 2) for q in self.quartiles],
        }


@dataclass(frozen=True)
class PeerComparison:
    metrics: dict[str, MetricComparison]
    k: int
    synthetic: bool  # the pool holds synthetic (demonstration) assessments
    pool_size: int

    @property
    def enough_data(self) -> bool:
        return any(m.n > 0 for m in self.metrics.values())

    def to_json(self) -> JsonObject:
        # Even the pool's size is a cell (all firms): below k it is not exported.
        return {"k": self.k, "synthetic": self.synthetic, "pool_size": self.pool_size if self.pool_size >= self.k else None,
                "metrics": {name: m.to_json() for name, m in self.metrics.items()}}


@dataclass(frozen=True)
class _Level:
    """One fallback level: each metric's values sorted within cells, cells laid end to end."""

    fields: tuple[str, ...]
    cell_index: dict[tuple[str, ...], int]
    offsets: dict[str, np.ndarray]  # metric -> (cells + 1,) start of each cell in ``values``
    values: dict[str, np.ndarray]  # metric -> sorted values, cell by cell
    quartiles: dict[str, np.ndarray]  # metric -> (cells, 3), NaN for empty cells
    shown: dict[str, np.ndarray] = field(default_factory=dict)  # metric -> (cells,) may this cell be shown

    def cell(self, metric: str, profile: Profile) -> np.ndarray | None:
        """The cell's sorted values, or None if the profile has no cell here or it is withheld."""
        idx = self.cell_index.get(tuple(getattr(profile, f) for f in self.fields))
        if idx is None or (metric in self.shown and not self.shown[metric][idx]):
            return None
        off = self.offsets[metric]
        return self.values[metric][off[idx]:off[idx + 1]]

    def counts(self, metric: str) -> np.ndarray:
        return np.diff(self.offsets[metric])


@dataclass(frozen=True)
class PeerPool:
    """Precomputed peer cells for a set of metrics; build it with :meth:`from_frame`."""

    metrics: tuple[str, ...]
    k: int
    synthetic: bool
    size: int
    levels: tuple[_Level, ...] = field(repr=False)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, metrics: list[str] | tuple[str, ...], policy: DisclosurePolicy = DEFAULT_POLICY,
                   mix_synthetic: bool = False) -> PeerPool:
        """Build the pool from one row per completed assessment (columns: sector, size, region, metrics,
        optionally ``synthetic``). Real and synthetic rows are refused together unless ``mix_synthetic``."""
        missing = [c for c in (*PROFILE_FIELDS, *metrics) if c not in frame.columns]
        if missing:
            raise ValueError(f"peer pool frame lacks column(s) {missing}")
        flags = frame["synthetic"].astype(bool).to_numpy() if "synthetic" in frame.columns else np.zeros(len(frame), bool)
        if flags.any() and not flags.all() and not mix_synthetic:
            raise ValueError("the pool mixes real and synthetic assessments; pass mix_synthetic=True and label the display")
        codes = {f: pd.Categorical(frame[f].astype(str)) for f in PROFILE_FIELDS}
        by_value = {m: _sorted_rows(frame[m].to_numpy(dtype=float, na_value=np.nan)) for m in metrics}
        levels = tuple(_build_level(fields, codes, by_value) for fields in LEVELS)
        for metric in metrics:
            for level, shown in zip(levels, _shown_cells(levels, metric, policy.k), strict=True):
                level.shown[metric] = shown
        return cls(tuple(metrics), policy.k, bool(flags.any()), len(frame), levels)

    def compare_metric(self, metric: str, profile: Profile, score: float | None, own: float | None = None) -> MetricComparison:
        """Percentile of ``score`` in the finest cell with at least k firms scored on ``metric``.

        ``own``: the firm's own stored value when its assessment is in the pool; it is left out,
        so a firm is compared with the others only (and a cell needs k others)."""
        for level in self.levels:
            values = level.cell(metric, profile)
            if values is None:
                continue
            if own is not None:
                values = _without(values, own)
            if len(values) < self.k:
                continue
            if own is None:
                idx = level.cell_index[tuple(getattr(profile, f) for f in level.fields)]  # present: cell() found it
                q1, median, q3 = (float(v) for v in level.quartiles[metric][idx])
            else:
                q1, median, q3 = (float(v) for v in np.quantile(values, QUANTILES))
            quartiles = (q1, median, q3)
            percentile = None if score is None else percentile_rank(values, score)
            return MetricComparison(metric, score, percentile, len(values), level_name(level.fields), quartiles)
        return MetricComparison(metric, score, None, 0, None, None)


def _shown_cells(levels: tuple[_Level, ...], metric: str, k: int) -> list[np.ndarray]:
    """Per level (finest first, as ``levels``), which cells may be shown for ``metric`` (see the
    module docstring): each shown cell's firms outside its shown sub-cells number 0 or >= k."""
    coarse_first = list(reversed(levels))
    shown = [np.zeros(len(level.cell_index), dtype=bool) for level in coarse_first]
    counts = [level.counts(metric) for level in coarse_first]
    shown[0] = counts[0] >= k  # all firms
    # anchor[i][c]: the nearest shown cell containing cell c of level i, as (level, index), or None
    anchor: list[list[tuple[int, int] | None]] = [[(0, c) if shown[0][c] else None for c in range(len(shown[0]))]]
    covered: dict[tuple[int, int], int] = {}
    for i in range(1, len(coarse_first)):
        level, parent = coarse_first[i], coarse_first[i - 1]
        width = len(parent.fields)
        here: list[tuple[int, int] | None] = [None] * len(level.cell_index)
        groups: dict[tuple[int, int], list[int]] = {}
        for key, c in level.cell_index.items():
            p = parent.cell_index[key[:width]]
            here[c] = (i - 1, p) if shown[i - 1][p] else anchor[i - 1][p]
            owner = here[c]
            if owner is not None and counts[i][c] >= k:
                groups.setdefault(owner, []).append(c)
        for owner, candidates in groups.items():
            candidates.sort(key=lambda c: counts[i][c])
            left = int(counts[owner[0]][owner[1]]) - covered.get(owner, 0) - int(sum(counts[i][c] for c in candidates))
            while 0 < left < k and candidates:
                left += int(counts[i][candidates.pop(0)])  # withhold the smallest sub-cell
            shown[i][candidates] = True
            covered[owner] = covered.get(owner, 0) + int(sum(counts[i][c] for c in candidates))
        anchor.append(here)
    return list(reversed(shown))


def _without(sorted_values: np.ndarray, value: float) -> np.ndarray:
    """``sorted_values`` less one occurrence of ``value`` (unchanged if absent)."""
    i = np.searchsorted(sorted_values, value)
    return np.delete(sorted_values, i) if i < len(sorted_values) and sorted_values[i] == value else sorted_values


def percentile_rank(sorted_values: np.ndarray, score: float) -> float:
    """Share (0–100) of values below ``score``, ties counted half (the mid-rank definition)."""
    below = np.searchsorted(sorted_values, score, side="left")
    not_above = np.searchsorted(sorted_values, score, side="right")
    return float(100.0 * (below + not_above) / (2 * len(sorted_values)))


def percentiles(pool: PeerPool, profile: Profile, scores: dict[str, float | None],
                own: dict[str, float | None] | None = None) -> PeerComparison:
    """Compare every metric of the pool for which ``scores`` has an entry (None scores get n and quartiles only).
    ``own``: the firm's stored values if its own assessment is part of the pool (it is left out)."""
    own = own or {}
    metrics = {m: pool.compare_metric(m, profile, scores.get(m), own.get(m)) for m in pool.metrics if m in scores}
    return PeerComparison(metrics, pool.k, pool.synthetic, pool.size)


def _sorted_rows(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row numbers, values) of the scored rows, by increasing value; sorted once per metric."""
    rows = np.flatnonzero(~np.isnan(column))
    order = np.argsort(column[rows])
    return rows[order], column[rows[order]]


def _build_level(fields: tuple[str, ...], codes: dict[str, pd.Categorical[str]],
                 by_value: dict[str, tuple[np.ndarray, np.ndarray]]) -> _Level:
    n = len(next(iter(codes.values())))
    cell_ids, cell_index = _cell_ids(fields, codes, n)
    small = cell_ids.astype(np.int16) if len(cell_index) < np.iinfo(np.int16).max else cell_ids  # radix sort
    offsets, values, quartiles = {}, {}, {}
    for metric, (rows, sorted_values) in by_value.items():
        ids = small[rows]
        order = np.argsort(ids, kind="stable")  # cells contiguous; the stable sort keeps values sorted inside
        off = np.concatenate(([0], np.cumsum(np.bincount(ids, minlength=len(cell_index)))))
        offsets[metric], values[metric] = off, sorted_values[order]
        quartiles[metric] = _cell_quantiles(values[metric], off)
    return _Level(fields, cell_index, offsets, values, quartiles)


def _cell_ids(fields: tuple[str, ...], codes: dict[str, pd.Categorical[str]], n: int) -> tuple[np.ndarray, dict[tuple[str, ...], int]]:
    """A dense integer id per row for its cell at this level, and the id of each profile tuple."""
    if not fields:
        return np.zeros(n, dtype=np.int64), {(): 0}
    mixed = np.zeros(n, dtype=np.int64)
    for f in fields:
        mixed = mixed * (len(codes[f].categories) + 1) + codes[f].codes.astype(np.int64)
    unique, dense = np.unique(mixed, return_inverse=True)
    first = np.zeros(len(unique), dtype=np.int64)
    first[dense[::-1]] = np.arange(n)[::-1]  # a row of each cell, to read back its profile values
    index = {tuple(str(codes[f][i]) for f in fields): c for c, i in enumerate(first)}
    return dense.astype(np.int64), index


def _cell_quantiles(values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Linear-interpolated quantiles (numpy's default method) of every cell at once."""
    counts = np.diff(offsets)
    out = np.full((len(counts), len(QUANTILES)), np.nan)
    has = counts > 0
    for j, q in enumerate(QUANTILES):
        pos = q * (counts[has] - 1)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, counts[has] - 1)
        frac = pos - lo
        start = offsets[:-1][has]
        out[has, j] = values[start + lo] * (1 - frac) + values[start + hi] * frac
    return out
