"""A statistics release's published cells as one long table, the shape every export format writes.

One row per published cell (table × stage × key). Columns have stable ids and a kind: ``code``
(lattice codes, empty where the dimension is not one of the table's), ``text`` (labels in the
chosen locale, the status), ``int`` or ``float``. A suppressed cell (status "x") has every numeric
column empty (None): "x" only ever appears in the status column. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from i18n import t
from releases.distributions import basic_share
from releases.model import GRAIN, HISTOGRAM_BINS, SUPPRESSED, PublishedCell, Release

Kind = Literal["code", "text", "int", "float"]
Value = str | int | float | None
Labeller = Callable[[str, str], str]  # (dimension, code) -> label in the export's locale
FORMATS = ("csv", "xlsx", "parquet")


@dataclass(frozen=True, slots=True)
class Column:
    id: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class LongTable:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]

    def index(self, column_id: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.id == column_id)


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What the writers need besides the release: labels, which DII levels are "basic or above",
    the locale of the labels and notes, and when the file is generated."""

    label: Labeller
    basic_dii_levels: frozenset[str]
    locale: str
    generated_at: datetime


def _ordered_ids(dicts: Iterable[Mapping[str, object]]) -> tuple[str, ...]:
    """Keys in order of first appearance (the engine writes them in the questionnaire's order)."""
    seen: dict[str, None] = {}
    for d in dicts:
        seen.update(dict.fromkeys(d))
    return tuple(seen)


def _bin_id(i: int) -> str:
    width = 100 // HISTOGRAM_BINS
    return f"bin_{i * width:03d}_{(i + 1) * width:03d}"


def columns_of(release: Release) -> tuple[Column, ...]:
    cells = release.cells
    dims, levels = _ordered_ids(c.dimension_means for c in cells), _ordered_ids(c.level_counts for c in cells)
    dii = _ordered_ids(c.dii_counts for c in cells)
    return (Column("release_id", "code"), Column("period", "code"), Column("stage", "code"), Column("table_id", "code"),
            *(Column(d, "code") for d in GRAIN), *(Column(f"{d}_label", "text") for d in GRAIN), Column("status", "text"),
            Column("n", "int"), Column("mean_overall", "float"), Column("sd_overall", "float"),
            *(Column(f"mean_{d}", "float") for d in dims), Column("dii_basic_share", "float"),
            *(Column(f"level_{lv}", "int") for lv in levels), *(Column(f"dii_{lv}", "int") for lv in dii),
            *(Column(_bin_id(i), "int") for i in range(HISTOGRAM_BINS)))


def _basic_share(cell: PublishedCell, basic: frozenset[str]) -> float | None:
    """Share of the cell's firms at a basic DII level or above (3 decimals), None when unknown."""
    share = basic_share(cell.dii_counts, cell.n, basic)
    return None if share is None else round(share, 3)


def _figures(cell: PublishedCell, ctx: ExportContext) -> dict[str, Value]:
    if cell.status == SUPPRESSED:
        return {}
    figures: dict[str, Value] = {"n": cell.n, "mean_overall": cell.mean_overall, "sd_overall": cell.sd_overall,
                                 "dii_basic_share": _basic_share(cell, ctx.basic_dii_levels)}
    figures.update({f"mean_{d}": v for d, v in cell.dimension_means.items()})
    figures.update({f"level_{k}": v for k, v in cell.level_counts.items()})
    figures.update({f"dii_{k}": v for k, v in cell.dii_counts.items()})
    figures.update({_bin_id(i): v for i, v in enumerate(cell.histogram)})
    return figures


def long_table(release: Release, ctx: ExportContext) -> LongTable:
    columns = columns_of(release)
    dims_of = {spec.id: spec.dims for spec in release.tables}
    rows = []
    for cell in release.cells:
        codes = dict(zip(dims_of[cell.table_id], cell.key, strict=True))
        values: dict[str, Value] = {"release_id": release.id, "period": release.parameters.period, "stage": cell.stage,
                                    "table_id": cell.table_id, "status": cell.status}
        for d in GRAIN:
            values[d] = codes.get(d, "")
            values[f"{d}_label"] = ctx.label(d, codes[d]) if d in codes else ""
        values.update(_figures(cell, ctx))
        rows.append(tuple(values.get(c.id) for c in columns))
    return LongTable(columns, tuple(rows))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def notes(release: Release, ctx: ExportContext) -> list[tuple[str, str]]:
    """(label, value) lines of the Notes sheet, in the export's locale; the "x" note in both languages."""
    loc, p, a = ctx.locale, release.parameters, release.audit
    lines = [(t("stats_export.notes.source", loc), t("stats_export.notes.source_text", loc))]
    if p.synthetic:
        lines.insert(0, (t("stats_export.notes.synthetic", "fr"), t("stats_export.notes.synthetic", "en")))
    lines += [
        (t("stats_export.notes.release", loc), release.id),
        (t("stats_export.notes.period", loc), p.period),
        (t("stats_export.notes.stages", loc), ", ".join(p.stages)),
        (t("stats_export.notes.official" if release.official else "stats_export.notes.preview", loc), "✓"),
        (t("stats_export.notes.k", loc), str(p.k)),
        (t("stats_export.notes.method", loc), p.method),
        (t("stats_export.notes.questionnaires", loc), ", ".join(p.questionnaire_versions)),
        (t("stats_export.notes.created", loc), release.created_at.isoformat(timespec="seconds")),
        (t("stats_export.notes.generated", loc), ctx.generated_at.isoformat(timespec="seconds")),
        (t("stats_export.notes.audit", loc), t("stats_export.notes.audit_passed" if a.passed else "stats_export.notes.audit_failed", loc)),
        (t("stats_export.notes.primary_cells", loc), str(a.primary_cells)),
        (t("stats_export.notes.suppressed_cells", loc), str(a.suppressed_cells)),
        (t("stats_export.notes.published_cells", loc), str(a.published_cells)),
        (t("stats_export.notes.narrowest_count", loc), _number(a.narrowest_count_interval)),
        (t("stats_export.notes.narrowest_sum", loc), _number(a.narrowest_sum_interval)),
        (t("stats_export.notes.repairs", loc), str(a.repairs)),
        (t("stats_export.notes.x_fr", loc), t("stats_export.x", "fr")),
        (t("stats_export.notes.x_en", loc), t("stats_export.x", "en")),
    ]
    return lines
