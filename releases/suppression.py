"""Cell suppression that is checked, not assumed: primary (n < k), the greedy line rule, then the
attacker audit with repair until every primary cell's count and sum intervals are wide enough.
When it cannot get there the release is refused (fail closed)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from releases.audit import AttackerProgram, AuditBlock, Target, widths
from releases.model import AuditResult, ReleaseRefused, TableSpec

MAX_REPAIR_ROUNDS = 60
TOLERANCE = 1e-6  # LP optima are floating point


@dataclass(frozen=True)
class Line:
    """An additive line: a margin cell and the cells of a finer table that sum to it."""

    margin: int
    components: tuple[int, ...]

    @property
    def cells(self) -> tuple[int, ...]:
        return (self.margin, *self.components)


def lines_of(tables: Sequence[TableSpec], keys: Sequence[tuple[str, tuple[str, ...]]]) -> list[Line]:
    """Every line among registered tables: each cell of a table T' with the cells of a table T having
    exactly one more dimension that project onto it."""
    index = {cell: i for i, cell in enumerate(keys)}
    out = []
    for coarse, fine in itertools.permutations(tables, 2):
        if len(fine.dims) != len(coarse.dims) + 1 or not set(coarse.dims) <= set(fine.dims):
            continue
        positions = [fine.dims.index(d) for d in coarse.dims]
        members: dict[tuple[str, ...], list[int]] = {}
        for (table_id, key), i in index.items():
            if table_id == fine.id:
                members.setdefault(tuple(key[p] for p in positions), []).append(i)
        for (table_id, key), i in index.items():
            if table_id == coarse.id:
                out.append(Line(i, tuple(members.get(key, []))))
    return out


def mark_primary(block: AuditBlock, k: int) -> None:
    """Fewer than k distinct firms (but not none: empty cells are published as 0) → hidden."""
    primary = (block.n > 0) & (block.n < k)
    block.primary |= primary
    block.suppressed |= primary


def _smallest_published(block: AuditBlock, cells: Sequence[int]) -> int | None:
    """The published, non-empty cell with the fewest firms (lowest index on ties); None if none."""
    candidates = [c for c in cells if not block.suppressed[c] and block.n[c] > 0]
    return min(candidates, key=lambda c: (int(block.n[c]), c)) if candidates else None


def apply_line_rule(block: AuditBlock, lines: Sequence[Line]) -> int:
    """Until no line holds exactly one hidden cell, hide its smallest published partner. Returns how
    many cells it hid. Necessary, not sufficient: the audit decides."""
    added, changed = 0, True
    while changed:
        changed = False
        for line in lines:
            cells = line.cells
            if int(block.suppressed[list(cells)].sum()) != 1:
                continue
            partner = _smallest_published(block, cells)
            if partner is not None:
                block.suppressed[partner] = True
                added += 1
                changed = True
    return added


def _repair_cell(block: AuditBlock, lines: Sequence[Line], failing: int) -> int | None:
    """The smallest published cell sharing a line with a failing primary cell, else in the block."""
    neighbours = sorted({c for line in lines if failing in line.cells for c in line.cells})
    chosen = _smallest_published(block, neighbours)
    return chosen if chosen is not None else _smallest_published(block, range(len(block.n)))


@dataclass
class _Widths:
    count: dict[tuple[int, int], float]
    total: dict[tuple[int, int], float]


def _audit(program: AttackerProgram, pending: Sequence[tuple[int, int]], k: int, min_sum: float,
           seen: _Widths) -> list[tuple[int, int]]:
    """Bound the attacker's intervals for each pending primary (block, cell): counts first, then the
    sums of those whose count holds. Returns the cells still too narrow."""
    counts = widths(program, [Target(b, c, None, float(k)) for b, c in pending])
    seen.count.update({key: float(w) for key, w in zip(pending, counts, strict=True)})
    failing = {key for key, w in zip(pending, counts, strict=True) if w < k - TOLERANCE}
    holding = [key for key in pending if key not in failing]
    targets = [Target(b, c, j, min_sum) for b, c in holding for j in range(program.blocks[b].series)]
    sums: dict[tuple[int, int], float] = {}
    for target, width in zip(targets, widths(program, targets), strict=True):
        key = (target.block, target.cell)
        sums[key] = min(sums.get(key, np.inf), float(width))  # the narrowest of its sum series
    seen.total.update(sums)
    failing |= {key for key, w in sums.items() if w < min_sum - TOLERANCE}
    return sorted(failing)


def protect(blocks: Sequence[AuditBlock], lines: Sequence[Sequence[Line]], k: int, min_sum_interval: float) -> AuditResult:
    """Secondary suppression and the mandatory audit over blocks audited together (mutates their
    ``suppressed`` flags). Primary flags must be set. Raises ReleaseRefused when it cannot hold."""
    start = time.perf_counter()
    for block, block_lines in zip(blocks, lines, strict=True):
        apply_line_rule(block, block_lines)
    targets = [(b, int(c)) for b, block in enumerate(blocks) for c in np.flatnonzero(block.primary)]
    widths, repairs = _Widths({}, {}), 0
    pending = targets
    for _ in range(MAX_REPAIR_ROUNDS):
        pending = _audit(AttackerProgram(blocks), pending, k, min_sum_interval, widths) if pending else []
        if not pending:
            return _result(blocks, widths, repairs, time.perf_counter() - start)
        repairs += _repair(blocks, lines, pending)
    raise ReleaseRefused(f"the disclosure audit still fails after {MAX_REPAIR_ROUNDS} repair rounds "
                         f"({len(pending)} primary cells too narrow)")


def _repair(blocks: Sequence[AuditBlock], lines: Sequence[Sequence[Line]], failing: Sequence[tuple[int, int]]) -> int:
    """Hide one more cell next to each failing primary cell, then restore the line rule."""
    added = 0
    for b, c in failing:
        chosen = _repair_cell(blocks[b], lines[b], c)
        if chosen is not None:
            blocks[b].suppressed[chosen] = True
            added += 1
    if not added:
        raise ReleaseRefused("nothing left to suppress and a primary cell is still recoverable to within fewer "
                             "than k firms or too narrow a score sum")
    return added + sum(apply_line_rule(block, block_lines) for block, block_lines in zip(blocks, lines, strict=True))


def _result(blocks: Sequence[AuditBlock], widths: _Widths, repairs: int, seconds: float) -> AuditResult:
    suppressed = sum(int(b.suppressed.sum()) for b in blocks)
    cells = sum(len(b.n) for b in blocks)
    return AuditResult(True, sum(int(b.primary.sum()) for b in blocks), suppressed, cells - suppressed,
                       min(widths.count.values(), default=None), min(widths.total.values(), default=None),
                       repairs, round(seconds, 3))
