"""An attacker written for the tests, independent of releases/audit.py: the textbook LP over the
hidden finest cube (counts x ≥ 0, score sums 0 ≤ s ≤ 100·x cell by cell), with every figure of
the release that a reader sees: published counts as equalities, published means (one decimal) as
sum intervals, "x" as at least one firm (zeros are published)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from scipy.optimize import linprog

from releases.model import GRAIN, PublishedCell, Release


def _fiber(codes: dict[str, tuple[str, ...]], dims: Sequence[str], key: Sequence[str]) -> np.ndarray:
    grid = np.indices(tuple(len(codes[d]) for d in GRAIN)).reshape(len(GRAIN), -1)
    mask = np.ones(grid.shape[1], dtype=bool)
    for dim, code in zip(dims, key, strict=True):
        mask &= grid[GRAIN.index(dim)] == codes[dim].index(code)
    return np.flatnonzero(mask)


class StageAttacker:
    """The LP for one stage block of a release (no cohort)."""

    def __init__(self, release: Release, stage: str, codes: dict[str, tuple[str, ...]]):
        self.codes = codes
        self.size = int(np.prod([len(codes[d]) for d in GRAIN]))
        dims = {t.id: t.dims for t in release.tables}
        self.cells = [(c, _fiber(codes, dims[c.table_id], c.key)) for c in release.cells if c.stage == stage]
        size = self.size
        a_eq, b_eq, a_ub, b_ub = [], [], [], []
        for cell, fiber in self.cells:
            x, s = np.zeros(2 * size), np.zeros(2 * size)
            x[fiber], s[size + fiber] = 1, 1
            if cell.status == "x":
                a_ub.append(-x)
                b_ub.append(-1.0)
                continue
            assert cell.n is not None
            a_eq.append(x)
            b_eq.append(cell.n)
            if cell.n and cell.mean_overall is not None:
                a_ub += [s, -s]
                b_ub += [cell.n * (cell.mean_overall + 0.05), -cell.n * (cell.mean_overall - 0.05)]
        for i in range(size):  # s_i − 100·x_i ≤ 0
            row = np.zeros(2 * size)
            row[size + i], row[i] = 1, -100
            a_ub.append(row)
            b_ub.append(0.0)
        self.a_eq, self.b_eq, self.a_ub, self.b_ub = np.array(a_eq), np.array(b_eq), np.array(a_ub), np.array(b_ub)
        self.points: list[np.ndarray] = []

    def objective(self, cell: PublishedCell, what: str) -> np.ndarray:
        fiber = next(f for c, f in self.cells if c is cell)
        out = np.zeros(2 * self.size)
        out[fiber + (0 if what == "count" else self.size)] = 1
        return out

    def _extreme(self, objective: np.ndarray) -> float:
        result = linprog(objective, A_ub=self.a_ub, b_ub=self.b_ub, A_eq=self.a_eq if len(self.a_eq) else None,
                         b_eq=self.b_eq if len(self.b_eq) else None, bounds=(0, None), method="highs")
        if result.status == 3:
            return -np.inf
        assert result.status == 0, result.message
        self.points.append(result.x)
        return float(result.fun)

    def width_at_least(self, cell: PublishedCell, what: str, needed: float) -> float:
        """The interval's width if below ``needed`` (exact), else a value ≥ needed: stops early when
        two feasible hidden cubes already differ by ``needed`` in this cell."""
        objective = self.objective(cell, what)
        seen = [float(objective @ p) for p in self.points]
        if seen and max(seen) - min(seen) >= needed:
            return max(seen) - min(seen)
        low = self._extreme(objective)
        seen.append(low)
        if max(seen) - low >= needed:
            return max(seen) - low
        return -self._extreme(-objective) - low


def narrow_primary_cells(release: Release, truth: dict[tuple[str, str, tuple[str, ...]], int],
                         codes: dict[str, tuple[str, ...]], k: int) -> list[tuple[str, str, tuple[str, ...], float]]:
    """Cells with 1..k−1 firms in truth whose count the attacker bounds to an interval narrower than k."""
    out = []
    for stage in release.parameters.stages:
        attacker = StageAttacker(release, stage, codes)
        for cell, _ in attacker.cells:
            n = truth[(stage, cell.table_id, cell.key)]
            if 0 < n < k:
                width = attacker.width_at_least(cell, "count", k - 1e-6)
                if width < k - 1e-6:
                    out.append((stage, cell.table_id, cell.key, width))
    return out


def table_truth(counts_by_stage: dict[str, np.ndarray], release: Release,
                codes: dict[str, tuple[str, ...]]) -> dict[tuple[str, str, tuple[str, ...]], int]:
    """True firm counts of every cell of every registered table, summed directly from the counts array."""
    out = {}
    for stage, counts in counts_by_stage.items():
        for table in release.tables:
            axes = tuple(i for i, d in enumerate(GRAIN) if d not in table.dims)
            summed = counts.sum(axis=axes) if axes else counts
            for key in itertools.product(*(codes[d] for d in table.dims)):
                index = tuple(codes[d].index(code) for d, code in zip(table.dims, key, strict=True))
                out[(stage, table.id, key)] = int(summed[index]) if index else int(summed)
    return out
