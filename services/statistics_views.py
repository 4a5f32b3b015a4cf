"""Released statistics shaped for display: cells of a ``Release`` into labelled tables and chart
data, French or English, numbers per locale. Pure (no Streamlit, no database): the dashboard
pages only draw what these functions return.

Two shapes per view: a **display table** of strings, where every figure of a suppressed cell is
"x" (the Statistics Canada convention) and ``n`` is shown; and **chart data** with numbers only,
from published cells (a suppressed cell is left out of a chart, or drawn as "x" on a heat map).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, get_args

import pandas as pd

from benchmarks.archetype_names import ArchetypeName, Tier, archetype_label, load_names
from benchmarks.statistics import StatisticsFile
from i18n import format_date, format_decimal, format_percent, t
from questionnaires.model import Questionnaire
from releases.distributions import basic_share
from releases.model import HISTOGRAM_BINS, SUPPRESSED, CohortCell, PublishedCell, Release, ReleaseArchetype

TOTAL = "total"
MARGINS = ("sector_group", "size_band", "region")  # the one-way registered tables (and lattice dims)


class Labels(Protocol):
    """What the lattice (``releases.lattice.Lattice``) gives: the label of a code of a dimension."""

    def label(self, dim: str, code: str, locale: str) -> str: ...


def suppressed(cell: PublishedCell | CohortCell) -> bool:
    return cell.status == SUPPRESSED


def number(value: float | None, locale: str, digits: int = 1) -> str:
    """A figure of a published cell; "x" stands for a suppressed one (``None`` there)."""
    return SUPPRESSED if value is None else format_decimal(value, locale, digits)


def stage_label(stages: Sequence[str], locale: str) -> str:
    key = "all" if tuple(stages) == ("T0", "T1") else (stages[0] if len(stages) == 1 else "all")
    return t(f"statistics.stage.{key}", locale)


def release_label(period: str, stages: Sequence[str], created_at: datetime, synthetic: bool, official: bool, locale: str) -> str:
    """One line per release in the chooser; a synthetic release says so first."""
    text = t("statistics.release.label", locale, period=period, stages=stage_label(stages, locale),
             date=format_date(created_at, locale))
    if not official:
        text += f" ({t('statistics.release.preview_tag', locale)})"
    return f"[{t('statistics.release.synthetic_tag', locale)}] {text}" if synthetic else text


def table_title(table_id: str, locale: str) -> str:
    """"Groupe de secteurs × Région", "Ensemble"."""
    if table_id == TOTAL:
        return t("statistics.table.total", locale)
    return " × ".join(t(f"statistics.dim.{d}", locale) for d in table_id.split("__"))


def cells(release: Release, table_id: str, stage: str) -> list[PublishedCell]:
    return [c for c in release.cells if c.table_id == table_id and c.stage == stage]


def total_cell(release: Release, stage: str) -> PublishedCell | None:
    found = cells(release, TOTAL, stage)
    return found[0] if found else None


def _dims(release: Release, table_id: str) -> tuple[str, ...]:
    return next((spec.dims for spec in release.tables if spec.id == table_id), ())


def _key_labels(dims: Sequence[str], key: Sequence[str], labels: Labels, locale: str) -> list[str]:
    return [labels.label(dim, code, locale) for dim, code in zip(dims, key, strict=True)]


def table_frame(release: Release, table_id: str, stage: str, labels: Labels, q: Questionnaire, locale: str) -> pd.DataFrame:
    """A registered table as shown: one row per cell, its codes' labels, n, the mean overall score,
    its standard deviation and the mean of each dimension; "x" across a suppressed row."""
    dims = _dims(release, table_id)
    columns = [t(f"statistics.dim.{d}", locale) for d in dims] or [t("statistics.group", locale)]
    figures = ["n", t("statistics.mean_overall", locale), t("statistics.sd_overall", locale),
               *(d.label.get(locale) for d in q.dimensions)]
    rows = []
    for cell in cells(release, table_id, stage):
        head = _key_labels(dims, cell.key, labels, locale) if dims else [t("statistics.all", locale)]
        if suppressed(cell):
            rows.append([*head, *[SUPPRESSED] * len(figures)])
            continue
        rows.append([*head, number(cell.n, locale, 0), number(cell.mean_overall, locale), number(cell.sd_overall, locale),
                     *(number(cell.dimension_means.get(d.id), locale) for d in q.dimensions)])
    return pd.DataFrame(rows, columns=[*columns, *figures])


def margin_chart(release: Release, dim: str, stage: str, labels: Labels, locale: str) -> pd.DataFrame:
    """Chart data of a one-way margin: group label, n and mean overall score of published cells."""
    rows = [(labels.label(dim, c.key[0], locale), c.n, c.mean_overall) for c in cells(release, dim, stage)
            if not suppressed(c) and c.mean_overall is not None]
    return pd.DataFrame(rows, columns=["group", "n", "mean"])


def _firms(count: int | None) -> float:
    """A category's firms for a chart: NaN when hidden ("x"), so nothing is drawn for it."""
    return math.nan if count is None else float(count)


