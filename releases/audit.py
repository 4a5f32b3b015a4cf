"""The attacker's linear program: what could someone holding the whole release learn about each
primary (n < k) cell?

Unknowns are the hidden finest cube of every block: counts x ≥ 0 and score sums s with
0 ≤ s ≤ 100·x (scores are 0–100). Each published cell's count is an equality; its mean, rounded
to one decimal, bounds its sum to n·(mean ± 0.05); a suppressed cell holds at least one firm
(zeros are published, so "x" means ≥ 1). HiGHS then minimises and maximises each primary cell's
count and sums; the widths are what the attacker cannot narrow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix

from releases.rollup import FloatArray, IndexArray

SCORE_MAX = 100.0
MEAN_HALF_STEP = 0.05  # means are published to one decimal
BoolArray = npt.NDArray[np.bool_]


@dataclass
class AuditBlock:
    """One block's published pattern: a fiber per table cell, its count and sums, whether hidden."""

    name: str
    size: int  # finest cells
    fibers: Sequence[IndexArray]
    n: npt.NDArray[np.int64]
    sums: FloatArray  # (cells, sum series): exact sums, published as rounded means
    suppressed: BoolArray
    primary: BoolArray

    @property
    def series(self) -> int:
        return int(self.sums.shape[1])


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


class _Rows:
    """A sparse constraint matrix built row by row."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.rhs: list[float] = []

    def add(self, terms: Sequence[tuple[IndexArray, float]], rhs: float) -> None:
        row = len(self.rhs)
        for cols, coefficient in terms:
            self.rows.extend([row] * len(cols))
            self.cols.extend(int(c) for c in cols)
            self.vals.extend([coefficient] * len(cols))
        self.rhs.append(rhs)

    def add_cellwise(self, terms: Sequence[tuple[IndexArray, float]], rhs: float) -> None:
        """One row per position: Σ over ``terms`` of coefficient · column[position] ≤/= rhs."""
        first = len(self.rhs)
        count = len(terms[0][0])
        for cols, coefficient in terms:
            self.rows.extend(range(first, first + count))
            self.cols.extend(int(c) for c in cols)
            self.vals.extend([coefficient] * count)
        self.rhs.extend([rhs] * count)

    def matrix(self, width: int) -> tuple[csr_matrix | None, FloatArray | None]:
        if not self.rhs:
            return None, None
        shape = (len(self.rhs), width)
        return coo_matrix((self.vals, (self.rows, self.cols)), shape=shape).tocsr(), np.asarray(self.rhs)


class AttackerProgram:
    """The constraints of one audited set of blocks; ``interval`` solves for one target.

    Per block the columns are s₀ (Σ scores of the first series), t (Σ of 100 − score) and any
    further sum series, so a count is x = (s₀ + t)/100 and 0 ≤ s₀ ≤ 100·x holds through the bounds
    alone: about half the rows of the direct form, and HiGHS needs far fewer iterations."""

    def __init__(self, blocks: Sequence[AuditBlock]):
        self.blocks = blocks
        self.offsets = list(np.cumsum([0] + [b.size * (1 + b.series) for b in blocks]))
        self.width = int(self.offsets[-1])
        self._eq, self._ub = _Rows(), _Rows()
        for index, block in enumerate(blocks):
            self._add_block(index, block)
        self.a_eq, self.b_eq = self._eq.matrix(self.width)
        self.a_ub, self.b_ub = self._ub.matrix(self.width)

    def _columns(self, block: int, position: int, fiber: IndexArray) -> IndexArray:
        columns: IndexArray = (self.offsets[block] + position * self.blocks[block].size + fiber).astype(np.intp)
        return columns

    def hundred_x(self, block: int, fiber: IndexArray, sign: float = 1.0) -> list[tuple[IndexArray, float]]:
        """Terms of 100 × the fiber's count: s₀ + t."""
        return [(self._columns(block, 0, fiber), sign), (self._columns(block, 1, fiber), sign)]

    def total(self, block: int, series: int, fiber: IndexArray, sign: float = 1.0) -> list[tuple[IndexArray, float]]:
        """Terms of the fiber's score sum of ``series`` (0, 1, ...)."""
        return [(self._columns(block, 0 if series == 0 else 1 + series, fiber), sign)]

    def _add_block(self, index: int, block: AuditBlock) -> None:
        for cell, fiber in enumerate(block.fibers):
            if block.suppressed[cell]:
                self._ub.add(self.hundred_x(index, fiber, -1.0), -SCORE_MAX)  # "x" means at least one firm
                continue
            n = int(block.n[cell])
            self._eq.add(self.hundred_x(index, fiber), SCORE_MAX * n)
            for j in range(block.series if n else 0):  # an empty cell publishes no mean
                mean = round(float(block.sums[cell, j]) / n, 1)
                self._ub.add(self.total(index, j, fiber), n * (mean + MEAN_HALF_STEP))
                self._ub.add(self.total(index, j, fiber, -1.0), -n * (mean - MEAN_HALF_STEP))
        everything = np.arange(block.size, dtype=np.intp)
        for j in range(1, block.series):  # further series: s_j ≤ 100·x, cell by cell
            self._ub.add_cellwise(self.total(index, j, everything) + self.hundred_x(index, everything, -1.0), 0.0)

    def objective(self, block: int, series: int | None, fiber: IndexArray) -> FloatArray:
        """Coefficients giving a cell's count (``series`` None) or its sum of ``series``."""
        objective = np.zeros(self.width)
        terms = self.hundred_x(block, fiber) if series is None else self.total(block, series, fiber)
        for columns, coefficient in terms:
            objective[columns] += coefficient / (SCORE_MAX if series is None else 1.0)
        return objective

    def interval(self, block: int, series: int | None, fiber: IndexArray) -> Interval:
        """The attacker's exact [min, max] of a cell's count (``series`` None) or of its sum series."""
        objective = self.objective(block, series, fiber)
        return Interval(self.solve(objective)[0], -self.solve(-objective)[0])

    def solve(self, objective: FloatArray) -> tuple[float, FloatArray | None]:
        """The minimum and a minimising point (−inf and None when unbounded)."""
        result = linprog(objective, A_ub=self.a_ub, b_ub=self.b_ub, A_eq=self.a_eq, b_eq=self.b_eq,
                         bounds=(0, None), method="highs")
        if result.status == 3:  # unbounded: nothing caps this cell (e.g. its total is hidden)
            return -float("inf"), None
        if result.status != 0:
            raise RuntimeError(f"attacker LP failed: {result.message}")
        return float(result.fun), np.asarray(result.x, dtype=np.float64)


