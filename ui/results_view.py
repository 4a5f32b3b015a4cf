"""What the results page shows, as plain data (no Streamlit): labels and locale-formatted numbers."""

from __future__ import annotations

from dataclasses import dataclass

from i18n import format_score, t
from questionnaires.model import Questionnaire
from scoring.engine import level_for
from scoring.result import Result


@dataclass(frozen=True)
class DimensionRow:
    id: str
    label: str
    score: float | None
    shown: str  # locale-formatted score or an em dash
    low_confidence: bool
    level: str = ""  # the level its score falls in ("" without a score)
    interpretation: str = ""  # what a firm at that level typically has or does in this dimension


def level_label(q: Questionnaire, level_id: str | None, locale: str) -> str:
    if level_id is None:
        return t("app.results.no_level", locale)
    return next(lv.label.get(locale) for lv in q.levels if lv.id == level_id)


def level_description(q: Questionnaire, level_id: str | None, locale: str) -> str:
    return next((lv.description.get(locale) for lv in q.levels if lv.id == level_id), "")


def dii_level_label(q: Questionnaire, level_id: str, locale: str) -> str:
    return next(lv.label.get(locale) for lv in q.dii.levels if lv.id == level_id)


def dimension_rows(q: Questionnaire, result: Result, locale: str) -> list[DimensionRow]:
    rows = []
    for d in q.dimensions:
        score = result.dimensions[d.id]
        level = level_for(q, score.score)
        rows.append(DimensionRow(d.id, d.label.get(locale), score.score, format_score(score.score, locale), score.low_confidence,
                                 level_label(q, level, locale) if level else "",
                                 d.interpretation[level].get(locale) if level else ""))
    return rows


def strongest_and_weakest(rows: list[DimensionRow], count: int = 3) -> tuple[list[DimensionRow], list[DimensionRow]]:
    """The ``count`` highest-scored dimensions (highest first) and the ``count`` lowest (lowest first),
    never the same dimension in both: with fewer than 2 × ``count`` scores the lists split them."""
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: r.score or 0.0, reverse=True)
    top = min(count, (len(scored) + 1) // 2)
    return scored[:top], list(reversed(scored[top:]))[:count]


def chart_data(rows: list[DimensionRow]) -> list[dict[str, object]]:
    """Records for the bar chart; dimensions without a score are left out of the bars."""
    return [{"dimension": r.label, "score": round(r.score, 1), "shown": r.shown, "order": i}
            for i, r in enumerate(rows) if r.score is not None]
