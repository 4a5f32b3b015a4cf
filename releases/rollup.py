"""Roll-ups: every registered table of one stage block as additive sums over the finest cube.

A block's finest cube is indexed by (sector group, size band, region) in lattice order; a table
cell is the sum over its *fiber* (the finest cells it covers), so tables, margins and the
attacker's linear program all speak the same indices.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from releases.lattice import Lattice
from releases.model import GRAIN, HISTOGRAM_BINS, CubeCell, TableSpec

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Grid:
    """The finest cube's coordinates: codes per grain dimension and each cell's position."""

    codes: dict[str, tuple[str, ...]]  # grain dim -> codes in lattice order
    coords: dict[str, IndexArray]  # grain dim -> index of each finest cell's code

    @classmethod
    def of(cls, lattice: Lattice) -> Grid:
        codes = {dim: lattice.codes(dim) for dim in GRAIN}
        mesh = np.indices(tuple(len(codes[dim]) for dim in GRAIN)).reshape(len(GRAIN), -1)
        return cls(codes, {dim: mesh[i].astype(np.intp) for i, dim in enumerate(GRAIN)})

    @property
    def size(self) -> int:
        return len(self.coords[GRAIN[0]])

    def index(self, key: Sequence[str]) -> int:
        """Position of a finest cell from its (sector group, size band, region) codes."""
        position = 0
        for dim, code in zip(GRAIN, key, strict=True):
            if code not in self.codes[dim]:
                raise ValueError(f"unknown {dim} code {code!r} (not in releases/lattice.yaml)")
            position = position * len(self.codes[dim]) + self.codes[dim].index(code)
        return position

    def table_keys(self, table: TableSpec) -> list[tuple[str, ...]]:
        return [tuple(key) for key in itertools.product(*(self.codes[dim] for dim in table.dims))]

    def fiber(self, table: TableSpec, key: Sequence[str]) -> IndexArray:
        """The finest cells a table cell covers."""
        mask = np.ones(self.size, dtype=bool)
        for dim, code in zip(table.dims, key, strict=True):
            mask &= self.coords[dim] == self.codes[dim].index(code)
        return np.flatnonzero(mask)


@dataclass(frozen=True)
class Measures:
    """A block's additive statistics per finest cell (rows) with the ids of each column group."""

    n: FloatArray
    sum_overall: FloatArray
    sumsq_overall: FloatArray
    dimension_ids: tuple[str, ...]
    dimension_sums: FloatArray  # (cells, dimensions)
    dimension_counts: FloatArray
    level_ids: tuple[str, ...]
    level_counts: FloatArray
    dii_ids: tuple[str, ...]
    dii_counts: FloatArray
    histogram: FloatArray  # (cells, HISTOGRAM_BINS)
    archetype_ids: tuple[str, ...]
    archetype_counts: FloatArray


@dataclass(frozen=True)
class TableCell:
    """One cell of a registered table before disclosure control: exact sums over its fiber."""

    table_id: str
    key: tuple[str, ...]
    fiber: IndexArray
    n: int
    sum_overall: float
    sumsq_overall: float
    dimension_sums: dict[str, float]
    dimension_counts: dict[str, int]
    level_counts: dict[str, int]
    dii_counts: dict[str, int]
    histogram: tuple[int, ...]
    archetype_counts: dict[str, int]


def _ids(dicts: Iterable[dict[str, float] | dict[str, int]]) -> tuple[str, ...]:
    """Union of keys in first-seen order (stable across runs for the same cube)."""
    seen: dict[str, None] = {}
    for d in dicts:
        seen.update(dict.fromkeys(d))
    return tuple(seen)


def _matrix(rows: Sequence[int], dicts: Sequence[dict[str, float] | dict[str, int]], ids: tuple[str, ...],
            size: int) -> FloatArray:
    out = np.zeros((size, len(ids)))
    column = {name: j for j, name in enumerate(ids)}
    for row, d in zip(rows, dicts, strict=True):
        for name, value in d.items():
            out[row, column[name]] += value
    return out


def measures(grid: Grid, cells: Sequence[CubeCell]) -> Measures:
    """Scatter one stage's cube cells onto the finest grid (each finest key at most once)."""
    rows = [grid.index((c.sector_group, c.size_band, c.region)) for c in cells]
    if len(set(rows)) != len(rows):
        raise ValueError("the cube holds the same (stage, sector group, size band, region) twice")
    if any(c.n < 0 for c in cells):
        raise ValueError("a cube cell has a negative count")
    size = grid.size

    def column(values: Sequence[float]) -> FloatArray:
        out = np.zeros(size)
        out[rows] = values
        return out

    def grouped(attr: str) -> tuple[tuple[str, ...], FloatArray]:
        dicts = [getattr(c, attr) for c in cells]
        ids = _ids(dicts)
        return ids, _matrix(rows, dicts, ids, size)

    histogram = np.zeros((size, HISTOGRAM_BINS))
    for row, cell in zip(rows, cells, strict=True):
        if cell.histogram:
            histogram[row] = cell.histogram
    dimension_ids, dimension_sums = grouped("dimension_sums")
    dimension_counts = _matrix(rows, [c.dimension_counts for c in cells], dimension_ids, size)
    level_ids, level_counts = grouped("level_counts")
    dii_ids, dii_counts = grouped("dii_counts")
    archetype_ids, archetype_counts = grouped("archetype_counts")
    return Measures(column([c.n for c in cells]), column([c.sum_overall for c in cells]),
                    column([c.sumsq_overall for c in cells]), dimension_ids, dimension_sums, dimension_counts,
                    level_ids, level_counts, dii_ids, dii_counts, histogram, archetype_ids, archetype_counts)


def _floats(ids: tuple[str, ...], values: FloatArray) -> dict[str, float]:
    return {name: float(v) for name, v in zip(ids, values, strict=True)}


def _counts(ids: tuple[str, ...], values: FloatArray) -> dict[str, int]:
    return {name: round(float(v)) for name, v in zip(ids, values, strict=True)}


def roll_up(grid: Grid, m: Measures, tables: Sequence[TableSpec]) -> list[TableCell]:
    """Every cell of every table (empty cells included), as exact sums over its fiber."""
    out = []
    for table in tables:
        for key in grid.table_keys(table):
            f = grid.fiber(table, key)
            out.append(TableCell(
                table.id, key, f, round(float(m.n[f].sum())), float(m.sum_overall[f].sum()), float(m.sumsq_overall[f].sum()),
                _floats(m.dimension_ids, m.dimension_sums[f].sum(axis=0)),
                _counts(m.dimension_ids, m.dimension_counts[f].sum(axis=0)),
                _counts(m.level_ids, m.level_counts[f].sum(axis=0)),
                _counts(m.dii_ids, m.dii_counts[f].sum(axis=0)),
                tuple(round(float(v)) for v in m.histogram[f].sum(axis=0)),
                _counts(m.archetype_ids, m.archetype_counts[f].sum(axis=0))))
    return out


def mean(total: float, n: int) -> float | None:
    """A mean rounded to one decimal (None for an empty cell)."""
    return round(total / n, 1) if n > 0 else None


def sd(total: float, sumsq: float, n: int) -> float | None:
    """Sample standard deviation from the sum and sum of squares, to one decimal (None below 2 firms)."""
    if n < 2:
        return None
    variance = max(0.0, (sumsq - total * total / n) / (n - 1))  # rounding can dip just below 0
    return round(math.sqrt(variance), 1)
