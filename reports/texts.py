"""Sentences about benchmark results, in the reader's language (shared by the app and the PDF)."""

from __future__ import annotations

from benchmarks.archetype_names import archetype_label
from benchmarks.archetypes import Archetype, FirmArchetype
from benchmarks.indicators import IndicatorComparison
from benchmarks.neighbours import NeighbourSignals
from domain import Profile
from i18n import format_decimal, format_percent, t
from questionnaires.model import Questionnaire
from questionnaires.segments import load_segments


def dimension_label(q: Questionnaire, dim: str, locale: str) -> str:
    if dim == "overall":
        return t("common.overall", locale)
    return next(d.label.get(locale) for d in q.dimensions if d.id == dim)


def _dims(q: Questionnaire, dims: list[str] | tuple[str, ...], locale: str) -> str:
    return ", ".join(dimension_label(q, d, locale) for d in dims)


def cell_label(cell: str | None, locale: str) -> str:
    return t(f"benchmarks.cell.{(cell or 'all').replace('+', '_')}", locale)


def archetype_name(archetype: Archetype, locale: str) -> str:
    return archetype_label(archetype.name, locale)


def describe_archetype(archetype: Archetype, q: Questionnaire, locale: str) -> str:
    """Generated from the centroid: strengths and gaps against the pool mean."""
    parts = []
    if archetype.strengths:
        parts.append(t("benchmarks.archetype.strengths", locale, dims=_dims(q, archetype.strengths, locale)))
    if archetype.gaps:
        parts.append(t("benchmarks.archetype.gaps", locale, dims=_dims(q, archetype.gaps, locale)))
    return " ".join(parts) or t("benchmarks.archetype.flat", locale)


def describe_firm_archetype(firm: FirmArchetype, q: Questionnaire, locale: str) -> list[str]:
    a = firm.archetype
    if not firm.available or a is None:
        return [t("benchmarks.archetype.not_enough", locale)]
    lines = [t("benchmarks.archetype.resembles", locale, name=archetype_name(a, locale)), describe_archetype(a, q, locale),
             t("benchmarks.archetype.share", locale, share=format_percent(a.share, locale), n=firm.n)]
    if firm.above:
        lines.append(t("benchmarks.archetype.above", locale, dims=_dims(q, [d for d, _ in firm.above], locale)))
    if firm.below:
        lines.append(t("benchmarks.archetype.below", locale, dims=_dims(q, [d for d, _ in firm.below], locale)))
    if not firm.above and not firm.below:
        lines.append(t("benchmarks.archetype.close", locale))
    return lines


def percentile_text(percentile: float, n: int, locale: str) -> str:
    """A percentile rank for a table cell; 0 and 100 say "below/above all n" so 0 is not read as an error."""
    if percentile <= 0.0:
        return t("benchmarks.percentile.below_all_short", locale, n=n)
    if percentile >= 100.0:
        return t("benchmarks.percentile.above_all_short", locale, n=n)
    return _rank(percentile, locale)


def _rank(percentile: float, locale: str) -> str:
    """Rounded to a whole rank, never to 0 or 100 unless it is exactly that (those mean "all n")."""
    return "< 1" if percentile < 0.5 else "> 99" if percentile >= 99.5 else format_decimal(percentile, locale, 0)


def overall_percentile_sentence(percentile: float, n: int, cell: str | None, locale: str) -> str:
    """Where the overall score stands among its n peers, in words (0: lower than all n)."""
    key = "below_all" if percentile <= 0.0 else "above_all" if percentile >= 100.0 else "overall"
    return t(f"benchmarks.percentile.{key}", locale, n=n, cell=cell_label(cell, locale),
             percentile=_rank(percentile, locale))


def indicator_lines(c: IndicatorComparison, profile: Profile, locale: str) -> list[str]:
    """The published share with its year, the firm's own answer, the group used and every caveat."""
    firm = {True: "firm_yes", False: "firm_no", None: "firm_unknown"}[c.firm_value]
    breakdown = c.breakdown[locale] if c.breakdown else t("benchmarks.indicators.breakdown_all", locale)
    decimals = len(f"{c.reference_value:g}".partition(".")[2])  # as published: 33 %, 25.3 %, 92.76 %
    share = format_percent(c.reference_value / 100, locale, decimals)
    population = _lower_first(c.population[locale]) if locale == "fr" else c.population[locale]
    lines = [t("benchmarks.indicators.sentence", locale, share=share, population=population, year=c.year),
             t(f"benchmarks.indicators.{firm}", locale),
             t("benchmarks.indicators.breakdown", locale, breakdown=breakdown)]
    size = load_segments().label("size", profile.size, locale)
    lines += [t(f"benchmarks.caveat.{code}", locale, size=size) for code in c.caveats]
    return lines


def neighbour_lines(signals: NeighbourSignals, locale: str) -> list[str]:
    if not signals.available:
        return [t(f"benchmarks.neighbours.{signals.reason}", locale)]
    head = t("benchmarks.neighbours.explain", locale, neighbours=signals.neighbours, leaders=signals.leaders,
             scope=t(f"benchmarks.neighbours.scope.{signals.scope}", locale))
    items = [t("benchmarks.neighbours.item", locale, label=s.label[locale], share=format_percent(s.share, locale)) for s in signals.signals]
    return [head, *items] if items else [head, t("benchmarks.neighbours.none", locale)]


def _lower_first(text: str) -> str:
    """'Entreprises canadiennes…' reads 'des entreprises canadiennes…' inside a French sentence (not 'UE…')."""
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
