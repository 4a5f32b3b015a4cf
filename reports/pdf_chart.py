"""The dimension chart of the PDF: the firm's scores against the peer median when there is one.

Drawn straight on the canvas (bars, grid, labels) rather than with reportlab.graphics, whose
chart widgets render hundreds of nodes and took a fifth of the report's build time. Every label
is drawn with the embedded DejaVu font, so no default Helvetica is referenced.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from i18n import format_decimal
from reports.pdf_style import ACCENT, FONT, MUTED, drawable, shorten

PEER_COLOUR = colors.HexColor("#b0b7c3")
GRID_COLOUR = colors.HexColor("#e3e3e3")
LABEL_WIDTH = 185
ROW = 24
BAR = 8


class DimensionChart(Flowable):
    """Horizontal bars, one row per dimension in instrument order; a missing score draws no bar."""

    def __init__(self, labels: list[str], scores: list[float | None], peer: list[float | None] | None,
                 legend: tuple[str, str], locale: str, width: float = 460):
        super().__init__()
        self.labels = [shorten(drawable(label), 40) for label in labels]
        self.scores, self.peer, self.locale = scores, peer, locale
        self.legend = [drawable(legend[0])] + ([drawable(legend[1])] if peer is not None else [])
        self.width, self.height = width, len(labels) * ROW + 40

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def _x(self, value: float) -> float:
        return LABEL_WIDTH + (self.width - LABEL_WIDTH - 30) * max(0.0, min(value, 100.0)) / 100.0

    def draw(self) -> None:
        c = self.canv
        top = self.height - 6
        c.setLineWidth(0.5)
        c.setFont(FONT, 7)
        for tick in range(0, 101, 25):  # grid and axis values
            c.setStrokeColor(GRID_COLOUR)
            c.line(self._x(tick), 26, self._x(tick), top)
            c.setFillColor(MUTED)
            c.drawCentredString(self._x(tick), 17, str(tick))
        for i, label in enumerate(self.labels):
            y = top - (i + 1) * ROW + 6
            c.setFillColor(colors.black)
            c.setFont(FONT, 7.5)
            c.drawRightString(LABEL_WIDTH - 6, y + BAR - 3, label)
            self._bar(self.scores[i], y + BAR, ACCENT)
            if self.peer is not None:
                self._bar(self.peer[i], y, PEER_COLOUR)
        self._legend()

    def _bar(self, value: float | None, y: float, colour: colors.Color) -> None:
        if value is None:
            return
        c = self.canv
        c.setFillColor(colour)
        c.rect(LABEL_WIDTH, y, self._x(value) - LABEL_WIDTH, BAR - 1, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(FONT, 6.5)
        c.drawString(self._x(value) + 2, y + 1, format_decimal(value, self.locale, 0))

    def _legend(self) -> None:
        c, x = self.canv, LABEL_WIDTH
        c.setFont(FONT, 7.5)
        for colour, name in zip([ACCENT, PEER_COLOUR], self.legend, strict=False):
            c.setFillColor(colour)
            c.rect(x, 2, 8, 8, stroke=0, fill=1)
            c.setFillColor(colors.black)
            c.drawString(x + 12, 3, name)
            x += 24 + stringWidth(name, FONT, 7.5)
