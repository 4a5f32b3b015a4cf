"""The nouns of a ministry statistics release, shared by the release engine (``releases/``),
storage (``storage/statistics.py``), the service (``services/statistics.py``), the exports and
the dashboard. Frozen values only; no I/O.

A release is computed once from a small **cube** of additive sufficient statistics at the finest
registered grain (stage × sector group × size band × region); every published table is a
roll-up of that cube, and the disclosure audit reasons over the same cube. Nothing here holds a
firm id, a name, a resume code or free text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

GRAIN: tuple[str, ...] = ("sector_group", "size_band", "region")  # the finest registered grain (per stage)
SUPPRESSED = "x"  # Statistics Canada's mark for a confidential cell
CellStatus = Literal["", "x"]  # "" published, "x" suppressed (primary or secondary)
HISTOGRAM_BINS = 10  # overall score 0–100 in fixed bins of 10 points (the last bin includes 100)


@dataclass(frozen=True, slots=True)
class CubeCell:
    """Additive sufficient statistics of one finest-grain cell: firms of one stage in one
    (sector group, size band, region). ``n`` counts distinct firms (one assessment per firm per
    period and stage)."""

    stage: str
    sector_group: str
    size_band: str
    region: str
    n: int
    sum_overall: float
    sumsq_overall: float
    dimension_sums: dict[str, float] = field(default_factory=dict)  # dimension id -> Σ score
    dimension_counts: dict[str, int] = field(default_factory=dict)  # dimension id -> firms with a score
    level_counts: dict[str, int] = field(default_factory=dict)  # overall maturity level id -> firms
    dii_counts: dict[str, int] = field(default_factory=dict)  # DII level id -> firms
    histogram: tuple[int, ...] = ()  # HISTOGRAM_BINS counts of overall scores
    archetype_counts: dict[str, int] = field(default_factory=dict)  # archetype id -> firms (may be empty)


@dataclass(frozen=True, slots=True)
class CohortCubeCell:
    """Firms of one finest-grain cell assessed at both T0 and T1 in the period (the cohort), keyed by
    their T1 profile: ``n`` distinct firms, Σ overall score at each stage, and how many firms' overall
    maturity level went up, stayed or went down."""

    sector_group: str
    size_band: str
    region: str
    n: int
    sum_t0: float
    sum_t1: float
    improved: int
    unchanged: int
    declined: int


class ReleaseRefused(Exception):
    """The release cannot be published safely (the disclosure audit could not be satisfied):
    fail closed, nothing is stored."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A registered table: which lattice dimensions it is grouped by (empty: the total)."""

    id: str  # stable, e.g. "sector_group__size_band", "region", "total"
    dims: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PublishedCell:
    """One cell as it may be shown: when ``status`` is "x" every figure is None."""

    table_id: str
    stage: str
    key: tuple[str, ...]  # codes, in the order of the table's dims
    status: CellStatus
    n: int | None
    mean_overall: float | None  # rounded to one decimal
    sd_overall: float | None
    dimension_means: dict[str, float | None] = field(default_factory=dict)
    # Distributions: the total's only, None for a hidden category (releases/distributions.py)
    level_counts: dict[str, int | None] = field(default_factory=dict)
    dii_counts: dict[str, int | None] = field(default_factory=dict)
    histogram: tuple[int | None, ...] = ()
    archetype_counts: dict[str, int | None] = field(default_factory=dict)
    primary: bool = False  # suppressed because n < k (else secondary, when status is "x")


@dataclass(frozen=True, slots=True)
class CohortCell:
    """T0 → T1 change for firms assessed at both stages (its own suppression)."""

    table_id: str
    key: tuple[str, ...]
    status: CellStatus
    n: int | None
    mean_t0: float | None
    mean_t1: float | None
    mean_change: float | None
    improved: int | None  # firms whose overall level went up
    unchanged: int | None
    declined: int | None


@dataclass(frozen=True, slots=True)
class AuditResult:
    """What the attacker linear program could learn about every primary cell."""

    passed: bool
    primary_cells: int
    suppressed_cells: int
    published_cells: int
    narrowest_count_interval: float | None  # over primary cells (None: no primary cell)
    narrowest_sum_interval: float | None
    repairs: int  # extra cells suppressed by the audit-and-repair loop
    seconds: float


@dataclass(frozen=True, slots=True)
class ReleaseArchetype:
    """One archetype a release counts firms by, as named to firms (benchmarks/archetype_names.py).
    Centroids are not kept: they are means of clusters that may be small, and the frozen counts
    never need them again (``ReleaseParameters.archetype_model`` identifies the model)."""

    id: str  # "0", "1", … (0 = least mature)
    shape: str | None
    tier: str
    qualified: bool = False
    rank: int | None = None


@dataclass(frozen=True, slots=True)
class ArchetypeCentres:
    """What the cube needs to count each firm in its nearest archetype (squared distance over the
    dimension scores, as ``ArchetypeModel.nearest``); used while counting, never stored."""

    dimensions: tuple[str, ...]
    fill: tuple[float, ...]  # a dimension without a score counts as the pool's mean
    centres: tuple[tuple[float, ...], ...]  # centres[j]: archetype id str(j)


@dataclass(frozen=True, slots=True)
class ReleaseParameters:
    period: str  # e.g. "2026" (calendar year of completion)
    stages: tuple[str, ...]  # ("T0",), ("T1",) or ("T0", "T1")
    k: int
    method: str  # e.g. "primary n<k; greedy line rule; LP audit (HiGHS) with repair"
    min_sum_interval: float  # score points each primary cell's Σoverall interval must span
    questionnaire_versions: tuple[str, ...]  # "id@version" of the assessments counted
    synthetic: bool  # computed on synthetic (demo) assessments only, labelled everywhere
    # The comparison pool's archetype model at release time (the one firms are shown), by which
    # every firm is counted in its nearest archetype; () when the pool was too small for one.
    archetypes: tuple[ReleaseArchetype, ...] = ()
    archetype_model: str | None = None  # the model's pool fingerprint (benchmarks/archetypes.py)


@dataclass(frozen=True, slots=True)
class Release:
    id: str
    parameters: ReleaseParameters
    created_at: datetime
    created_by: str  # e-mail of the admin, or "cli"
    firms: int  # distinct firms in the release (may be "x" when displayed if < k)
    tables: tuple[TableSpec, ...]
    cells: tuple[PublishedCell, ...]
    cohort: tuple[CohortCell, ...]
    audit: AuditResult
    official: bool = True  # False: a preview kept for admins only (not used in trends)
