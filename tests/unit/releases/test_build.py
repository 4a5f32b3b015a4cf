"""The release engine against an independent attacker: after a release, no cell holding 1..k−1
firms can be pinned down to fewer than k; no published figure describes fewer than k firms; tables
that overlap and consecutive periods do not let differencing isolate a firm."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.disclosure import DisclosureError
from releases.build import build_release, default_min_sum_interval, release_parameters
from releases.codec import release_from_json, release_to_json
from releases.lattice import load_lattice
from releases.model import GRAIN, CohortCubeCell, CubeCell, Release, ReleaseRefused
from tests.release_fixture import sample_release
from tests.unit.releases.attacker import StageAttacker, narrow_primary_cells, table_truth
from tests.unit.releases.synthetic import cube, cube_from_counts, shape, skewed_firms, two_stages

CREATED = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def codes() -> dict[str, tuple[str, ...]]:
    return {d: load_lattice().codes(d) for d in GRAIN}


def counts_of(firms_cells: np.ndarray) -> np.ndarray:
    return np.bincount(firms_cells, minlength=int(np.prod(shape()))).reshape(shape())


def release(cube_cells: list, k: int, stages: tuple[str, ...] = ("T0",), cohort: list | None = None,
            period: str = "2026") -> Release:
    parameters = release_parameters(period, stages, k=k, questionnaire_versions=("digital_maturity@1",), synthetic=True)
    return build_release(cube_cells, parameters, release_id=f"stats-{period}", created_at=CREATED, created_by="cli",
                         cohort=cohort or ())


def assert_no_small_published_cell(result: Release, k: int) -> None:
    for cell in result.cells:
        if cell.status == "x":
            assert cell.n is None and cell.mean_overall is None and cell.sd_overall is None and not cell.level_counts
        else:  # empty cells are published as 0: they describe no firm
            assert cell.n is not None and (cell.n == 0 or cell.n >= k), cell
        distributions = (cell.level_counts, cell.dii_counts, cell.archetype_counts, dict(enumerate(cell.histogram)))
        if cell.table_id != "total":  # a margin minus its published children would give a hidden category back
            assert not any(distributions), cell
        # every category is a count of firms: never 1 to k − 1 published
        assert all(v is None or v == 0 or v >= k for d in distributions for v in d.values()), cell


# Each example solves a few hundred LPs (engine and attacker); five keep the test near a minute.
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(firms=st.integers(200, 20_000), k=st.sampled_from([5, 10, 20]), seed=st.integers(0, 10_000),
       active=st.sampled_from([0.15, 0.5, 1.0]))
def test_no_primary_cell_is_recoverable_within_k_and_no_published_cell_is_below_k(firms: int, k: int, seed: int,
                                                                                   active: float) -> None:
    population = skewed_firms(firms, seed, active_share=active)
    result = release(cube(population), k)
    assert result.audit.passed and result.firms == firms
    assert_no_small_published_cell(result, k)
    truth = table_truth({"T0": counts_of(population.cell)}, result, codes())
    for cell in result.cells:  # every cell with 1..k−1 firms is hidden as primary; published counts are exact
        n = truth[(cell.stage, cell.table_id, cell.key)]
        assert (cell.status == "x" and cell.primary) if 0 < n < k else (cell.n in (None, n))
    assert narrow_primary_cells(result, truth, codes(), k) == []


def test_score_sums_of_primary_cells_stay_uncertain_by_the_minimum_interval() -> None:
    counts = np.full(shape(), 4)
    counts[2, 3, :] = 0  # a few small cells: manufacturing 100+ in two regions, transportation 1-4 in one
    counts[2, 3, 5], counts[2, 3, 15] = 3, 2
    counts[4, 0, :] = 0
    counts[4, 0, 0] = 1
    result = release(cube_from_counts(counts, seed=4), 10)
    attacker, needed = StageAttacker(result, "T0", codes()), default_min_sum_interval(10)
    primary = [c for c in result.cells if c.primary]
    assert primary and result.audit.narrowest_sum_interval is not None
    assert result.audit.narrowest_sum_interval >= needed - 1e-6
    assert all(attacker.width_at_least(c, "sum", needed) >= needed - 1e-6 for c in primary)


def test_overlapping_tables_do_not_reveal_a_small_cell_by_difference() -> None:
    """Manufacturing firms of 100+ employees are 3; the sector-group margin minus the other size bands
    of manufacturing would give them away if only that cell were hidden."""
    counts = np.full(shape(), 4)
    g, b = load_lattice().codes("sector_group").index("manufacturing"), load_lattice().codes("size_band").index("100+")
    counts[g, b, :] = 0
    counts[g, b, 5] = 3  # Montréal
    result = release(cube_from_counts(counts), 10)
    cells = {(c.table_id, c.key): c for c in result.cells}
    small = cells[("sector_group__size_band", ("manufacturing", "100+"))]
    assert small.status == "x" and small.primary
    line = [cells[("sector_group", ("manufacturing",))]] + [
        cells[("sector_group__size_band", ("manufacturing", band))] for band in load_lattice().codes("size_band")]
    assert sum(c.status == "x" for c in line) >= 2  # margin − published components no longer isolates it
    truth = table_truth({"T0": counts}, result, codes())
    assert narrow_primary_cells(result, truth, codes(), 10) == []


def test_consecutive_periods_are_separate_populations_and_never_cumulative() -> None:
    """Period 2027 holds the firms assessed in 2027 only. A "to date" total (2026 + 2027) would differ
    from 2026's by the 3 new firms; the engine has no way to publish one: each release counts its own
    cube, and stacking two periods' cubes is refused rather than summed."""
    first = np.full(shape(), 3)
    second = first.copy()
    second[0, 0, 0] += 3
    r1 = release(cube_from_counts(first), 10, period="2026")
    r2 = release(cube_from_counts(second, seed=1), 10, period="2027")
    total = {r.parameters.period: next(c.n for c in r.cells if c.table_id == "total") for r in (r1, r2)}
    assert total == {"2026": 2040, "2027": 2043} and (r1.firms, r2.firms) == (2040, 2043)
    with pytest.raises(ValueError, match="twice"):
        release(cube_from_counts(first) + cube_from_counts(second, seed=1), 10, period="2026-2027")


