"""Issue 13, finding 8: peer comparisons must not leak firms by differencing nested cells.

The attacker sees every cell some profile reaches and, through the what-if, a cell's percentile
for any score: so the whole distribution of each shown cell. Subtracting two nested cells gives
the firms in between; that group must be empty or hold at least k firms.
"""

from __future__ import annotations

from itertools import product

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.disclosure import DisclosurePolicy
from benchmarks.peers import PeerPool, percentiles
from domain import Profile

SECTORS, SIZES, REGIONS = ("31-33", "41", "54"), ("1-4", "5-19", "20-49"), ("05", "06", "07")


def observed_cells(pool: PeerPool, probes: np.ndarray) -> dict[tuple[str, ...], np.ndarray]:
    """Every cell the attacker can reach (by its key) -> how many of its firms lie below each probe."""
    cells: dict[tuple[str, ...], np.ndarray] = {}
    for sector, size, region in product(SECTORS, SIZES, REGIONS):
        profile = Profile(sector, size, region)
        first = pool.compare_metric("overall", profile, float(probes[0]))
        if first.cell is None:
            continue
        width = {"all": 0, "sector": 1, "sector+size": 2, "sector+size+region": 3}[first.cell]
        key = (sector, size, region)[:width]
        if key not in cells:
            below = [pool.compare_metric("overall", profile, float(x)).percentile * first.n / 100 for x in probes]
            cells[key] = np.round(below).astype(int)
    return cells


def recovered_groups(cells: dict[tuple[str, ...], np.ndarray]) -> list[tuple[tuple[str, ...], tuple[str, ...], int]]:
    """(outer cell, inner cell, firms recovered) for every pair of nested cells that differ."""
    found = []
    for outer, inner in product(cells, cells):
        if outer != inner and inner[:len(outer)] == outer:
            difference = cells[outer] - cells[inner]  # firms of outer \\ inner below each probe
            size = int(difference[-1])
            if size > 0:
                found.append((outer, inner, size))
    return found


def random_pool(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    weights = [rng.dirichlet(np.full(3, 0.6)) for _ in range(3)]  # skewed: small cells are common
    return pd.DataFrame({"sector": rng.choice(SECTORS, n, p=weights[0]), "size": rng.choice(SIZES, n, p=weights[1]),
                         "region": rng.choice(REGIONS, n, p=weights[2]),
                         "overall": rng.permutation(np.linspace(1, 99, n)).round(4)})  # distinct scores


def attack(frame: pd.DataFrame, k: int) -> list[tuple[tuple[str, ...], tuple[str, ...], int]]:
    pool = PeerPool.from_frame(frame, ["overall"], DisclosurePolicy(k))
    values = np.sort(frame["overall"].to_numpy())
    probes = np.concatenate(([0.0], (values[:-1] + values[1:]) / 2, [100.0]))  # between every two scores: the best grid
    return recovered_groups(observed_cells(pool, probes))


def test_the_reported_attack_sector_size_cell_of_11_inside_a_sector_of_15():
    rows = [("31-33", "20-49", "05")] * 11 + [("31-33", "1-4", "05")] * 4
    rows += [(SECTORS[1 + i % 2], SIZES[i % 3], REGIONS[i % 3]) for i in range(185)]
    frame = pd.DataFrame(rows, columns=["sector", "size", "region"])
    frame["overall"] = np.random.default_rng(1).permutation(np.linspace(1, 99, len(frame))).round(4)
    leaks = [g for g in attack(frame, 10) if g[2] < 10]
    assert not leaks, leaks  # before: (('31-33',), ('31-33', '20-49'), 4), the 4 other firms' scores recovered
    pool = PeerPool.from_frame(frame, ["overall"], DisclosurePolicy(10))
    m = percentiles(pool, Profile("31-33", "20-49", "05"), {"overall": 50.0}).metrics["overall"]
    assert (m.cell, m.n) == ("sector", 15)  # the finer cell is withheld; its firms see their sector


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(15, 260), k=st.sampled_from([5, 10]))
def test_no_pair_of_reachable_nested_cells_isolates_fewer_than_k_firms(seed: int, n: int, k: int):
    leaks = [g for g in attack(random_pool(seed, n), k) if g[2] < k]
    assert not leaks, leaks


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(15, 260))
def test_shown_cells_minus_their_shown_sub_cells_hold_zero_or_k_firms(seed: int, n: int):
    """Sums of several cells too: shown cells are nested or disjoint, and each one's firms outside
    its shown sub-cells number 0 or at least k, so no combination isolates fewer than k."""
    k = 10
    frame = random_pool(seed, n)
    values = np.sort(frame["overall"].to_numpy())
    probes = np.concatenate(([0.0], (values[:-1] + values[1:]) / 2, [100.0]))
    cells = observed_cells(PeerPool.from_frame(frame, ["overall"], DisclosurePolicy(k)), probes)
    for outer, counts in cells.items():
        inner = [c for c in cells if c != outer and c[:len(outer)] == outer]
        maximal = [c for c in inner if not any(o != c and c[:len(o)] == o for o in inner)]
        left = int(counts[-1]) - sum(int(cells[c][-1]) for c in maximal)
        assert left == 0 or left >= k, (outer, maximal, left)
