"""The release cube and the cohort cube in SQL (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set):
who is counted, once, and what a stored release keeps."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import insert, update

from questionnaires.registry import get_instrument
from releases.lattice import load_lattice
from releases.model import ArchetypeCentres
from storage.models import Assessment, Firm, table
from storage.statistics import PeriodFrozen, period_bounds
from tests.databases import BACKENDS, migrated_repository, own_database

A, F = table(Assessment), table(Firm)
Q = get_instrument().questionnaire
LATTICE = load_lattice()
JUNE = datetime(2026, 6, 1, tzinfo=UTC)
DIMS = [d.id for d in Q.dimensions]


class TickingClock:
    """A clock one second later at each reading, so releases have distinct creation times."""

    def __init__(self) -> None:
        self.now = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture(scope="module")
def pg_url():
    with own_database("statistics_tests") as url:
        yield url


@pytest.fixture(params=BACKENDS)
def repo(request, tmp_path):
    with migrated_repository(request, tmp_path, TickingClock()) as repository:
        yield repository


def add_firm(repo, *, sector="31-33", size="20-49", region="05", synthetic=False) -> str:
    firm_id = str(uuid.uuid4())
    with repo.engine.begin() as conn:
        conn.execute(insert(F).values(id=firm_id, name="Nom secret", sector=sector, size=size, region=region, synthetic=synthetic,
                                      created_at=JUNE, updated_at=JUNE))
    return firm_id


def add_assessment(repo, firm_id, *, stage="T0", at=JUNE, overall=50.0, level="average", dii_level="low", consent=True,
                   synthetic=False, status="completed", sector="31-33", size="20-49", region="05", baseline_id=None,
                   dims=None) -> str:
    assessment_id = str(uuid.uuid4())
    scores = dims if dims is not None else {d: overall for d in DIMS}
    with repo.engine.begin() as conn:
        conn.execute(insert(A).values(
            id=assessment_id, firm_id=firm_id, baseline_id=baseline_id, questionnaire_id=Q.id, questionnaire_version=Q.version,
            content_hash="h", firm_name="Nom secret", sector=sector, size=size, region=region, answers={}, status=status,
            stage=stage, consent_statistics=consent, consent_advisor=False, synthetic=synthetic, revision=1, created_at=at,
            updated_at=at, completed_at=at if status == "completed" else None, result={"overall": overall},
            overall=overall if status == "completed" else None, level=level, dii_score=5, dii_level=dii_level,
            dimension_scores=scores))
    return assessment_id


def cube(repo, period="2026", stages=("T0", "T1"), synthetic=False):
    return repo.statistics.cube(period, stages, Q, LATTICE, synthetic=synthetic)


def total_n(cells) -> int:
    return sum(c.n for c in cells)


def test_period_is_a_calendar_year_in_utc():
    assert period_bounds("2026") == (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="calendar year"):
        period_bounds("2026-Q1")


def test_cube_groups_by_stage_sector_group_size_band_and_region_with_sufficient_statistics(repo):
    for overall, level in ((40.0, "average"), (60.0, "moderate"), (100.0, "advanced")):
        add_assessment(repo, add_firm(repo), overall=overall, level=level)
    add_assessment(repo, add_firm(repo), sector="41", size="1-4", region="06", overall=5.0, level="basic", dii_level="very_low")
    cells = {(c.stage, c.sector_group, c.size_band, c.region): c for c in cube(repo)}
    manufacturing = cells[("T0", LATTICE.sector_group_of("31-33"), LATTICE.size_band_of("20-49"), "05")]
    assert manufacturing.n == 3
    assert manufacturing.sum_overall == pytest.approx(200.0)
    assert manufacturing.sumsq_overall == pytest.approx(40.0**2 + 60.0**2 + 100.0**2)
    assert manufacturing.dimension_sums == {d: pytest.approx(200.0) for d in DIMS}
    assert manufacturing.dimension_counts == dict.fromkeys(DIMS, 3)
    assert manufacturing.level_counts == {"basic": 0, "average": 1, "moderate": 1, "advanced": 1}
    assert manufacturing.dii_counts == {"very_low": 0, "low": 3, "high": 0, "very_high": 0}
    assert manufacturing.histogram == (0, 0, 0, 0, 1, 0, 1, 0, 0, 1)  # 100 falls in the last bin
    trade = cells[("T0", LATTICE.sector_group_of("41"), LATTICE.size_band_of("1-4"), "06")]
    assert (trade.n, trade.histogram[0], trade.dii_counts["very_low"]) == (1, 1, 1)


def test_a_missing_dimension_score_is_not_counted_in_that_dimension(repo):
    add_assessment(repo, add_firm(repo), dims={**dict.fromkeys(DIMS, 30.0), "green": None})
    (cell,) = cube(repo)
    assert cell.dimension_counts["green"] == 0 and cell.dimension_sums["green"] == 0.0
    assert cell.dimension_counts["data"] == 1 and cell.dimension_sums["data"] == pytest.approx(30.0)


def test_each_firm_is_counted_in_its_nearest_archetype_as_numpy_would(repo):
    """The SQL argmin (squared distance, missing score = the pool mean, ties to the lowest id)
    gives every firm the archetype ``ArchetypeModel.nearest`` gives it."""
    rnd = random.Random(5)
    last = len(DIMS) - 1
    centres = ArchetypeCentres(tuple(DIMS), tuple(50.0 for _ in DIMS), (
        tuple(0.0 for _ in DIMS), tuple(10.0 if i == last else 40.0 for i in range(len(DIMS))),
        tuple(90.0 if i == last else 60.0 for i in range(len(DIMS))), tuple(100.0 for _ in DIMS)))
    expected: Counter[tuple[str, str, str]] = Counter()
    for i in range(60):
        scores = {d: (None if rnd.random() < 0.15 else float(rnd.randrange(0, 101))) for d in DIMS}
        if i == 0:  # exactly as far from centres 1 and 2: the lower id wins
            scores = {d: (a + b) / 2 for d, a, b in zip(DIMS, centres.centres[1], centres.centres[2], strict=True)}
        region = rnd.choice(["05", "06"])
        add_assessment(repo, add_firm(repo, region=region), region=region, dims=scores)
        x = np.array([fill if scores[d] is None else scores[d] for d, fill in zip(DIMS, centres.fill, strict=True)])
        nearest = int(np.argmin(((np.array(centres.centres) - x) ** 2).sum(axis=1)))
        assert i > 0 or nearest == 1  # the tie goes to the lower id
        expected[(region, str(nearest), "")] += 1
    cells = repo.statistics.cube("2026", ("T0",), Q, LATTICE, archetypes=centres)
    found = Counter({(c.region, a, ""): n for c in cells for a, n in c.archetype_counts.items() if n})
    assert found == expected and all(set(c.archetype_counts) == {"0", "1", "2", "3"} for c in cells)
    assert all(sum(c.archetype_counts.values()) == c.n for c in cells)
    assert all(not c.archetype_counts for c in cube(repo))  # without a model: no archetype counted


def test_the_dimension_matrix_is_the_pool_frame_s_dimension_columns_row_for_row(repo):
    """What a release fits the archetype model on is exactly what the results page fits it on."""
    rnd = random.Random(8)
    for i in range(25):
        scores = {d: (None if rnd.random() < 0.2 else round(rnd.uniform(0, 100), 1)) for d in DIMS}
        add_assessment(repo, add_firm(repo), at=JUNE + timedelta(hours=i % 3), dims=scores)  # ties in time
    add_assessment(repo, add_firm(repo), consent=False)  # not in the pool
    frame = repo.completed_scores(consented_only=True, synthetic=False, questionnaire_id=Q.id)
    expected = frame.reindex(columns=list(DIMS)).to_numpy(dtype=float, na_value=np.nan)
    matrix = repo.completed_dimension_matrix(DIMS, synthetic=False, questionnaire_id=Q.id)
    assert matrix.shape == (25, len(DIMS)) and np.isnan(matrix).any()
    np.testing.assert_array_equal(matrix, expected)


def test_one_assessment_per_firm_per_stage_the_latest_completed(repo):
    firm = add_firm(repo)
    add_assessment(repo, firm, at=JUNE, overall=20.0)
    add_assessment(repo, firm, at=JUNE + timedelta(days=30), overall=80.0)
    add_assessment(repo, firm, at=JUNE + timedelta(days=60), overall=10.0, status="draft")
    add_assessment(repo, firm, stage="T1", at=JUNE + timedelta(days=90), overall=90.0)
    cells = {c.stage: c for c in cube(repo)}
    assert cells["T0"].n == 1 and cells["T0"].sum_overall == pytest.approx(80.0)
    assert cells["T1"].n == 1 and cells["T1"].sum_overall == pytest.approx(90.0)
    assert {c.stage for c in cube(repo, stages=("T1",))} == {"T1"}


def test_drafts_synthetic_non_consenting_and_other_periods_are_excluded(repo):
    add_assessment(repo, add_firm(repo))  # the one counted
    add_assessment(repo, add_firm(repo), status="draft")
    add_assessment(repo, add_firm(repo, synthetic=True), synthetic=True)
    add_assessment(repo, add_firm(repo), consent=False)
    add_assessment(repo, add_firm(repo), at=datetime(2025, 12, 31, 23, 59, tzinfo=UTC))
    add_assessment(repo, add_firm(repo), at=datetime(2027, 1, 1, tzinfo=UTC))
    assert total_n(cube(repo)) == 1
    assert total_n(cube(repo, synthetic=True)) == 1  # a synthetic release counts synthetic firms only
    assert total_n(cube(repo, period="2025")) == 1


def test_a_firm_whose_latest_assessment_withdrew_consent_is_not_counted(repo):
    firm = add_firm(repo)
    add_assessment(repo, firm, at=JUNE)
    add_assessment(repo, firm, at=JUNE + timedelta(days=1), consent=False)
    assert total_n(cube(repo)) == 0


def test_no_firm_id_or_name_leaves_the_cube(repo):
    firm = add_firm(repo)
    add_assessment(repo, firm)
    text = repr(cube(repo)) + repr(repo.statistics.cohort("2026", Q, LATTICE))
    assert firm not in text and "Nom secret" not in text


def test_cohort_pairs_a_t1_of_the_period_with_its_t0_baseline_by_the_t1_profile(repo):
    improved_firm, declined_firm, no_baseline = add_firm(repo), add_firm(repo), add_firm(repo)
    t0 = add_assessment(repo, improved_firm, at=datetime(2025, 3, 1, tzinfo=UTC), overall=30.0, level="average")
    add_assessment(repo, improved_firm, stage="T1", overall=70.0, level="moderate", baseline_id=t0, region="06")
    t0 = add_assessment(repo, declined_firm, overall=60.0, level="moderate")
    add_assessment(repo, declined_firm, stage="T1", at=JUNE + timedelta(days=1), overall=40.0, level="average", baseline_id=t0)
    add_assessment(repo, no_baseline, stage="T1", overall=90.0, level="advanced")
    cells = {c.region: c for c in repo.statistics.cohort("2026", Q, LATTICE)}
    assert set(cells) == {"05", "06"}  # grouped by the T1 profile
    assert (cells["06"].n, cells["06"].sum_t0, cells["06"].sum_t1, cells["06"].improved) == (1, 30.0, 70.0, 1)
    assert (cells["05"].n, cells["05"].declined, cells["05"].unchanged) == (1, 1, 0)


def test_a_cohort_baseline_without_consent_is_not_counted(repo):
    firm = add_firm(repo)
    t0 = add_assessment(repo, firm, consent=False)
    add_assessment(repo, firm, stage="T1", at=JUNE + timedelta(days=1), baseline_id=t0)
    assert repo.statistics.cohort("2026", Q, LATTICE) == []


def test_a_code_outside_the_lattice_refuses_the_cube(repo):
    firm = add_firm(repo)
    add_assessment(repo, firm)
    with repo.engine.begin() as conn:
        conn.execute(update(A).values(sector="99"))
    with pytest.raises(ValueError, match="1 counted assessment"):
        cube(repo)


def test_questionnaire_versions_of_the_population(repo):
    add_assessment(repo, add_firm(repo))
    assert repo.statistics.questionnaire_versions("2026", ("T0",), Q.id) == (f"{Q.id}@{Q.version}",)
    assert repo.statistics.questionnaire_versions("2025", ("T0",), Q.id) == ()


# ---- frozen releases ------------------------------------------------------------------------------------------

def populate(repo, firms: int, *, at=JUNE, regions=("05", "06")) -> list[str]:
    """``firms`` consenting firms with one completed T0 each, spread over two cells, varied scores."""
    out = []
    for i in range(firms):
        firm = add_firm(repo)
        out.append(add_assessment(repo, firm, at=at + timedelta(minutes=i), overall=20.0 + (i * 7) % 70,
                                  region=regions[i % len(regions)]))
    return out


def released(repo, period="2026", *, official=True, synthetic=False, created_by="cli"):
    from releases.build import build_release, release_parameters

    stages = ("T0",)
    params = release_parameters(period, stages, k=10, synthetic=synthetic,
                                questionnaire_versions=repo.statistics.questionnaire_versions(period, stages, Q.id, synthetic=synthetic))
    release = build_release(cube(repo, period, stages, synthetic), params, release_id=str(uuid.uuid4()),
                            created_at=repo.clock(), created_by=created_by, official=official, lattice=LATTICE)
    repo.statistics.save_release(release)
    return release


def test_a_stored_release_reads_back_equal_and_is_listed_newest_first(repo):
    populate(repo, 40)
    first = released(repo)
    populate(repo, 30, at=datetime(2025, 5, 1, tzinfo=UTC))
    second = released(repo, "2025")
    preview = released(repo, "2026", official=False)
    assert repo.statistics.release(first.id) == first
    assert repo.statistics.release("no-such-id") is None
    assert [r.id for r in repo.statistics.releases()] == [second.id, first.id]
    assert [r.id for r in repo.statistics.releases(include_previews=True)] == [preview.id, second.id, first.id]
    row = repo.statistics.releases()[1]
    assert (row.period, row.stages, row.firms, row.k, row.synthetic, row.official) == ("2026", ("T0",), 40, 10, False, True)


def test_a_released_period_is_frozen_a_second_official_release_is_refused(repo):
    populate(repo, 40)
    released(repo)
    assert repo.statistics.official_release_exists("2026", ("T0",))
    assert repo.statistics.official_release_exists("2026", ("T0", "T1"))  # overlapping stage sets too
    assert not repo.statistics.official_release_exists("2026", ("T1",))
    populate(repo, 5, at=JUNE + timedelta(days=100))  # late firms: a second release would isolate them
    with pytest.raises(PeriodFrozen, match="frozen"):
        released(repo)
    released(repo, official=False)  # a preview is not frozen and not official
    synthetic_firm = add_firm(repo, synthetic=True)
    add_assessment(repo, synthetic_firm, synthetic=True)
    released(repo, synthetic=True)  # synthetic releases are separate and may be re-run
    assert len(repo.statistics.releases()) == 2


def test_the_database_refuses_a_second_official_release_and_any_update(repo):
    from sqlalchemy.exc import DBAPIError, IntegrityError

    from storage.models import StatsRelease

    populate(repo, 40)
    release = released(repo)
    R = table(StatsRelease)
    with repo.engine.connect() as conn:
        row = dict(conn.execute(R.select().where(R.c.id == release.id)).mappings().one())
    with pytest.raises(IntegrityError), repo.engine.begin() as conn:
        conn.execute(insert(R).values({**row, "id": "another"}))
    with pytest.raises(DBAPIError, match="frozen"), repo.engine.begin() as conn:
        conn.execute(update(R).where(R.c.id == release.id).values(firms=1))


def test_withdrawn_consent_changes_the_next_release_never_a_published_one(repo):
    ids = populate(repo, 40)
    published = released(repo)
    with repo.engine.begin() as conn:
        conn.execute(update(A).where(A.c.id.in_(ids[:12])).values(consent_statistics=False))
    assert repo.statistics.release(published.id) == published  # frozen: never recomputed
    assert published.firms == 40
    assert released(repo, official=False).firms == 28  # the next computation leaves them out
