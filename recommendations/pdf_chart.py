"""The dimension chart of the PDF: the firm's scores against the peer median when there is one.

Every label sets ``fontName`` explicitly: reportlab charts default to Helvetica, which would be
referenced (and not embedded) even though the rest of the report uses DejaVu.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors

from recommendations.pdf_style import ACCENT, FONT, drawable, shorten

PEER_COLOUR = colors.HexColor("#b0b7c3")
LABEL_WIDTH = 185


def dimension_chart(labels: list[str], scores: list[float | None], peer: list[float | None] | None,
                    legend: tuple[str, str], width: float = 460, row: float = 26) -> Drawing:
    """Horizontal bars, one group per dimension (top to bottom in instrument order)."""
    n = len(labels)
    height = max(120, n * row + 50)
    drawing = Drawing(width, height, initialFontName=FONT)
    chart = HorizontalBarChart()
    chart.x, chart.y = LABEL_WIDTH, 34
    chart.width, chart.height = width - LABEL_WIDTH - 20, height - 50
    series = [[s or 0.0 for s in reversed(scores)]]
    if peer is not None:
        series.append([p or 0.0 for p in reversed(peer)])
    chart.data = series
    chart.bars[0].fillColor = ACCENT
    if peer is not None:
        chart.bars[1].fillColor = PEER_COLOUR
    chart.bars.strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 6
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e3e3e3")
    chart.categoryAxis.categoryNames = [shorten(drawable(label), 40) for label in reversed(labels)]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.barLabelFormat = "%.0f"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    names = [drawable(legend[0])] + ([drawable(legend[1])] if peer is not None else [])
    key = Legend()
    key.x, key.y = LABEL_WIDTH, 12
    key.fontName, key.fontSize = FONT, 7.5
    key.alignment = "right"
    key.columnMaximum = 1
    key.dx, key.dy, key.deltax = 8, 8, 110
    key.colorNamePairs = list(zip([ACCENT, PEER_COLOUR][: len(names)], names, strict=True))
    drawing.add(key)
    return drawing
