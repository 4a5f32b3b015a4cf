"""Build a frozen release from the cube: roll up every registered table per stage, suppress, audit,
repair, publish. Pure: the caller reads the cube from storage and stores the result.

Stages are independent blocks: no margin across stages is published (T0 + T1 would double-count
firms assessed twice), so each is audited on its own. The cohort comes last: it hides whatever the
stage blocks hide, applies its complement rule, then gets its own suppression and audit.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from benchmarks.disclosure import policy_for
from releases.audit import AuditBlock
from releases.cohort import cohort_block, cohort_tables, follow_stage, mark_complements, publish_cohort, roll_up_cohort
from releases.distributions import protect_counts, protect_mapping
from releases.lattice import TOTAL_ID, Lattice, load_lattice
from releases.model import (
    AuditResult,
    CohortCell,
    CohortCubeCell,
    CubeCell,
    PublishedCell,
    Release,
    ReleaseArchetype,
    ReleaseParameters,
    ReleaseRefused,
    TableSpec,
)
from releases.rollup import Grid, TableCell, mean, measures, roll_up, sd
from releases.suppression import lines_of, mark_primary, protect

__all__ = ["DEFAULT_METHOD", "ReleaseRefused", "build_release", "default_min_sum_interval", "release_parameters"]

DEFAULT_METHOD = ("primary n<k distinct firms; greedy line rule; attacker LP audit (HiGHS) of counts and "
                  "score sums with repair; fail closed")


def default_min_sum_interval(k: int) -> float:
    """Score points a primary cell's Σ overall must stay uncertain by: half of k firms' full range."""
    return 100.0 * k / 2


def release_parameters(period: str, stages: Sequence[str], *, k: int, questionnaire_versions: Sequence[str],
                       synthetic: bool, min_sum_interval: float | None = None,
                       archetypes: Sequence[ReleaseArchetype] = (), archetype_model: str | None = None) -> ReleaseParameters:
    """Parameters with the documented defaults (method, min sum interval = 100·k/2)."""
    return ReleaseParameters(period, tuple(stages), k, DEFAULT_METHOD,
                             default_min_sum_interval(k) if min_sum_interval is None else min_sum_interval,
                             tuple(questionnaire_versions), synthetic, tuple(archetypes), archetype_model)


@dataclass
class _StageBlock:
    stage: str
    cells: list[TableCell]
    block: AuditBlock
    firms: int


def _stage_block(stage: str, grid: Grid, cube: Sequence[CubeCell], tables: Sequence[TableSpec], k: int) -> _StageBlock:
    m = measures(grid, [c for c in cube if c.stage == stage])
    cells = roll_up(grid, m, tables)
    flags = np.zeros(len(cells), dtype=bool)
    block = AuditBlock(stage, grid.size, [c.fiber for c in cells], np.array([c.n for c in cells], dtype=np.int64),
                       np.array([[c.sum_overall] for c in cells], dtype=np.float64).reshape(len(cells), 1),
                       flags.copy(), flags.copy())
    mark_primary(block, k)
    return _StageBlock(stage, cells, block, round(float(m.n.sum())))


def _publish(cell: TableCell, stage: str, hidden: bool, primary: bool, k: int) -> PublishedCell:
    if hidden:
        return PublishedCell(cell.table_id, stage, cell.key, "x", None, None, None, primary=primary)
    # a dimension mean over fewer than k scored firms is not shown (a sub-group below the threshold)
    dimension_means = {d: mean(total, cell.dimension_counts[d]) if cell.dimension_counts[d] >= k else None
                       for d, total in cell.dimension_sums.items()}
    published = PublishedCell(cell.table_id, stage, cell.key, "", cell.n, mean(cell.sum_overall, cell.n),
                              sd(cell.sum_overall, cell.sumsq_overall, cell.n), dimension_means)
    if cell.table_id != TOTAL_ID:  # distributions: the total only (releases/distributions.py)
        return published
    return replace(published, level_counts=protect_mapping(cell.level_counts, k), dii_counts=protect_mapping(cell.dii_counts, k),
                   histogram=protect_counts(cell.histogram, k), archetype_counts=protect_mapping(cell.archetype_counts, k))


def _check_inputs(cube: Sequence[CubeCell], parameters: ReleaseParameters, cohort: Sequence[CohortCubeCell]) -> None:
    stages = parameters.stages
    if not stages or len(set(stages)) != len(stages):
        raise ValueError(f"a release needs distinct stages, got {stages}")
    strays = sorted({c.stage for c in cube} - set(stages))
    if strays:
        raise ValueError(f"the cube holds stages {strays} not in the release's stages {list(stages)}")
    if cohort and "T1" not in stages:
        raise ValueError("a T0→T1 cohort needs the T1 stage in the release")


def _merge(results: Sequence[AuditResult], seconds: float) -> AuditResult:
    def narrowest(values: Sequence[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return min(present) if present else None

    return AuditResult(all(r.passed for r in results), sum(r.primary_cells for r in results),
                       sum(r.suppressed_cells for r in results), sum(r.published_cells for r in results),
                       narrowest([r.narrowest_count_interval for r in results]),
                       narrowest([r.narrowest_sum_interval for r in results]), sum(r.repairs for r in results),
                       round(seconds, 3))


def build_release(cube: Sequence[CubeCell], parameters: ReleaseParameters, *, release_id: str, created_at: datetime,
                  created_by: str, official: bool = True, cohort: Sequence[CohortCubeCell] = (),
                  lattice: Lattice | None = None) -> Release:
    """The audited release of ``cube`` (raises ReleaseRefused when the audit cannot be satisfied,
    DisclosureError when k is below the policy's floor)."""
    start = time.perf_counter()
    lattice = lattice or load_lattice()
    k = policy_for(parameters.k, parameters.synthetic).k
    _check_inputs(cube, parameters, cohort)
    grid, tables = Grid.of(lattice), lattice.tables
    blocks = [_stage_block(stage, grid, cube, tables, k) for stage in parameters.stages]
    stage_lines = lines_of(tables, [(c.table_id, c.key) for c in blocks[0].cells])
    results = [protect([b.block], [stage_lines], k, parameters.min_sum_interval) for b in blocks]
    published_cohort: tuple[CohortCell, ...] = ()
    if cohort:
        cohort_result, published_cohort = _protect_cohort(blocks, grid, cohort, tables, k, parameters)
        results.append(cohort_result)
    cells = tuple(_publish(cell, b.stage, bool(b.block.suppressed[i]), bool(b.block.primary[i]), k)
                  for b in blocks for i, cell in enumerate(b.cells))
    # distinct firms: the largest stage block (a firm assessed at T0 and T1 is in both blocks)
    firms = max(b.firms for b in blocks)
    return Release(release_id, parameters, created_at, created_by, firms, tables, cells, published_cohort,
                   _merge(results, time.perf_counter() - start), official)


def _protect_cohort(blocks: Sequence[_StageBlock], grid: Grid, cohort: Sequence[CohortCubeCell],
                    tables: Sequence[TableSpec], k: int, parameters: ReleaseParameters) -> tuple[AuditResult, tuple[CohortCell, ...]]:
    specs = cohort_tables(tables)
    cells = roll_up_cohort(grid, cohort, specs)
    block = cohort_block(cells, grid.size)
    mark_primary(block, k)
    for stage_block in blocks:
        stage_cells = stage_block.cells
        mark_complements(block, cells, {(c.table_id, c.key): c.n for c in stage_cells}, k)
        follow_stage(block, cells, {(c.table_id, c.key) for i, c in enumerate(stage_cells) if stage_block.block.suppressed[i]})
    lines = lines_of(specs, [(c.table_id, c.key) for c in cells])
    return protect([block], [lines], k, parameters.min_sum_interval), publish_cohort(cells, block)