def test_cohort_cells_are_suppressed_when_their_complement_in_the_stage_is_small() -> None:
    cube_cells, cohort = two_stages(6000, 21, cohort_share=0.6, pareto=4.0)
    result = release(cube_cells, 10, stages=("T0", "T1"), cohort=cohort)
    t1 = {(c.table_id, c.key): c.n for c in result.cells if c.stage == "T1"}
    cohort_n: dict[tuple[str, tuple[str, ...]], int] = {}
    for cell in cohort:  # the true cohort counts of the one-way margins and the total
        for table, key in (("total", ()), ("sector_group", (cell.sector_group,)), ("size_band", (cell.size_band,)),
                           ("region", (cell.region,))):
            cohort_n[(table, key)] = cohort_n.get((table, key), 0) + cell.n
    assert {c.table_id for c in result.cohort} == {"total", "sector_group", "size_band", "region"}
    for cell in result.cohort:
        n = cohort_n.get((cell.table_id, cell.key), 0)
        complement = (t1[(cell.table_id, cell.key)] or 0) - n if t1[(cell.table_id, cell.key)] is not None else None
        if 0 < n < 10 or (complement is not None and 1 <= complement < 10):
            assert cell.status == "x" and cell.n is None and cell.mean_change is None
        if cell.status == "":
            assert cell.n == n and (n == 0 or n >= 10)
            assert cell.improved is not None and cell.improved + (cell.unchanged or 0) + (cell.declined or 0) == n
    assert result.audit.passed and result.firms == max(t1[("total", ())] or 0, 6000 // 2 + sum(c.n for c in cohort))


def test_complement_rule_hides_a_cohort_margin_with_a_few_other_firms() -> None:
    """Montréal has 120 T1 firms (3 per finest cell), 117 of them in the cohort: publishing both
    would describe the other 3 by difference."""
    counts = np.full(shape(), 3)
    cube_cells = cube_from_counts(counts, "T1") + cube_from_counts(counts, "T0", seed=1)
    lattice, montreal = load_lattice(), load_lattice().codes("region").index("06")
    cohort_counts = np.zeros(shape(), dtype=int)
    cohort_counts[:, :, montreal] = 3
    cohort_counts[0, 0, montreal] = 0
    cohort = [CohortCubeCell(lattice.codes("sector_group")[g], lattice.codes("size_band")[b], lattice.codes("region")[r],
                             int(cohort_counts[g, b, r]), 50.0 * int(cohort_counts[g, b, r]),
                             60.0 * int(cohort_counts[g, b, r]), int(cohort_counts[g, b, r]), 0, 0)
              for g, b, r in zip(*np.nonzero(cohort_counts), strict=True)]
    result = release(cube_cells, 10, stages=("T0", "T1"), cohort=cohort)
    by_key = {(c.table_id, c.key): c for c in result.cohort}
    assert by_key[("region", ("06",))].status == "x" and by_key[("region", ("06",))].n is None
    assert by_key[("region", ("03",))].status == "" and by_key[("region", ("03",))].n == 0


def test_the_total_hides_a_small_category_of_its_distributions() -> None:
    cells = [_top_bin_emptied(c) for c in cube(skewed_firms(3000, 4, pareto=2.0))]
    donor = next(i for i, c in enumerate(cells) if c.histogram[-2] >= 3)  # 3 firms in the top bin, all in one cell
    cells[donor] = replace(cells[donor], histogram=(*cells[donor].histogram[:-2], cells[donor].histogram[-2] - 3, 3))
    result = release(cells, 10)
    total = next(c for c in result.cells if c.table_id == "total")
    truth = np.sum([c.histogram for c in cells], axis=0)
    assert truth[-1] == 3 and total.histogram[-1] is None  # hidden…
    assert sum(v is None for v in total.histogram) == 2  # …with the smallest other bin, so n − the rest is no answer
    assert all(v == h for v, h in zip(total.histogram, truth, strict=True) if v is not None)
    levels = np.sum([list(c.level_counts.values()) for c in cells], axis=0).tolist()  # all far above k: published as they are
    assert total.level_counts == dict(zip(cells[0].level_counts, levels, strict=True))
    assert_no_small_published_cell(result, 10)


def _top_bin_emptied(cell: CubeCell) -> CubeCell:
    h = list(cell.histogram)
    h[-2], h[-1] = h[-2] + h[-1], 0
    return replace(cell, histogram=tuple(h))


def test_codec_round_trips_exactly_through_json() -> None:
    cube_cells, cohort = two_stages(6000, 3, cohort_share=0.5, pareto=4.0)
    original = release(cube_cells, 10, stages=("T0", "T1"), cohort=cohort)
    text = json.dumps(release_to_json(original), allow_nan=False)
    restored = release_from_json(json.loads(text))
    assert restored == original
    assert isinstance(restored.cells[0].key, tuple) and isinstance(restored.parameters.stages, tuple)


def test_codec_keeps_the_archetype_names_and_reads_releases_made_before_them() -> None:
    original = sample_release()
    assert original.parameters.archetypes and original.parameters.archetype_model
    doc = json.loads(json.dumps(release_to_json(original), allow_nan=False))
    assert release_from_json(doc) == original
    for key in ("archetypes", "archetype_model"):
        del doc["parameters"][key]
    older = release_from_json(doc)
    assert older.parameters.archetypes == () and older.parameters.archetype_model is None


def test_codec_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="format"):
        release_from_json({"format": 99})


def test_k_below_the_policy_floor_is_refused_on_real_data() -> None:
    parameters = release_parameters("2026", ("T0",), k=3, questionnaire_versions=(), synthetic=False)
    with pytest.raises(DisclosureError):
        build_release(cube_from_counts(np.full(shape(), 2)), parameters, release_id="r", created_at=CREATED,
                      created_by="cli")


def test_a_release_that_cannot_be_protected_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    import releases.suppression as suppression
    monkeypatch.setattr(suppression, "MAX_REPAIR_ROUNDS", 0)
    with pytest.raises(ReleaseRefused, match="repair rounds"):
        release(cube(skewed_firms(1000, 2)), 10)