@dataclass(frozen=True)
class Target:
    """A quantity the attacker must not pin down: a cell's count or sum, and the width it needs."""

    block: int
    cell: int
    series: int | None  # None: the count
    needed: float


BATCH_OBJECTIVES = 6


def _mixes(rng: np.random.Generator, count: int, how_many: int) -> list[FloatArray]:
    """Objectives over all targets: everything down, everything up, then random signs."""
    ones = np.ones(count)
    return [ones, -ones] + [rng.choice([-1.0, 1.0], size=count) for _ in range(how_many - 2)]


def widths(program: AttackerProgram, targets: Sequence[Target], tolerance: float = 1e-6) -> FloatArray:
    """For each target, a width the attacker's interval is proven to have: exact when below
    ``needed``, otherwise possibly a lower bound. Every solution the LP returns is a release-
    consistent hidden cube, so two of them whose values of a target differ by ``needed`` already
    prove it wide enough; only targets not yet proven get their own min and max LPs."""
    if not targets:
        return np.zeros(0)
    rows = np.vstack([program.objective(t.block, t.series, program.blocks[t.block].fibers[t.cell]) for t in targets])
    needed = np.array([t.needed for t in targets]) - tolerance
    low, high = np.full(len(targets), np.inf), np.full(len(targets), -np.inf)

    def record(point: FloatArray | None) -> None:
        if point is not None:
            values = rows @ point
            np.minimum(low, values, out=low)
            np.maximum(high, values, out=high)

    # a few objectives over all targets at once first: their optima push many targets to extremes
    rng = np.random.default_rng(0)
    for mix in _mixes(rng, len(targets), BATCH_OBJECTIVES):
        record(program.solve(mix @ rows)[1])
    for i in range(len(targets)):
        for sign in (1.0, -1.0):
            if high[i] - low[i] >= needed[i]:
                break
            _, point = program.solve(sign * rows[i])
            record(point)
            if point is None:  # unbounded that way
                (low if sign > 0 else high)[i] = -np.inf if sign > 0 else np.inf
    proven: FloatArray = high - low
    return proven
