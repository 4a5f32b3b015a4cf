"""Synthetic (invented, labelled synthetic) populations for the release tests: firms scattered over
the finest cells with skewed weights, random scores, summed into cube cells the way storage's
GROUP BY would."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from releases.lattice import load_lattice
from releases.model import GRAIN, HISTOGRAM_BINS, CohortCubeCell, CubeCell


@dataclass(frozen=True)
class Firms:
    cell: np.ndarray  # finest cell index of each firm (lattice order)
    score: np.ndarray  # overall score 0–100


def shape() -> tuple[int, ...]:
    lattice = load_lattice()
    return tuple(len(lattice.codes(d)) for d in GRAIN)


def skewed_firms(firms: int, seed: int, active_share: float = 1.0, pareto: float = 1.2) -> Firms:
    """``firms`` firms over the finest cells: Pareto weights on a random share of the cells."""
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape()))
    weights = (rng.pareto(pareto, size) + 0.01) * (rng.random(size) < active_share)
    if weights.sum() == 0:
        weights[0] = 1.0
    return Firms(rng.choice(size, firms, p=weights / weights.sum()), rng.uniform(0, 100, firms).round(1))


def _key(index: int) -> tuple[str, str, str]:
    lattice = load_lattice()
    position = np.unravel_index(index, shape())
    g, b, r = (lattice.codes(d)[int(i)] for d, i in zip(GRAIN, position, strict=True))
    return g, b, r


def cube(population: Firms, stage: str = "T0") -> list[CubeCell]:
    cells = []
    for index in np.unique(population.cell):
        scores = population.score[population.cell == index]
        n = len(scores)
        histogram = np.bincount(np.minimum(scores // 10, HISTOGRAM_BINS - 1).astype(int), minlength=HISTOGRAM_BINS)
        level = np.minimum(scores // 25, 3).astype(int)
        cells.append(CubeCell(stage, *_key(int(index)), n, float(scores.sum()), float((scores ** 2).sum()),
                              {"strategy": float(scores.sum())}, {"strategy": n},
                              {f"level_{j}": int((level == j).sum()) for j in range(4)}, {"basic": n},
                              tuple(int(h) for h in histogram)))
    return cells


def cube_from_counts(counts: np.ndarray, stage: str = "T0", seed: int = 0) -> list[CubeCell]:
    """A cube with exactly ``counts`` firms per finest cell (array of the lattice's shape)."""
    flat = np.asarray(counts).ravel()
    cells = np.repeat(np.arange(flat.size), flat)
    return cube(Firms(cells, np.random.default_rng(seed).uniform(0, 100, len(cells)).round(1)), stage)


def two_stages(firms: int, seed: int, cohort_share: float) -> tuple[list[CubeCell], list[CohortCubeCell]]:
    """T1 firms, a share of them also assessed at T0 (the cohort, same cell), plus T0-only firms."""
    rng = np.random.default_rng(seed + 7)
    t1 = skewed_firms(firms, seed)
    in_cohort = rng.random(firms) < cohort_share
    cohort_t0 = rng.uniform(0, 100, int(in_cohort.sum())).round(1)
    others = skewed_firms(firms // 2, seed + 1)
    t0 = Firms(np.concatenate([t1.cell[in_cohort], others.cell]), np.concatenate([cohort_t0, others.score]))
    cohort = []
    cohort_cells, cohort_t1 = t1.cell[in_cohort], t1.score[in_cohort]
    for index in np.unique(cohort_cells):
        here = cohort_cells == index
        before, after = cohort_t0[here], cohort_t1[here]
        up, down = int((after // 25 > before // 25).sum()), int((after // 25 < before // 25).sum())
        cohort.append(CohortCubeCell(*_key(int(index)), int(here.sum()), float(before.sum()), float(after.sum()),
                                     up, int(here.sum()) - up - down, down))
    return cube(t0, "T0") + cube(t1, "T1"), cohort