def histogram_frame(cell: PublishedCell | None, locale: str) -> pd.DataFrame:
    """Fixed 10-point bins of the overall score (the last one includes 100) with their counts (NaN: "x")."""
    if cell is None or suppressed(cell) or len(cell.histogram) != HISTOGRAM_BINS:
        return pd.DataFrame({"bin": [], "firms": []})
    width = 100 // HISTOGRAM_BINS
    bins = [f"{i * width}–{(i + 1) * width}" for i in range(HISTOGRAM_BINS)]
    return pd.DataFrame({"bin": bins, "firms": [_firms(c) for c in cell.histogram]})


def histogram_table(frame: pd.DataFrame, locale: str) -> pd.DataFrame:
    """The histogram as a display table: "x" for a hidden bin."""
    return pd.DataFrame({t("statistics.score_bin", locale): list(frame["bin"]),
                         t("statistics.firms", locale): [number(_count(v), locale, 0) for v in frame["firms"]]})


def _count(value: float) -> float | None:
    return None if math.isnan(value) else value


def _shares(counts: Sequence[int | None], n: int) -> tuple[list[float], list[float]]:
    return [_firms(c) for c in counts], [math.nan if c is None else c / n for c in counts]


def levels_frame(cell: PublishedCell | None, q: Questionnaire, locale: str) -> pd.DataFrame:
    """Firms per overall maturity level, in the questionnaire's order, with their share (NaN: "x");
    empty when the cell publishes no distribution."""
    if cell is None or suppressed(cell) or not cell.n or not cell.level_counts:
        return pd.DataFrame({"level": [], "firms": [], "share": []})
    firms, shares = _shares([cell.level_counts.get(level.id, 0) for level in q.levels], cell.n)
    return pd.DataFrame({"level": [level.label.get(locale) for level in q.levels], "firms": firms, "share": shares})


def dii_basic_share(cell: PublishedCell | None, q: Questionnaire) -> float | None:
    """Share of firms at the basic Digital Intensity Index level or above (``basic_min`` points);
    None when the cell publishes no DII distribution or hides one of its levels."""
    if cell is None or suppressed(cell):
        return None
    return basic_share(cell.dii_counts, cell.n, {level.id for level in q.dii.levels if level.min >= q.dii.basic_min})


def official_dii_frame(stats: StatisticsFile, locale: str) -> pd.DataFrame:
    """The published DII basic-level figures already in the product, each with its population and
    source (never a number of our own): the comparison the overview shows."""
    pop, year, value, source = (t(f"statistics.official.{k}", locale) for k in ("population", "year", "value", "source"))
    rows = []
    for s in stats.for_indicator("dii_basic"):
        who = s.population.label.get(locale) + (f" — {s.breakdown.label.get(locale)}" if s.breakdown.label else "")
        name = s.source_name + ("" if s.primary else f" {t('statistics.official.reproduction', locale)}")
        rows.append({pop: who, year: str(s.year), value: format_percent(s.value / 100, locale), source: f"{name} ({s.source})"})
    return pd.DataFrame(rows, columns=[pop, year, value, source])


def heatmap_frame(release: Release, stage: str, labels: Labels, q: Questionnaire, locale: str) -> pd.DataFrame:
    """Long data for the sector group × dimension heat map: the mean (None when suppressed) and
    the text drawn in the square ("x" when suppressed)."""
    rows = []
    for cell in cells(release, "sector_group", stage):
        group = labels.label("sector_group", cell.key[0], locale)
        for d in q.dimensions:
            mean = None if suppressed(cell) else cell.dimension_means.get(d.id)
            rows.append({"group": group, "dimension": d.label.get(locale), "mean": mean, "text": number(mean, locale)})
    return pd.DataFrame(rows, columns=["group", "dimension", "mean", "text"])


def heatmap_table(frame: pd.DataFrame, locale: str) -> pd.DataFrame:
    """The heat map as a table: sector groups down, dimensions across, "x" kept."""
    if frame.empty:
        return frame
    wide = frame.pivot(index="group", columns="dimension", values="text")
    wide = wide.reindex(index=list(dict.fromkeys(frame["group"])), columns=list(dict.fromkeys(frame["dimension"])))
    return wide.reset_index().rename(columns={"group": t("statistics.dim.sector_group", locale)})


