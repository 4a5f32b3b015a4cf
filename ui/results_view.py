"""What the results page shows, as plain data (no Streamlit): labels and locale-formatted numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass

from benchmarks.peers import PeerComparison
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


@dataclass(frozen=True)
class PeerMedians:
    """The peer median per dimension for the summary chart (None: that cell is below k)."""

    medians: dict[str, float | None]


def peer_medians(rows: list[DimensionRow], peers: PeerComparison | None) -> PeerMedians | None:
    """Each dimension's peer median, or None when there is no peer group to show (no pool, below k)."""
    if peers is None or not peers.enough_data:
        return None
    return PeerMedians({r.id: (m.quartiles[1] if (m := peers.metrics.get(r.id)) and m.quartiles else None) for r in rows})


RADAR_RINGS = (25, 50, 75, 100)
RADAR_LABEL_RADIUS = 118.0


def _point(i: int, count: int, radius: float) -> tuple[float, float]:
    """Dimension ``i`` of ``count`` on a circle, the first at the top, clockwise."""
    angle = math.pi / 2 - 2 * math.pi * i / count
    return round(radius * math.cos(angle), 3), round(radius * math.sin(angle), 3)


def wrap(label: str, width: int = 24) -> str:
    """``label`` on lines of at most ``width`` characters (a longer word keeps its own line), joined by "\\n"."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def radar_records(rows: list[DimensionRow], medians: PeerMedians | None, firm: str, median: str) -> dict[str, list[dict[str, object]]]:
    """Coordinates for a radar drawn as closed lines (Vega-Lite has no polar line mark): the grid
    rings, the firm's polygon, the peer median's polygon (only when every dimension has one) and
    the labels, each dimension on its own spoke. ``firm`` and ``median`` name the two series."""
    count = len(rows)
    grid = [{"ring": r, "x": x, "y": y, "i": i} for r in RADAR_RINGS for i in range(count + 1)
            for x, y in [_point(i % count, count, r)]]
    series: list[dict[str, object]] = []
    lines = [(firm, {r.id: r.score for r in rows})]
    if medians is not None:
        lines.append((median, medians.medians))
    for name, values in lines:
        whole = all(values.get(r.id) is not None for r in rows)
        for i in range(count + 1 if whole else count):  # a closed polygon repeats its first point
            value = values.get(rows[i % count].id)
            if value is not None:
                x, y = _point(i % count, count, value)
                series.append({"series": name, "x": x, "y": y, "i": i, "score": round(value, 1),
                               "dimension": rows[i % count].label, "line": whole})
    labels = []
    for i, r in enumerate(rows):
        x, y = _point(i, count, RADAR_LABEL_RADIUS)
        labels.append({"x": x, "y": y, "label": wrap(r.label), "align": "left" if x > 1 else "right" if x < -1 else "center"})
    return {"grid": grid, "series": series, "labels": labels}
