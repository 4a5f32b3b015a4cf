"""A ministry statistics release at scale: every registered table plus the disclosure audit, from a
cube equivalent to 1,000,000 synthetic completed assessments, against a bare numpy roll-up of the
same cube timed in the same run.

Target (issue 10 §5, next-capabilities §3.4): all tables plus the audit <= 60 s. The cube is built
directly (numpy), as storage's finest-grain GROUP BY would return it: 10 sector groups x 4 size
bands x 17 regions x 2 stages, skewed cell sizes, plus a T0->T1 cohort. Synthetic data only.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

import numpy as np

from bench.harness import emit, peak_rss_mb, ratio
from releases.build import build_release, release_parameters
from releases.lattice import load_lattice
from releases.model import GRAIN, HISTOGRAM_BINS, CohortCubeCell, CubeCell

DIMENSIONS = ("strategy", "customers", "operations", "data", "people", "security", "technology")
LEVELS = ("beginner", "intermediate", "advanced", "expert")


def _cells(counts: np.ndarray, stage: str, rng: np.random.Generator) -> list[CubeCell]:
    lattice = load_lattice()
    codes = [lattice.codes(d) for d in GRAIN]
    out = []
    for index in zip(*np.nonzero(counts), strict=True):
        n = int(counts[index])
        mean, sd = rng.uniform(30, 70), rng.uniform(8, 20)
        histogram = rng.multinomial(n, np.full(HISTOGRAM_BINS, 1 / HISTOGRAM_BINS))
        levels = rng.multinomial(n, np.full(len(LEVELS), 1 / len(LEVELS)))
        out.append(CubeCell(stage, *(codes[d][i] for d, i in enumerate(index)), n, n * mean, n * (mean ** 2 + sd ** 2),
                            {d: n * rng.uniform(20, 80) for d in DIMENSIONS}, dict.fromkeys(DIMENSIONS, n),
                            dict(zip(LEVELS, map(int, levels), strict=True)), {"basic": n},
                            tuple(int(h) for h in histogram)))
    return out


def synthetic_cube(firms: int, seed: int, pareto: float) -> tuple[np.ndarray, list[CubeCell], list[CohortCubeCell]]:
    """Counts per (stage, finest cell) summing to ``firms``; 40% at T0, 60% at T1, a cohort inside T1.
    Cell weights are Pareto(``pareto``) + 0.01: at 0.4 a 1M cube still has about a hundred two-way
    cells under 10 firms per stage (a hard case for the audit); at 1.2 it has none."""
    lattice = load_lattice()
    rng = np.random.default_rng(seed)
    shape = tuple(len(lattice.codes(d)) for d in GRAIN)
    weights = rng.pareto(pareto, shape) + 0.01
    t0 = rng.multinomial(int(firms * 0.4), (weights / weights.sum()).ravel()).reshape(shape)
    t1 = rng.multinomial(firms - int(firms * 0.4), (weights / weights.sum()).ravel()).reshape(shape)
    cohort_counts = rng.binomial(np.minimum(t0, t1), 0.8)
    codes = [lattice.codes(d) for d in GRAIN]
    cohort = []
    for index in zip(*np.nonzero(cohort_counts), strict=True):
        n = int(cohort_counts[index])
        up = int(rng.binomial(n, 0.4))
        cohort.append(CohortCubeCell(*(codes[d][i] for d, i in enumerate(index)), n, n * 45.0, n * 52.0, up, n - up, 0))
    return np.stack([t0, t1]), _cells(t0, "T0", rng) + _cells(t1, "T1", rng), cohort


def bare_rollup(counts: np.ndarray) -> None:
    """Baseline: the same seven tables as bare numpy sums of the count cube, per stage."""
    for stage in counts:
        for axes in ((2,), (1,), (0,), (1, 2), (0, 2), (0, 1), (0, 1, 2)):
            stage.sum(axis=axes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--pareto", type=float, default=0.4)
    args = parser.parse_args()
    counts, cube, cohort = synthetic_cube(args.firms, seed=10, pareto=args.pareto)
    parameters = release_parameters("2026", ("T0", "T1"), k=args.k, questionnaire_versions=("digital_maturity@1",),
                                    synthetic=True)
    start = time.perf_counter()
    bare_rollup(counts)
    baseline_s = time.perf_counter() - start
    start = time.perf_counter()
    release = build_release(cube, parameters, release_id="bench", created_at=datetime.now(UTC), created_by="bench",
                            cohort=cohort)
    build_s = time.perf_counter() - start
    audit = release.audit
    emit("release", {
        "firms": args.firms, "synthetic": True, "k": args.k, "pareto": args.pareto, "cube_cells": len(cube), "cohort_cells": len(cohort),
        "published_cells": len(release.cells) + len(release.cohort),
        "all_tables_plus_audit_s": round(build_s, 3), "target_s": 60.0,
        "baseline_bare_numpy_rollup_s": round(baseline_s, 6), "ratio": ratio(build_s, baseline_s),
        "audit": {"passed": audit.passed, "primary_cells": audit.primary_cells, "suppressed_cells": audit.suppressed_cells,
                  "repairs": audit.repairs, "narrowest_count_interval": audit.narrowest_count_interval,
                  "narrowest_sum_interval": audit.narrowest_sum_interval, "seconds": audit.seconds},
        "peak_rss_mb": peak_rss_mb(),
    })


if __name__ == "__main__":
    main()
