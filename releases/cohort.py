"""The T0 → T1 cohort: firms assessed at both stages of the period, keyed by their T1 profile.

Published only for the total and the one-way margins, after the stage blocks are settled, with
two rules tying it to them and then its own primary, secondary suppression and audit:
- complement: a cohort cell whose stage cell of the same key holds between 1 and k − 1 firms
  outside the cohort is hidden (as primary), since n_stage − n_cohort and the difference of their
  sums would describe that small group;
- follow: a cohort cell whose stage cell of the same key is hidden is hidden too, so the cohort
  never gives a lower bound (n_cohort ≤ n_stage) on a hidden stage cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from releases.audit import AuditBlock
from releases.model import CohortCell, CohortCubeCell, TableSpec
from releases.rollup import FloatArray, Grid, IndexArray, mean

OUTCOMES = ("improved", "unchanged", "declined")


@dataclass(frozen=True)
class CohortTableCell:
    table_id: str
    key: tuple[str, ...]
    fiber: IndexArray
    n: int
    sum_t0: float
    sum_t1: float
    outcomes: tuple[int, int, int]  # improved, unchanged, declined


def cohort_tables(tables: Sequence[TableSpec]) -> list[TableSpec]:
    """The registered tables the cohort is published for: the total and the one-way margins."""
    return [t for t in tables if len(t.dims) <= 1]


def roll_up_cohort(grid: Grid, cells: Sequence[CohortCubeCell], tables: Sequence[TableSpec]) -> list[CohortTableCell]:
    rows = [grid.index((c.sector_group, c.size_band, c.region)) for c in cells]
    if len(set(rows)) != len(rows):
        raise ValueError("the cohort cube holds the same (sector group, size band, region) twice")
    values: FloatArray = np.zeros((grid.size, 6))
    for row, c in zip(rows, cells, strict=True):
        if c.improved + c.unchanged + c.declined != c.n or c.n < 0:
            raise ValueError("a cohort cell's improved + unchanged + declined must equal its n")
        values[row] = (c.n, c.sum_t0, c.sum_t1, c.improved, c.unchanged, c.declined)
    out = []
    for table in tables:
        for key in grid.table_keys(table):
            f = grid.fiber(table, key)
            n, s0, s1, up, same, down = values[f].sum(axis=0)
            out.append(CohortTableCell(table.id, key, f, round(float(n)), float(s0), float(s1),
                                       (round(float(up)), round(float(same)), round(float(down)))))
    return out


def cohort_block(cells: Sequence[CohortTableCell], size: int) -> AuditBlock:
    n = np.array([c.n for c in cells], dtype=np.int64)
    sums = np.array([[c.sum_t0, c.sum_t1] for c in cells], dtype=np.float64).reshape(len(cells), 2)
    flags = np.zeros(len(cells), dtype=bool)
    return AuditBlock("cohort", size, [c.fiber for c in cells], n, sums, flags.copy(), flags.copy())


def mark_complements(block: AuditBlock, cells: Sequence[CohortTableCell], stage_n: dict[tuple[str, tuple[str, ...]], int],
                     k: int) -> None:
    """Hide (as primary) a cohort cell whose stage cell of the same key has 1..k−1 firms outside the cohort."""
    for i, cell in enumerate(cells):
        others = stage_n.get((cell.table_id, cell.key), cell.n) - cell.n
        if 1 <= others < k:
            block.primary[i] = True
            block.suppressed[i] = True


def follow_stage(block: AuditBlock, cells: Sequence[CohortTableCell], hidden: set[tuple[str, tuple[str, ...]]]) -> None:
    """Hide a cohort cell whose stage cell of the same key is hidden."""
    for i, cell in enumerate(cells):
        if (cell.table_id, cell.key) in hidden:
            block.suppressed[i] = True


def publish_cohort(cells: Sequence[CohortTableCell], block: AuditBlock) -> tuple[CohortCell, ...]:
    out = []
    for i, cell in enumerate(cells):
        if block.suppressed[i]:
            out.append(CohortCell(cell.table_id, cell.key, "x", None, None, None, None, None, None, None))
            continue
        t0, t1 = mean(cell.sum_t0, cell.n), mean(cell.sum_t1, cell.n)
        # the change of the two published means, so it reveals nothing they do not
        change = round(t1 - t0, 1) if t0 is not None and t1 is not None else None
        out.append(CohortCell(cell.table_id, cell.key, "", cell.n, t0, t1, change, *cell.outcomes))
    return tuple(out)
