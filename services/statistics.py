"""Ministry statistics: frozen releases for analysts, their trends and exports, and running a
release (the operator's CLI, or an admin).

Every call re-checks the principal with ``Access.require``: analysts view and export released
tables (``VIEW_STATISTICS``, ``EXPORT_STATISTICS``); only admins (``RUN_RELEASE``) or the CLI
compute a release; advisors reach nothing here. A release id that does not exist gives
``LookupError("not found")``. Opening, exporting and running a release are written to the access
log. Nothing here ever reads an assessment: storage hands over the aggregated cube only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from auth.policy import Action, Principal
from benchmarks.archetypes import ArchetypeModel, cached_archetypes
from benchmarks.disclosure import policy_for
from domain import JsonObject
from exports.release_files import release_file
from exports.release_table import ExportContext
from questionnaires.registry import Instrument, get_instrument
from releases.build import build_release, release_parameters
from releases.lattice import Lattice, load_lattice
from releases.model import ArchetypeCentres, PublishedCell, Release, ReleaseArchetype, ReleaseRefused
from services.access import Access
from storage.repository import Repository
from storage.statistics import PeriodFrozen, ReleaseRow, period_bounds

RELEASE_STAGES = ("T0", "T1")


@dataclass(frozen=True, slots=True)
class ReleaseSummary:
    id: str
    period: str
    stages: tuple[str, ...]
    created_at: datetime
    firms: int
    synthetic: bool
    official: bool


def _summary(row: ReleaseRow | Release) -> ReleaseSummary:
    if isinstance(row, Release):
        p = row.parameters
        return ReleaseSummary(row.id, p.period, p.stages, row.created_at, row.firms, p.synthetic, row.official)
    return ReleaseSummary(row.id, row.period, row.stages, row.created_at, row.firms, row.synthetic, row.official)


def archetype_counting(model: ArchetypeModel) -> tuple[ArchetypeCentres, tuple[ReleaseArchetype, ...]]:
    """What the cube counts firms by (the centres) and what the release keeps (the names)."""
    centres = ArchetypeCentres(model.dimensions, tuple(float(m) for m in model.means),
                               tuple(tuple(float(c) for c in centre) for centre in model.centers))
    named = tuple(ReleaseArchetype(str(a.id), a.name.shape, a.name.tier, a.name.qualified, a.name.rank) for a in model.archetypes)
    return centres, named


def parse_stages(choice: str) -> tuple[str, ...]:
    """"T0", "T1" or "all" (both stages)."""
    if choice == "all":
        return RELEASE_STAGES
    if choice not in RELEASE_STAGES:
        raise ValueError(f"stage must be T0, T1 or all, got {choice!r}")
    return (choice,)


class StatisticsService:
    def __init__(self, repo: Repository, access: Access, *, instrument: Instrument | None = None,
                 lattice: Lattice | None = None, clock: Callable[[], datetime] | None = None):
        self.repo = repo
        self.access = access
        self.instrument = instrument or get_instrument()
        self.lattice = lattice or load_lattice()
        self.clock = clock or repo.clock

    # ---- analysts ------------------------------------------------------------------------------------------
    def releases(self, principal: Principal | None) -> list[ReleaseSummary]:
        """Official releases, newest first. Previews are never shown to analysts: differenced against
        the official release of the same period, a preview computed later would isolate late firms."""
        self.access.require(principal, Action.VIEW_STATISTICS)
        return [_summary(r) for r in self.repo.statistics.releases(include_previews=False)]

    def release(self, principal: Principal | None, release_id: str, *, log: bool = True) -> Release:
        """A release for an analyst (checked on every call); ``log`` False for the reruns of a page
        that already logged this opening."""
        checked = self.access.require(principal, Action.VIEW_STATISTICS)
        release = self._stored(release_id)
        if log:
            self.access.log(checked, "view_statistics", detail={"release_id": release.id})
        return release

    def trend(self, principal: Principal | None, stage: str, table_id: str = "total", key: Sequence[str] = (), *,
              synthetic: bool = False) -> list[tuple[ReleaseSummary, PublishedCell]]:
        """One cell across the official releases of one kind (real, or synthetic: never mixed), oldest first."""
        self.access.require(principal, Action.VIEW_STATISTICS)
        out = []
        for row in reversed(self.repo.statistics.releases(include_previews=False)):
            if row.synthetic != synthetic or stage not in row.stages:
                continue
            release = self._stored(row.id)
            cell = next((c for c in release.cells if c.stage == stage and c.table_id == table_id and c.key == tuple(key)), None)
            if cell is not None:
                out.append((_summary(row), cell))
        return out

    def export(self, principal: Principal | None, release_id: str, fmt: str, locale: str) -> bytes:
        checked = self.access.require(principal, Action.EXPORT_STATISTICS)
        data = self._export(release_id, fmt, locale)
        self.access.log(checked, "export_statistics", detail={"release_id": release_id, "format": fmt})
        return data

    def export_for_operator(self, release_id: str, fmt: str, locale: str) -> bytes:
        """The operator's CLI (``stats export``, previews included): no principal, logged as "cli"."""
        data = self._export(release_id, fmt, locale, previews=True)
        self.repo.users.log("export_statistics", user_id=None, email="cli", detail={"release_id": release_id, "format": fmt})
        return data

    def _export(self, release_id: str, fmt: str, locale: str, *, previews: bool = False) -> bytes:
        release = self._stored(release_id, previews=previews)
        q = self.instrument.questionnaire
        basic = frozenset(lv.id for lv in q.dii.levels if lv.min >= q.dii.basic_min)
        ctx = ExportContext(lambda dim, code: self.lattice.label(dim, code, locale), basic, locale, self.clock())
        return release_file(release, fmt, ctx)

    def _stored(self, release_id: str, *, previews: bool = False) -> Release:
        """The stored release, or LookupError("not found") (also for a preview unless ``previews``)."""
        release = self.repo.statistics.release(release_id) if isinstance(release_id, str) and release_id else None
        if release is None or not (release.official or previews):
            raise LookupError("not found")
        return release

    # ---- running a release ---------------------------------------------------------------------------------
    def run_release(self, principal: Principal | None, period: str, stages: Sequence[str], *, k: int | None = None,
                    synthetic: bool = False, official: bool = True, created_by: str = "cli") -> Release:
        """Compute, audit and freeze one release. ``principal`` None is the operator's CLI; otherwise an
        admin. Raises PeriodFrozen (an official release of the period exists), ReleaseRefused (no
        population, or the audit cannot be satisfied: nothing is stored), DisclosureError (k below the
        floor on real data)."""
        checked = None if principal is None else self.access.require(principal, Action.RUN_RELEASE)
        if checked is not None:
            created_by = checked.email
        period_bounds(period)  # a calendar year, else ValueError
        k = policy_for(k, synthetic).k  # below the disclosure floor on real data: DisclosureError, before any query
        stages = tuple(s for s in RELEASE_STAGES if s in set(stages))
        if not stages or len(stages) != len(set(stages)):
            raise ValueError(f"stages must be among {RELEASE_STAGES}, got {tuple(stages)}")
        stats, q = self.repo.statistics, self.instrument.questionnaire
        if official and not synthetic and stats.official_release_exists(period, stages):
            raise PeriodFrozen(f"an official release of period {period} already covers {'/'.join(stages)}: a released period "
                               f"is frozen (two releases of one period could be differenced to isolate late firms)")
        model = self._archetype_model(synthetic)
        centres, archetypes = archetype_counting(model) if model is not None else (None, ())
        cube = stats.cube(period, stages, q, self.lattice, synthetic=synthetic, archetypes=centres)
        if not cube:
            kind = "synthetic" if synthetic else "consenting, non-synthetic"
            raise ReleaseRefused(f"no {kind} completed assessment of {q.id} in period {period} ({'/'.join(stages)})")
        cohort = stats.cohort(period, q, self.lattice, synthetic=synthetic) if "T1" in stages else []
        versions = stats.questionnaire_versions(period, stages, q.id, synthetic=synthetic)
        parameters = release_parameters(period, stages, k=k, questionnaire_versions=versions, synthetic=synthetic,
                                        archetypes=archetypes, archetype_model=model.fingerprint if model is not None else None)
        release = build_release(cube, parameters, release_id=str(uuid.uuid4()), created_at=self.clock(), created_by=created_by,
                                official=official, cohort=cohort, lattice=self.lattice)
        stats.save_release(release)
        detail: JsonObject = {"release_id": release.id, "period": period, "stages": list(stages), "synthetic": synthetic,
                  "official": official, "firms": release.firms}
        if checked is not None:
            self.access.log(checked, "run_release", detail=detail)
        else:
            self.repo.users.log("run_release", user_id=None, email=created_by, detail=detail)
        return release

    def _archetype_model(self, synthetic: bool) -> ArchetypeModel | None:
        """The archetype model of the comparison pool of this kind (real or synthetic), the one firms
        are shown on their results page (memoised there: the same rows in the same order give the
        same model); None when the pool is too small."""
        q = self.instrument.questionnaire
        dims = tuple(d.id for d in q.dimensions)
        return cached_archetypes(self.repo.completed_dimension_matrix(dims, synthetic=synthetic, questionnaire_id=q.id), dims, synthetic)
