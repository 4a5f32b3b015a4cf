"""A hand-made ``Release`` for dashboard tests: every registered table of the lattice at T0 and T1,
deterministic figures, and some cells suppressed ("x"). Its numbers are invented test values of a
test fixture, never shown as statistics (``synthetic`` defaults to True)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from questionnaires.registry import get_instrument
from releases.build import DEFAULT_METHOD
from releases.lattice import load_lattice
from releases.model import (
    HISTOGRAM_BINS,
    SUPPRESSED,
    AuditResult,
    CohortCell,
    PublishedCell,
    Release,
    ReleaseArchetype,
    ReleaseParameters,
)

K = 10
# What the cells' archetype counts ("0", "1") stand for: one named by its tier, one by its shape.
ARCHETYPES = (ReleaseArchetype("0", None, "early"), ReleaseArchetype("1", "online_first", "leading", qualified=True))


def _published(table_id: str, stage: str, key: tuple[str, ...], n: int) -> PublishedCell:
    q = get_instrument().questionnaire
    mean = 40.0 + (n % 30)
    levels = [lv.id for lv in q.levels]
    dii = [lv.id for lv in q.dii.levels]
    spread = [n // len(levels)] * len(levels)
    spread[0] += n - sum(spread)
    histogram = [n // HISTOGRAM_BINS] * HISTOGRAM_BINS
    histogram[4] += n - sum(histogram)
    return PublishedCell(table_id, stage, key, "", n, mean, 12.3, {d.id: mean + i for i, d in enumerate(q.dimensions)},
                         dict(zip(levels, spread, strict=True)), {dii[0]: n // 4, dii[1]: n - n // 4}, tuple(histogram),
                         {"0": n // 2, "1": n - n // 2})


def _hidden(table_id: str, stage: str, key: tuple[str, ...], primary: bool) -> PublishedCell:
    return PublishedCell(table_id, stage, key, SUPPRESSED, None, None, None, primary=primary)


def sample_release(release_id: str = "r-2026-test", *, period: str = "2026", synthetic: bool = True, official: bool = True) -> Release:
    lattice = load_lattice()
    out: list[PublishedCell] = []
    for stage, spec in itertools.product(("T0", "T1"), lattice.tables):
        keys = list(itertools.product(*(lattice.codes(d) for d in spec.dims)))
        for position, key in enumerate(keys):
            n = 200 if not key else 15 + (position * 7) % 40
            if key and position % 5 == 1:  # every fifth cell of a table is confidential
                out.append(_hidden(spec.id, stage, key, primary=position % 2 == 1))
            else:
                out.append(_published(spec.id, stage, key, n))
    cohort = (CohortCell("total", (), "", 60, 45.2, 51.7, 6.5, 22, 30, 8),
              CohortCell("size_band", ("1-4",), SUPPRESSED, None, None, None, None, None, None, None),
              CohortCell("size_band", ("5-19",), "", 25, 41.0, 44.5, 3.5, 9, 12, 4))
    hidden = sum(1 for c in out if c.status == SUPPRESSED)
    audit = AuditResult(True, hidden // 2, hidden, len(out) - hidden, 12.0, 80.0, 3, 0.4)
    parameters = ReleaseParameters(period, ("T0", "T1"), K, DEFAULT_METHOD, 50.0, ("digital-maturity@2026.1",), synthetic,
                                   ARCHETYPES, "fingerprint-of-the-pool")
    return Release(release_id, parameters, datetime(2026, 12, 5, 10, 0, tzinfo=UTC), "cli", 200, lattice.tables, tuple(out), cohort,
                   audit, official)
