"""Ministry statistics in the database: the release cube, the T0 → T1 cohort cube, and the frozen
releases (``stats_release``).

The cube is ONE SQL ``GROUP BY`` per release at the finest registered grain (stage × sector group ×
size band × region), so aggregation stays in the database (SQLite or PostgreSQL) and only a few
thousand rows of additive sufficient statistics come out. No firm id, name, resume code or free
text ever leaves these queries: firm ids are only counted.

Population: completed assessments of one questionnaire, non-synthetic (or synthetic only, for a
synthetic release), completed within the period (a calendar year, UTC), one per firm per stage —
the latest completed (``ROW_NUMBER()`` over firm and stage) — and counted only if that latest
assessment has ``consent_statistics``: the firm's most recent answer is its current will, so a
withdrawn consent removes the firm from the next release. A stored release is never recomputed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, RowMapping, Select, and_, case, func, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnClause, Label
from sqlalchemy.sql.selectable import Subquery

from domain import JsonObject, JsonValue
from questionnaires.model import Questionnaire
from releases.lattice import Lattice
from releases.model import HISTOGRAM_BINS, ArchetypeCentres, CohortCubeCell, CubeCell, Release
from storage.models import Assessment, StatsRelease, table

A = table(Assessment)
R = table(StatsRelease)
PERIOD = re.compile(r"^(\d{4})$")


class PeriodFrozen(ValueError):
    """An official release of this period (and an overlapping stage) exists: the period is frozen."""


class UnmappedProfiles(ValueError):
    """Some counted assessments have a sector or size code the lattice does not group."""


@dataclass(frozen=True, slots=True)
class ReleaseRow:
    """A stored release without its body (for lists): no figure below k is in here."""

    id: str
    period: str
    stages: tuple[str, ...]
    k: int
    method: str
    synthetic: bool
    official: bool
    created_at: datetime
    created_by: str
    firms: int
    questionnaire_versions: tuple[str, ...]


def period_bounds(period: str) -> tuple[datetime, datetime]:
    """[start, end) in UTC of a period: a calendar year such as "2026"."""
    match = PERIOD.match(period)
    if match is None:
        raise ValueError(f"period must be a calendar year such as 2026, got {period!r}")
    year = int(match.group(1))
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def stages_key(stages: Sequence[str]) -> str:
    return "+".join(sorted(stages))


def _group_case(column: ColumnClause[str] | ColumnElement[str], mapping: Mapping[str, str]) -> ColumnElement[str | None]:
    """SQL CASE mapping profile codes to their lattice group (NULL for a code the lattice lacks)."""
    groups: dict[str, list[str]] = {}
    for code, group in mapping.items():
        groups.setdefault(group, []).append(code)
    return case(*((column.in_(codes), literal(group)) for group, codes in groups.items()), else_=None)


def _sector_map(lattice: Lattice) -> dict[str, str]:
    return {s: g.code for g in lattice.sector_groups.items for s in g.sectors}


def _size_map(lattice: Lattice) -> dict[str, str]:
    return {s: b.code for b in lattice.size_bands.items for s in b.sizes}


def _latest_per_firm(period: str, stages: Sequence[str], questionnaire_id: str, synthetic: bool,
                     computed: Sequence[Label[Any]] = ()) -> Select[tuple[object, ...]]:
    """Completed assessments of the period, ranked per (firm, stage), newest first (rank 1 = counted),
    with ``computed`` columns worked out once per row (JSON extraction, lattice groups, histogram bin)."""
    start, end = period_bounds(period)
    rank = func.row_number().over(partition_by=(A.c.firm_id, A.c.stage), order_by=(A.c.completed_at.desc(), A.c.id.desc()))
    return select(A.c.id, A.c.firm_id, A.c.stage, A.c.sector, A.c.size, A.c.region, A.c.overall, A.c.level, A.c.dii_level,
                  A.c.consent_statistics, A.c.questionnaire_version, A.c.baseline_id, *computed,
                  rank.label("recency")).where(
        A.c.status == "completed", A.c.synthetic.is_(synthetic), A.c.questionnaire_id == questionnaire_id,
        A.c.completed_at >= start, A.c.completed_at < end, A.c.stage.in_(list(stages)))


def _counted(period: str, stages: Sequence[str], questionnaire_id: str, synthetic: bool,
             computed: Sequence[Label[Any]] = ()) -> tuple[Subquery, ColumnElement[bool]]:
    ranked = _latest_per_firm(period, stages, questionnaire_id, synthetic, computed).subquery("ranked")
    # "< 2" rather than "= 1": the same rows, but PostgreSQL then estimates the surviving rows
    # sensibly and aggregates by hashing instead of sorting every row to disk (measured at 1M rows)
    return ranked, and_(ranked.c.recency < 2, ranked.c.consent_statistics.is_(True))


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def _histogram_bin(overall: ColumnElement[float]) -> ColumnElement[int | None]:
    """The bin of an overall score: fixed bins of 10 points, the last one including 100."""
    width = 100 / HISTOGRAM_BINS
    return case((overall.is_(None), None), *((overall < width * (i + 1), i) for i in range(HISTOGRAM_BINS - 1)),
                else_=HISTOGRAM_BINS - 1)


def _nearest_archetype(distances: Sequence[ColumnElement[float]], dialect: str) -> ColumnElement[str]:
    """The id of the nearest centre: the first whose distance is the smallest (ties go to the
    lowest id, as numpy's argmin). SQLite's many-argument min() is PostgreSQL's least()."""
    smallest = (func.min if dialect == "sqlite" else func.least)(*distances)
    return case(*((distance == smallest, str(j)) for j, distance in enumerate(distances[:-1])), else_=str(len(distances) - 1))


def _distance_ranks(filled: Sequence[ColumnElement[float]], model: ArchetypeCentres) -> list[ColumnElement[float]]:
    """Per centre, the squared distance less the row's own squared norm (‖c‖² − 2·c·x, the same
    for every centre): the same nearest centre for half the arithmetic."""
    return [sum((x * (-2.0 * c) for x, c in zip(filled, centre, strict=True)), literal(sum(c * c for c in centre)))
            for centre in model.centres]


class StatisticsStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    # ---- the cube ------------------------------------------------------------------------------------------
    def cube(self, period: str, stages: Sequence[str], questionnaire: Questionnaire, lattice: Lattice, *,
             synthetic: bool = False, archetypes: ArchetypeCentres | None = None) -> list[CubeCell]:
        """The finest-grain sufficient statistics of one release's population, in one GROUP BY;
        with ``archetypes``, each firm is also counted in its nearest archetype."""
        dims = [d.id for d in questionnaire.dimensions]
        levels = [lv.id for lv in questionnaire.levels]
        dii_levels = [lv.id for lv in questionnaire.dii.levels]
        computed = [_group_case(A.c.sector, _sector_map(lattice)).label("sector_group"),
                    _group_case(A.c.size, _size_map(lattice)).label("size_band"), _histogram_bin(A.c.overall).label("bin"),
                    *(A.c.dimension_scores[d].as_float().label(f"d_{i}") for i, d in enumerate(dims))]
        ranked, counted = _counted(period, stages, questionnaire.id, synthetic, computed)
        centres = archetypes.centres if archetypes is not None else ()
        if archetypes is not None:
            position = {d: i for i, d in enumerate(dims)}
            # OFFSET 0 keeps PostgreSQL from inlining these subqueries into the GROUP BY, where every
            # expression would be evaluated again at each of its references (3.4x slower at 1M rows).
            # Only the columns the GROUP BY reads go through them (narrower rows to carry).
            carried = [ranked.c[c] for c in ("stage", "sector_group", "size_band", "region", "overall", "level", "dii_level", "bin",
                                            *(f"d_{i}" for i in range(len(dims))))]
            # a missing score counts as the pool's mean
            filled = [func.coalesce(ranked.c[f"d_{position[d]}"], fill).label(f"x_{i}")
                      for i, (d, fill) in enumerate(zip(archetypes.dimensions, archetypes.fill, strict=True))]
            scored = select(*carried, *filled).where(counted).offset(0).subquery("scored")
            ranks = _distance_ranks([scored.c[f"x_{i}"] for i in range(len(filled))], archetypes)
            measured = select(*(scored.c[c.name] for c in carried), *(r.label(f"dist_{j}") for j, r in enumerate(ranks))).offset(0)
            near = measured.subquery("measured")
            nearest_id = _nearest_archetype([near.c[f"dist_{j}"] for j in range(len(centres))], self.engine.dialect.name)
            rows = select(*(near.c[c.name] for c in carried), nearest_id.label("archetype")).offset(0).subquery("rows")
            nearest = rows.c.archetype
        else:
            rows = select(ranked).where(counted).subquery("rows")
            nearest = literal("")  # counted by no column: there are no centres
        scores = [rows.c[f"d_{i}"] for i in range(len(dims))]
        query = select(
            rows.c.stage, rows.c.sector_group, rows.c.size_band, rows.c.region,
            # count(*) is count(DISTINCT firm_id) here: one row per (firm, stage) survives the ranking and
            # stage is a group key; DISTINCT would force PostgreSQL to sort every row instead of hashing.
            func.count().label("n"),
            func.coalesce(func.sum(rows.c.overall), 0.0).label("sum_overall"),
            func.coalesce(func.sum(rows.c.overall * rows.c.overall), 0.0).label("sumsq_overall"),
            *(func.coalesce(func.sum(s), 0.0).label(f"dsum_{i}") for i, s in enumerate(scores)),
            *(func.count(s).label(f"dcount_{i}") for i, s in enumerate(scores)),
            *(_count_if(rows.c.level == lv).label(f"level_{i}") for i, lv in enumerate(levels)),
            *(_count_if(rows.c.dii_level == lv).label(f"dii_{i}") for i, lv in enumerate(dii_levels)),
            *(_count_if(rows.c.bin == i).label(f"bin_{i}") for i in range(HISTOGRAM_BINS)),
            *(_count_if(nearest == str(j)).label(f"arch_{j}") for j in range(len(centres))),
        ).group_by(rows.c.stage, rows.c.sector_group, rows.c.size_band, rows.c.region)
        with self.engine.connect() as conn:
            found = conn.execute(query).mappings().all()
        _refuse_unmapped([r for r in found if r["sector_group"] is None or r["size_band"] is None])
        return [CubeCell(
            stage=r["stage"], sector_group=r["sector_group"], size_band=r["size_band"], region=r["region"], n=int(r["n"]),
            sum_overall=float(r["sum_overall"]), sumsq_overall=float(r["sumsq_overall"]),
            dimension_sums={d: float(r[f"dsum_{i}"]) for i, d in enumerate(dims)},
            dimension_counts={d: int(r[f"dcount_{i}"]) for i, d in enumerate(dims)},
            level_counts={lv: int(r[f"level_{i}"]) for i, lv in enumerate(levels)},
            dii_counts={lv: int(r[f"dii_{i}"]) for i, lv in enumerate(dii_levels)},
            histogram=tuple(int(r[f"bin_{i}"]) for i in range(HISTOGRAM_BINS)),
            archetype_counts={str(j): int(r[f"arch_{j}"]) for j in range(len(centres))},
        ) for r in found]

    def questionnaire_versions(self, period: str, stages: Sequence[str], questionnaire_id: str, *,
                               synthetic: bool = False) -> tuple[str, ...]:
        """"id@version" of the assessments a release of this population counts."""
        ranked, counted = _counted(period, stages, questionnaire_id, synthetic)
        query = select(ranked.c.questionnaire_version).where(counted).distinct()
        with self.engine.connect() as conn:
            versions: list[str] = list(conn.execute(query).scalars())
        return tuple(sorted(f"{questionnaire_id}@{v}" for v in versions))

    def cohort(self, period: str, questionnaire: Questionnaire, lattice: Lattice, *,
               synthetic: bool = False) -> list[CohortCubeCell]:
        """Firms with a counted T1 in the period and a completed, consenting T0 baseline (completed at
        any earlier time), grouped by their T1 profile; level change by the questionnaire's level order."""
        ranked, counted = _counted(period, ("T1",), questionnaire.id, synthetic)
        t0 = A.alias("t0")
        rank = {lv.id: i for i, lv in enumerate(questionnaire.levels)}

        def level_rank(column: ColumnElement[str | None]) -> ColumnElement[int | None]:
            return case(*((column == lv, i) for lv, i in rank.items()), else_=None)

        t1_rank, t0_rank = level_rank(ranked.c.level), level_rank(t0.c.level)
        sector_group = _group_case(ranked.c.sector, _sector_map(lattice)).label("sector_group")
        size_band = _group_case(ranked.c.size, _size_map(lattice)).label("size_band")
        query = select(
            sector_group, size_band, ranked.c.region, func.count(ranked.c.firm_id.distinct()).label("n"),
            func.coalesce(func.sum(t0.c.overall), 0.0).label("sum_t0"),
            func.coalesce(func.sum(ranked.c.overall), 0.0).label("sum_t1"),
            _count_if(t1_rank > t0_rank).label("improved"), _count_if(t1_rank == t0_rank).label("unchanged"),
            _count_if(t1_rank < t0_rank).label("declined"),
        ).select_from(ranked.join(t0, t0.c.id == ranked.c.baseline_id)).where(
            counted, t0.c.status == "completed", t0.c.stage == "T0", t0.c.consent_statistics.is_(True),
            t0.c.synthetic.is_(synthetic), t0.c.firm_id == ranked.c.firm_id,
        ).group_by(sector_group, size_band, ranked.c.region)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        _refuse_unmapped([r for r in rows if r["sector_group"] is None or r["size_band"] is None])
        return [CohortCubeCell(r["sector_group"], r["size_band"], r["region"], int(r["n"]), float(r["sum_t0"]),
                               float(r["sum_t1"]), int(r["improved"]), int(r["unchanged"]), int(r["declined"])) for r in rows]

    # ---- frozen releases -----------------------------------------------------------------------------------
    def official_release_exists(self, period: str, stages: Sequence[str]) -> bool:
        """Whether an official, non-synthetic release of ``period`` covers any of ``stages``: a second
        release of a stage of a frozen period could be differenced against the first."""
        query = select(R.c.stages).where(R.c.period == period, R.c.official.is_(True), R.c.synthetic.is_(False))
        with self.engine.connect() as conn:
            keys: list[str] = list(conn.execute(query).scalars())
        taken = {s for key in keys for s in key.split("+")}
        return bool(taken & set(stages))

    def save_release(self, release: Release) -> None:
        """Store a release once (never updated). Raises PeriodFrozen for a second official release."""
        from releases.codec import release_to_json

        p = release.parameters
        if release.official and not p.synthetic and self.official_release_exists(p.period, p.stages):
            raise PeriodFrozen(_frozen_message(p.period, p.stages))
        audit: JsonObject = {f: _finite(getattr(release.audit, f)) for f in release.audit.__dataclass_fields__}
        parameters: JsonObject = {"period": p.period, "stages": list(p.stages), "k": p.k, "method": p.method,
                                  "min_sum_interval": p.min_sum_interval, "questionnaire_versions": list(p.questionnaire_versions),
                                  "synthetic": p.synthetic}
        values = {"id": release.id, "period": p.period, "stages": stages_key(p.stages), "k": p.k, "method": p.method[:200],
                  "synthetic": p.synthetic, "official": release.official, "created_at": release.created_at,
                  "created_by": release.created_by, "firms": release.firms,
                  "questionnaire_versions": ",".join(p.questionnaire_versions)[:500], "parameters": parameters, "audit": audit,
                  "body": release_to_json(release)}
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(R).values(**values))
        except IntegrityError as exc:  # the same period raced in from another process
            raise PeriodFrozen(_frozen_message(p.period, p.stages)) from exc

    def release(self, release_id: str) -> Release | None:
        from releases.codec import release_from_json

        with self.engine.connect() as conn:
            body = conn.execute(select(R.c.body).where(R.c.id == release_id)).scalar()
        return None if body is None else release_from_json(body)

    def releases(self, *, include_previews: bool = False) -> list[ReleaseRow]:
        """Stored releases, newest first (previews only when asked)."""
        query = select(*(R.c[f] for f in ReleaseRow.__dataclass_fields__)).order_by(R.c.created_at.desc(), R.c.id.desc())
        if not include_previews:
            query = query.where(R.c.official.is_(True))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [ReleaseRow(**{**r, "stages": tuple(r["stages"].split("+")),
                              "questionnaire_versions": tuple(v for v in r["questionnaire_versions"].split(",") if v)})
                for r in rows]


def _finite(value: JsonValue) -> JsonValue:
    """JSON has no infinity (PostgreSQL refuses it): an unbounded audit interval is stored as "inf"."""
    return str(value) if isinstance(value, float) and not math.isfinite(value) else value


def _frozen_message(period: str, stages: Sequence[str]) -> str:
    return (f"an official release of period {period} ({stages_key(stages)}) already exists: a released period is frozen "
            f"(two releases of one period could be differenced to isolate the firms added in between)")


def _refuse_unmapped(rows: Sequence[RowMapping]) -> None:
    if rows:
        firms = sum(int(str(r["n"])) for r in rows)
        raise UnmappedProfiles(f"{firms} counted assessment(s) have a sector or size code that releases/lattice.yaml does "
                               f"not group; add the code to a group before releasing")