def archetype_frame(cell: PublishedCell | None, archetypes: Sequence[ReleaseArchetype], locale: str) -> pd.DataFrame:
    """Firms per archetype, named as firms see them ("En ligne d'abord", …), with their share;
    empty when the release counted none or the cell is suppressed."""
    if cell is None or suppressed(cell) or not cell.archetype_counts or not cell.n:
        return pd.DataFrame({"archetype": [], "firms": [], "share": []})
    named = {a.id: archetype_name(a, locale) for a in archetypes}
    ids = sorted(cell.archetype_counts, key=lambda a: (len(a), a))
    names = [named.get(a) or t("statistics.archetype.name", locale, letter=_letter(a)) for a in ids]
    firms, shares = _shares([cell.archetype_counts[a] for a in ids], cell.n)
    return pd.DataFrame({"archetype": names, "firms": firms, "share": shares})


def archetype_name(archetype: ReleaseArchetype, locale: str) -> str:
    """The archetype's name by today's naming rules (benchmarks/archetype_names.yaml); "Profil A"…
    when a rule it was named by is gone."""
    rules = load_names()
    tier = next((tier for tier in get_args(Tier) if tier == archetype.tier and tier in rules.tiers), None)
    if tier is None or (archetype.shape is not None and archetype.shape not in {r.id for r in rules.shapes}):
        return t("statistics.archetype.name", locale, letter=_letter(archetype.id))
    return archetype_label(ArchetypeName(archetype.shape, tier, archetype.qualified, archetype.rank), locale, rules)


def _letter(archetype_id: str) -> str:
    """Archetypes are numbered 0.. by mean score; the fallback names them A, B, ..."""
    return chr(ord("A") + int(archetype_id)) if archetype_id.isdigit() and int(archetype_id) < 26 else archetype_id


def counts_table(frame: pd.DataFrame, label_column: str, locale: str) -> pd.DataFrame:
    """A (label, firms, share) chart frame as a display table with locale-formatted numbers."""
    return pd.DataFrame({label_column: list(frame.iloc[:, 0]),
                         t("statistics.firms", locale): [number(_count(v), locale, 0) for v in frame["firms"]],
                         t("statistics.share", locale): [SUPPRESSED if math.isnan(v) else format_percent(v, locale)
                                                         for v in frame["share"]]})


def cohort_frame(release: Release, labels: Labels, locale: str) -> pd.DataFrame:
    """T0 → T1 cohort cells: n, mean at T0 and T1, mean change, firms whose level went up, stayed, went down."""
    figures = ["n", *(t(f"statistics.cohort.{k}", locale) for k in ("mean_t0", "mean_t1", "change", "improved", "unchanged", "declined"))]
    group = t("statistics.group", locale)
    rows = []
    for cell in release.cohort:
        dims = _dims(release, cell.table_id)
        head = " · ".join(_key_labels(dims, cell.key, labels, locale)) if dims else t("statistics.all", locale)
        if suppressed(cell):
            rows.append([head, *[SUPPRESSED] * len(figures)])
            continue
        rows.append([head, number(cell.n, locale, 0), number(cell.mean_t0, locale), number(cell.mean_t1, locale),
                     _signed(cell.mean_change, locale), number(cell.improved, locale, 0), number(cell.unchanged, locale, 0),
                     number(cell.declined, locale, 0)])
    return pd.DataFrame(rows, columns=[group, *figures])


def _signed(value: float | None, locale: str) -> str:
    return SUPPRESSED if value is None else ("+" if value > 0 else "") + format_decimal(value, locale, 1)


def trend_frames(series: Iterable[tuple[str, str, PublishedCell]], locale: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """From (group label, period, cell) points: the table (period, group, n, mean; "x" kept) and the
    chart data (published points only, so a suppressed period is a gap, never an interpolated value)."""
    period, group, mean = t("statistics.period", locale), t("statistics.group", locale), t("statistics.mean_overall", locale)
    table, chart = [], []
    for label, when, cell in series:
        table.append({period: when, group: label, "n": SUPPRESSED if suppressed(cell) else number(cell.n, locale, 0),
                      mean: SUPPRESSED if suppressed(cell) else number(cell.mean_overall, locale)})
        if not suppressed(cell) and cell.mean_overall is not None:
            chart.append({"period": when, "group": label, "mean": cell.mean_overall, "n": cell.n})
    return (pd.DataFrame(table, columns=[period, group, "n", mean]),
            pd.DataFrame(chart, columns=["period", "group", "mean", "n"]))


def release_counts(release: Release) -> tuple[int, int]:
    """(published cells, suppressed cells) of the whole release."""
    hidden = sum(1 for c in release.cells if suppressed(c))
    return len(release.cells) - hidden, hidden
