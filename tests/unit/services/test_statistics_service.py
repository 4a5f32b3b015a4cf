"""The statistics service: who may list, open, export and run releases; forged ids; the access log;
trends of one kind (real or synthetic) across official releases."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
import pyarrow.parquet as pq
import pytest

from auth.policy import Principal, Role
from releases.model import ReleaseRefused
from services.access import Access, Denied
from services.statistics import ReleaseSummary, StatisticsService, parse_stages
from storage.statistics import PeriodFrozen
from tests.databases import BACKENDS, migrated_repository, own_database
from tests.unit.storage.test_statistics_cube import LATTICE, TickingClock, add_assessment, add_firm, populate

ANALYST = Principal("u-analyst", "analyste@mesi.example", "Ana", frozenset({Role.ANALYST}))
ADVISOR = Principal("u-advisor", "conseil@cldx.example", "Con", frozenset({Role.ADVISOR}), advisor_id="adv-1")
ADMIN = Principal("u-admin", "admin@mesi.example", "Adm", frozenset({Role.ADMIN}))
NOBODY = Principal("u-none", "x@example", "X", frozenset())


@pytest.fixture(scope="module")
def pg_url():
    with own_database("statistics_service_tests") as url:
        yield url


@pytest.fixture(params=BACKENDS)
def repo(request, tmp_path):
    with migrated_repository(request, tmp_path, TickingClock()) as repository:
        yield repository


@pytest.fixture
def service(repo):
    return StatisticsService(repo, Access(repo), lattice=LATTICE)


@pytest.fixture
def release(repo, service):
    populate(repo, 40)
    return service.run_release(None, "2026", ("T0",))


def log_rows(repo, action):
    return [r for r in repo.users.access_log() if r.action == action]


def test_parse_stages():
    assert parse_stages("all") == ("T0", "T1") and parse_stages("T1") == ("T1",)
    with pytest.raises(ValueError):
        parse_stages("T2")


def test_an_analyst_lists_opens_and_exports_and_each_is_logged(repo, service, release):
    assert service.releases(ANALYST) == [ReleaseSummary(release.id, "2026", ("T0",), release.created_at, 40, False, True)]
    assert service.release(ANALYST, release.id) == release
    (viewed,) = log_rows(repo, "view_statistics")
    assert (viewed.user_id, viewed.detail) == (ANALYST.user_id, {"release_id": release.id})
    for fmt in ("csv", "xlsx", "parquet"):
        assert service.export(ANALYST, release.id, fmt, "en")
    exports = log_rows(repo, "export_statistics")
    assert sorted(r.detail["format"] for r in exports) == ["csv", "parquet", "xlsx"]
    assert all(r.detail["release_id"] == release.id and r.user_id == ANALYST.user_id for r in exports)


def test_exports_are_readable_and_labelled_in_the_chosen_locale(service, release):
    sheet = openpyxl.load_workbook(io.BytesIO(service.export(ANALYST, release.id, "xlsx", "en")))["data"]
    header = [c.value for c in sheet[1]]
    labels = {r[header.index("region_label")] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert LATTICE.label("region", "05", "en") in labels
    parquet = pq.read_table(io.BytesIO(service.export(ANALYST, release.id, "parquet", "fr")))
    assert parquet.schema.metadata[b"release_id"].decode() == release.id
    assert LATTICE.label("region", "05", "fr") in parquet.column("region_label").to_pylist()


@pytest.mark.parametrize("who", [ADVISOR, ADMIN, NOBODY, None])
def test_advisors_admins_and_nobody_cannot_see_or_export_a_release(service, release, who):
    for call in (lambda: service.releases(who), lambda: service.release(who, release.id),
                 lambda: service.export(who, release.id, "csv", "fr"),
                 lambda: service.trend(who, "T0")):
        with pytest.raises(Denied):
            call()


def test_a_forged_or_unknown_release_id_is_not_found(service, release):
    for forged in ("", "nope", release.id + "x", "' OR 1=1 --"):
        with pytest.raises(LookupError, match="not found"):
            service.release(ANALYST, forged)
        with pytest.raises(LookupError, match="not found"):
            service.export(ANALYST, forged, "csv", "fr")


def test_previews_are_never_shown_to_analysts(repo, service, release):
    populate(repo, 5, at=datetime(2026, 12, 1, tzinfo=UTC))
    preview = service.run_release(ADMIN, "2026", ("T0",), official=False)
    assert preview.firms == 45  # differenced against the official release, it would isolate the 5 late firms
    assert [r.id for r in service.releases(ANALYST)] == [release.id]
    for call in (lambda: service.release(ANALYST, preview.id), lambda: service.export(ANALYST, preview.id, "csv", "fr")):
        with pytest.raises(LookupError, match="not found"):
            call()
    assert service.trend(ANALYST, "T0")[0][0].id == release.id and len(service.trend(ANALYST, "T0")) == 1
    assert service.export_for_operator(preview.id, "csv", "fr")  # the operator's CLI may


def test_only_admins_or_the_cli_run_a_release_and_it_is_logged(repo, service):
    populate(repo, 40)
    for who in (ANALYST, ADVISOR, NOBODY):
        with pytest.raises(Denied):
            service.run_release(who, "2026", ("T0",))
    release = service.run_release(ADMIN, "2026", ("T0",), official=False)
    assert release.created_by == ADMIN.email and not release.official
    (ran,) = log_rows(repo, "run_release")
    assert ran.user_id == ADMIN.user_id and ran.detail["release_id"] == release.id and ran.detail["official"] is False
    cli = service.run_release(None, "2026", ("T0",))
    assert cli.created_by == "cli" and log_rows(repo, "run_release")[0].email == "cli"


def test_a_period_is_frozen_once_released(repo, service, release):
    populate(repo, 12, at=datetime(2026, 11, 1, tzinfo=UTC))
    with pytest.raises(PeriodFrozen, match="frozen"):
        service.run_release(None, "2026", ("T0",))
    with pytest.raises(PeriodFrozen):
        service.run_release(None, "2026", ("T0", "T1"))
    assert [r.id for r in service.releases(ANALYST)] == [release.id]


def test_an_empty_population_or_a_bad_period_is_refused(service):
    with pytest.raises(ReleaseRefused, match="no consenting"):
        service.run_release(None, "2026", ("T0",))
    with pytest.raises(ValueError, match="calendar year"):
        service.run_release(None, "26", ("T0",))


def test_trends_follow_official_releases_of_one_kind_oldest_first(repo, service):
    populate(repo, 30, at=datetime(2025, 4, 1, tzinfo=UTC))
    populate(repo, 40)
    older = service.run_release(None, "2025", ("T0",))
    newer = service.run_release(None, "2026", ("T0",))
    service.run_release(None, "2026", ("T0",), official=False)  # a preview: never in trends
    firm = add_firm(repo, synthetic=True)
    add_assessment(repo, firm, synthetic=True)
    service.run_release(None, "2026", ("T0",), synthetic=True, k=1)
    trend = service.trend(ANALYST, "T0")
    assert [(s.id, c.n) for s, c in trend] == [(older.id, 30), (newer.id, 40)]
    assert all(not s.synthetic and s.official for s, _ in trend)
    synthetic = service.trend(ANALYST, "T0", synthetic=True)
    assert [(s.synthetic, c.n) for s, c in synthetic] == [(True, 1)]
    by_region = service.trend(ANALYST, "T0", "region", ("05",))
    assert [c.n for _, c in by_region] == [15, 20]


def test_a_release_counts_firms_by_the_archetypes_firms_are_shown(repo, service):
    """With a comparison pool large enough for archetypes, the release counts every firm in the
    nearest archetype of the model firms see, and keeps its names and fingerprint (not its centres)."""
    import numpy as np

    from benchmarks.archetypes import MIN_FIRMS, cached_archetypes
    from questionnaires.registry import get_instrument
    from releases.distributions import protect_mapping

    populate(repo, MIN_FIRMS + 50)
    release = service.run_release(None, "2026", ("T0",))
    dims = tuple(d.id for d in get_instrument().questionnaire.dimensions)
    pool = repo.completed_scores(consented_only=True, synthetic=False)
    model = cached_archetypes(pool.reindex(columns=list(dims)).to_numpy(dtype=float, na_value=np.nan), dims, False)
    assert model is not None and release.parameters.archetype_model == model.fingerprint
    assert [(a.id, a.shape, a.tier) for a in release.parameters.archetypes] == [
        (str(a.id), a.name.shape, a.name.tier) for a in model.archetypes]
    nearest = [str(model.nearest({d: row[d] for d in dims})) for _, row in pool.iterrows()]
    total = next(c for c in release.cells if c.table_id == "total")
    counted = {a.id: nearest.count(a.id) for a in release.parameters.archetypes}
    assert total.archetype_counts == protect_mapping(counted, release.parameters.k)  # a small archetype would be "x"
    assert "centroid" not in str(release.parameters)


def test_a_pool_too_small_for_archetypes_gives_a_release_without_them(release):
    assert release.parameters.archetypes == () and release.parameters.archetype_model is None
    assert all(not c.archetype_counts for c in release.cells)
