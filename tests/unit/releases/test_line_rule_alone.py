"""Measurement 1 of next-capabilities §3.3, kept as a counter-example: publishing the full
SCIAN sector × size × region cube with all its margins, primary suppression plus the greedy line
rule ("no additive line with exactly one hidden cell") still lets a linear-programming attacker
recompute hidden counts exactly. The rule is necessary, not sufficient: the audit is needed."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from questionnaires.segments import load_segments
from releases.audit import AttackerProgram, AuditBlock
from releases.model import GRAIN, TableSpec
from releases.rollup import Grid
from releases.suppression import apply_line_rule, lines_of, mark_primary

K = 10


def full_cube_block() -> tuple[Grid, list[TableSpec], list[tuple[str, tuple[str, ...]]], AuditBlock]:
    segments = load_segments()
    grid = Grid.from_codes({"sector_group": tuple(segments.codes("sector")), "size_band": tuple(segments.codes("size")),
                            "region": tuple(segments.codes("region"))})
    tables = [TableSpec("__".join(dims) or "total", dims) for size in (3, 2, 1, 0) for dims in itertools.combinations(GRAIN, size)]
    rng = np.random.default_rng(2026)  # synthetic: 5,000 invented firms, skewed over 2,380 cells
    weights = rng.pareto(1.2, grid.size) + 0.01
    counts = rng.multinomial(5000, weights / weights.sum())
    keys, fibers = [], []
    for table in tables:
        for key in grid.table_keys(table):
            keys.append((table.id, key))
            fibers.append(grid.fiber(table, key))
    n = np.array([int(counts[f].sum()) for f in fibers], dtype=np.int64)
    sums = np.array([[50.0 * v] for v in n])
    flags = np.zeros(len(n), dtype=bool)
    block = AuditBlock("T0", grid.size, fibers, n, sums, flags.copy(), flags.copy())
    return grid, tables, keys, block


class CountAttacker:
    """Counts only (a weaker attacker than the audit's): published counts exact, "x" at least 1."""

    def __init__(self, block: AuditBlock):
        self.block = block
        shown, hidden = ~block.suppressed, block.suppressed
        self.a_eq, self.b_eq = self._matrix(np.flatnonzero(shown)), block.n[shown].astype(float)
        self.a_ub, self.b_ub = -self._matrix(np.flatnonzero(hidden)), -np.ones(int(hidden.sum()))

    def _matrix(self, cells: np.ndarray) -> csr_matrix:
        fibers = [self.block.fibers[c] for c in cells]
        rows = np.concatenate([np.full(len(f), r) for r, f in enumerate(fibers)])
        return csr_matrix((np.ones(len(rows)), (rows, np.concatenate(fibers))), shape=(len(fibers), self.block.size))

    def width(self, cell: int) -> float:
        objective = np.zeros(self.block.size)
        objective[self.block.fibers[cell]] = 1
        low, high = (linprog(sign * objective, A_ub=self.a_ub, b_ub=self.b_ub, A_eq=self.a_eq, b_eq=self.b_eq,
                             method="highs") for sign in (1, -1))
        assert low.status == 0 and high.status == 0
        return float(-high.fun - low.fun)


def test_greedy_line_rule_alone_leaves_hidden_counts_recoverable_exactly() -> None:
    _, tables, keys, block = full_cube_block()
    mark_primary(block, K)
    lines = lines_of(tables, keys)
    apply_line_rule(block, lines)
    assert all(int(block.suppressed[list(line.cells)].sum()) != 1 for line in lines)  # the rule holds everywhere
    primary = [int(i) for i in np.flatnonzero(block.primary)]
    # most non-empty cells are hidden already
    assert len(primary) > 500 and block.suppressed.sum() > 0.5 * (block.n > 0).sum()
    # cells with few hidden partners in their lines are the likeliest to be pinned down: try those first
    def hidden_partners(cell: int) -> int:
        return sum(int(block.suppressed[list(line.cells)].sum()) for line in lines if cell in line.cells)

    attacker = CountAttacker(block)
    exact = next((i for i in sorted(primary, key=lambda c: (hidden_partners(c), c))[:100] if attacker.width(i) < 1e-6), None)
    assert exact is not None, "expected a primary cell the attacker recomputes exactly"
    # the engine's audit sees it too: that cell's interval is narrower than k, so repair would follow
    assert AttackerProgram([block]).interval(0, None, block.fibers[exact]).width < K
