"""An action's re-scored effect in the reader's language (shared by the PDF and the results page).

The numbers come from ``recommendations.effects.ScoreEffect`` and nothing else: a rise is a
"gain", a fall is printed with a minus sign and explained, a dimension scored for the first time
is shown with its own score ("first score") and never as a gain from 0. Amounts show one decimal,
or two below 0.05 points, so a small but real change never reads "+0.0".
"""

from __future__ import annotations

from collections.abc import Sequence

from i18n import format_decimal, format_score, t
from questionnaires.model import Questionnaire
from recommendations.effects import MIN_GAIN, ScoreEffect

SHOWN = MIN_GAIN  # a change under a hundredth of a point is not shown as a change
MINUS = "\u2212"


def amount(value: float, locale: str) -> str:
    """|value| with one decimal, or two under 0.05 points."""
    size = abs(value)
    return format_decimal(size, locale, 1 if size >= 0.05 else 2)


def signed(value: float, locale: str) -> str:
    """"+1,2", "−4,0" (a real minus sign) or "0,0" for a change too small to show."""
    if abs(value) < SHOWN:
        return format_decimal(0.0, locale, 1)
    return ("+" if value > 0 else MINUS) + amount(value, locale)


def _quoted(labels: Sequence[str], locale: str) -> str:
    return ", ".join(t("roadmap.effect.quoted", locale, text=label) for label in labels)


def overall_line(effect: ScoreEffect, locale: str) -> str:
    """The effect on the overall score: a gain only when it rises."""
    change = effect.overall_change
    if effect.raises_overall and change is not None:
        return t("roadmap.gain", locale, points=amount(change, locale))
    if effect.overall_before is None and effect.overall_after is not None:
        return t("roadmap.effect.first_overall", locale, score=format_score(effect.overall_after, locale))
    return t("roadmap.effect.overall", locale, change=signed(change or 0.0, locale),
             before=format_score(effect.overall_before, locale), after=format_score(effect.overall_after, locale))


def dimension_line(effect: ScoreEffect, q: Questionnaire, locale: str) -> str | None:
    """"Effect by dimension: Strategy +4.2, Online presence: first score, 28.6" (None if nothing shows)."""
    labels = {d.id: d.label.get(locale) for d in q.dimensions}
    parts = []
    for c in effect.dimensions:
        if c.first_score:
            parts.append(t("roadmap.effect.dimension_first", locale, dimension=labels[c.dimension], score=format_score(c.after, locale)))
        elif c.after is None:
            parts.append(t("roadmap.effect.dimension_cleared", locale, dimension=labels[c.dimension]))
        elif c.change is not None and abs(c.change) >= SHOWN:
            parts.append(f"{labels[c.dimension]} {signed(c.change, locale)}")
    return t("roadmap.effect.by_dimension", locale, changes=", ".join(parts)) if parts else None


def reasons(effect: ScoreEffect, q: Questionnaire, locale: str, together: bool = False) -> list[str]:
    """Why a score goes down, why a first score is not a gain, why there is no gain; ``together``:
    said of several actions done together (the roadmap's projection, the what-if), not of one."""
    suffix = "_together" if together else ""
    labels = {d.id: d.label.get(locale) for d in q.dimensions}
    out = []
    first = [labels[c.dimension] for c in effect.first_scores]
    if first:
        out.append(t(f"roadmap.effect.why_first{suffix}", locale, dimensions=_quoted(first, locale)))
        change = effect.overall_change
        if change is not None and change <= -SHOWN:
            out.append(t("roadmap.effect.why_overall_down_first", locale))
    lowered = [labels[c.dimension] for c in effect.lowered if c.change is not None and c.change <= -SHOWN]
    if lowered:
        out.append(t("roadmap.effect.why_lowered", locale, dimensions=_quoted(lowered, locale)))
    if not effect.raises_overall and effect.overall_before is not None:
        out.append(t(f"roadmap.effect.why_no_gain{suffix}", locale))
    return out


def effect_lines(effect: ScoreEffect, q: Questionnaire, locale: str) -> list[str]:
    """Overall line, per-dimension line, then the reasons (each a sentence of its own)."""
    by_dimension = dimension_line(effect, q, locale)
    return [overall_line(effect, locale), *([by_dimension] if by_dimension else []), *reasons(effect, q, locale)]
