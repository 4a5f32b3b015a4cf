"""Fonts, paragraph styles, safe text and page numbering for the PDF report (reportlab).

DejaVu Sans is embedded from ``fonts/`` (shipped with its licence) so French typography, the
narrow no-break space and arrows render on any machine. Every string that reaches a Paragraph
goes through :func:`safe`: markup is escaped, and characters the font lacks (most emoji) are
replaced by U+FFFD instead of printing as empty boxes or failing.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT, FONT_BOLD, FONT_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
ACCENT = colors.HexColor("#1f4e79")
MUTED = colors.HexColor("#555555")
CLOSED = colors.HexColor("#a61b1b")
REPLACEMENT = "\ufffd"
INVISIBLE = ("Cc", "Cf", "Cs", "Co", "Cn")  # controls, format marks, surrogates, private use, unassigned


@cache
def register_fonts() -> frozenset[str]:
    """Register the DejaVu family once; returns the characters the regular face can draw."""
    faces = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FONT_ITALIC: "DejaVuSans-Oblique.ttf"}
    fonts = {name: TTFont(name, str(FONT_DIR / file)) for name, file in faces.items()}
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)
    return frozenset(ch for ch in map(chr, fonts[FONT].face.charToGlyph) if unicodedata.category(ch) not in INVISIBLE)


def drawable(text: str) -> str:
    """``text`` with control characters dropped and glyphs missing from the font replaced."""
    odd = set(text) - register_fonts()  # set arithmetic keeps the common case (nothing odd) fast
    if not odd:
        return text
    return text.translate({ord(ch): _substitute(ch) for ch in odd})


def _substitute(ch: str) -> str:
    if ch in "\n\t\r":
        return " "
    return "" if unicodedata.category(ch) in INVISIBLE else REPLACEMENT


def safe(text: object) -> str:
    """Any user or catalog text, ready for a Paragraph: drawable and with markup escaped."""
    return escape(drawable(str(text)))


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary when one is close, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.6 else cut).rstrip() + "…"


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, bulletFontName=FONT, fontSize=9.5, leading=13, spaceAfter=4)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "source": ParagraphStyle("source", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED, wordWrap="CJK"),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=17, leading=21, spaceAfter=10, textColor=ACCENT),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=8, textColor=ACCENT,
                             keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=13.5, spaceBefore=6, spaceAfter=2),
        "h3_keep": ParagraphStyle("h3_keep", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=13.5, spaceBefore=6, spaceAfter=2,
                                  keepWithNext=1),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=3, spaceAfter=1),
        "closed": ParagraphStyle("closed", parent=base, leftIndent=12, bulletIndent=3, spaceAfter=1, textColor=CLOSED),
        "cover_title": ParagraphStyle("cover_title", parent=base, fontName=FONT_BOLD, fontSize=26, leading=32, textColor=ACCENT,
                                      spaceAfter=16),
        # Firm names may be one 4,000-character "word": CJK wrapping breaks it anywhere.
        "cover_name": ParagraphStyle("cover_name", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, wordWrap="CJK", spaceAfter=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_bullet": ParagraphStyle("cell_bullet", parent=base, fontSize=8.5, leading=10.5, spaceAfter=1, leftIndent=9, bulletIndent=1),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=FONT_BOLD, fontSize=8.5, leading=10.5, spaceAfter=0),
    }


class NumberedCanvas(Canvas):
    """Draws "Page n / total" and a footer on every page once the total is known."""

    footer_template = "{page} / {total}"
    footer_left = ""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT  # otherwise every page references Helvetica
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, object]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        self.drawRightString(width - 18 * mm, 10 * mm, self.footer_template.format(page=self._pageNumber, total=total))
        self.drawString(18 * mm, 10 * mm, self.footer_left)
        self.restoreState()


def canvas_maker(page_template: str, footer_left: str) -> type[NumberedCanvas]:
    """A canvas class with this report's localised footer texts."""
    return type("ReportCanvas", (NumberedCanvas,), {"footer_template": page_template, "footer_left": drawable(footer_left)})
