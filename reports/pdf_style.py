"""Fonts, paragraph styles, safe text, links and page numbering for the PDF report (reportlab).

DejaVu Sans is embedded from ``fonts/`` (shipped with its licence) so French typography, the
narrow no-break space and arrows render on any machine. Every string that reaches a Paragraph
goes through :func:`safe`:

- markup is escaped, control and format characters are dropped;
- characters DejaVu lacks are drawn with a fallback font when one is installed and covers them
  (Droid Sans Fallback from Debian's ``fonts-droid-fallback``: Chinese and Japanese), registered
  and embedded (subset) only when a text needs it, so ordinary reports stay small and fast;
- characters no font covers (most emoji, Hangul) become U+FFFD; the cover says so for the firm's
  name, whose full text is always in the document's Title metadata;
- every http(s) address becomes a link annotation (``/Link`` with the full address), drawn in
  full in the text so it can be read on paper.

reportlab writes a non-BMP character's ToUnicode entry as odd-length hex (``<1F600>``), so a
viewer copies "😀" as "ὠ"; :func:`_to_unicode_cmap` writes UTF-16 surrogate pairs instead.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT, FONT_BOLD, FONT_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
FALLBACK = "DroidSansFallback"
FALLBACK_FILES = (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
                  Path("/usr/share/fonts/truetype/droid/DroidSansFallback.ttf"))
ACCENT = colors.HexColor("#1f4e79")
MUTED = colors.HexColor("#555555")
CLOSED = colors.HexColor("#a61b1b")
REPLACEMENT = "\ufffd"
INVISIBLE = ("Cc", "Cf", "Cs", "Co", "Cn")  # controls, format marks, surrogates, private use, unassigned
URL = re.compile(r"https?://[^\s<>\"«»]+")
URL_TRAILING = ".,;:!?’'\""  # punctuation after an address is not part of it


@cache
def register_fonts() -> frozenset[str]:
    """Register the DejaVu family once; returns the characters the regular and bold faces can both draw."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    faces = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FONT_ITALIC: "DejaVuSans-Oblique.ttf"}
    fonts = {name: TTFont(name, str(FONT_DIR / file)) for name, file in faces.items()}
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)
    both = set(fonts[FONT].face.charToGlyph) & set(fonts[FONT_BOLD].face.charToGlyph)
    return frozenset(ch for ch in map(chr, both) if unicodedata.category(ch) not in INVISIBLE)


@cache
def fallback_chars() -> frozenset[str]:
    """Characters the fallback font draws (registered on first need); empty when it is not installed."""
    path = next((p for p in FALLBACK_FILES if p.is_file()), None)
    if path is None:
        return frozenset()
    font = TTFont(FALLBACK, str(path))
    pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(FALLBACK, normal=FALLBACK, bold=FALLBACK, italic=FALLBACK, boldItalic=FALLBACK)
    return frozenset(ch for ch in map(chr, font.face.charToGlyph) if unicodedata.category(ch) not in INVISIBLE)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF as UTF-16 surrogate pairs."""
    cmap = _REPORTLAB_CMAP(fontname, subset)
    return re.sub(r"(<[0-9A-F]{2}> )<([0-9A-F]{5,6})>", lambda m: m.group(1) + "<" + chr(int(m.group(2), 16))
                  .encode("utf-16-be").hex().upper() + ">", cmap)


_REPORTLAB_CMAP = ttfonts.makeToUnicodeCMap


def drawable(text: str) -> str:
    """``text`` with control characters dropped and glyphs missing from DejaVu replaced (canvas text:
    chart labels, footer; paragraphs use :func:`safe`, which can also use the fallback font)."""
    odd = set(text) - register_fonts()  # set arithmetic keeps the common case (nothing odd) fast
    if not odd:
        return text
    return text.translate({ord(ch): _substitute(ch) for ch in odd})


def _substitute(ch: str) -> str:
    if ch in "\n\t\r":
        return " "
    return "" if unicodedata.category(ch) in INVISIBLE else REPLACEMENT


def missing_glyphs(text: str) -> bool:
    """Whether :func:`safe` has to replace a character of ``text`` by U+FFFD (no font draws it)."""
    odd = set(text) - register_fonts()
    return any(unicodedata.category(ch) not in INVISIBLE and ch not in "\n\t\r" for ch in odd - fallback_chars()) if odd else False


def _glyphs(text: str) -> str:
    """Escaped ``text`` for a Paragraph, with runs DejaVu lacks in the fallback font where it has them."""
    odd = set(text) - register_fonts()
    if not odd:
        return escape(text)
    extra = fallback_chars() & odd
    if not extra:
        return escape(drawable(text))
    out, run = [], []
    for ch in text:
        if ch in extra:
            run.append(ch)
            continue
        if run:
            out.append(f'<font name="{FALLBACK}">{escape("".join(run))}</font>')
            run = []
        out.append(escape(_substitute(ch) if ch in odd else ch))
    if run:
        out.append(f'<font name="{FALLBACK}">{escape("".join(run))}</font>')
    return "".join(out)


def _split_url(match: str) -> tuple[str, str]:
    """(address, trailing punctuation): a closing parenthesis stays only if the address opened one."""
    url = match.rstrip(URL_TRAILING)
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(URL_TRAILING)
    return url, match[len(url):]


def safe(text: object, links: bool = True) -> str:
    """Any user or catalog text, ready for a Paragraph: drawable, markup escaped, addresses linked
    (``links=False``: for a :class:`LinkedParagraph`, which links its whole box instead)."""
    text = str(text)
    if not links or "http" not in text:
        return _glyphs(text)
    out, last = [], 0
    for m in URL.finditer(text):
        url, tail = _split_url(m.group(0))
        out.append(_glyphs(text[last:m.start()]))
        out.append(f"<a href={quoteattr(url)} color=\"#1f4e79\">{_glyphs(url)}</a>{_glyphs(tail)}")
        last = m.end()
    out.append(_glyphs(text[last:]))
    return "".join(out)


class LinkedParagraph(Paragraph):
    """A paragraph whose whole text box is one link (a /Link annotation with the full address).

    Used for "source" lines, which wrap anywhere (CJK wrapping) so long addresses fit: reportlab's
    ``<a>`` markup turns them into several fragments and loses CJK wrapping's single-fragment fast
    path (the report took about 1.7 times as long); a single address per line needs no markup."""

    def __init__(self, text: str, style: ParagraphStyle, url: str | None = None) -> None:
        super().__init__(text, style)
        self.url = url

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        for part in parts:
            part.url = self.url
        return parts

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        super().drawOn(canvas, x, y, _sW)
        if self.url:
            indent = self.style.leftIndent
            right = x + indent + max(self.getActualLineWidths0(), default=0)
            canvas.linkURL(self.url, (x + indent, y, right, y + self.height), relative=1, thickness=0)


def paragraph(text: object, style: str, bulletText: str | None = None) -> Paragraph:
    """A Paragraph of plain text in one of :func:`styles` (escaped here; never pass markup); its
    addresses are links."""
    text, chosen = str(text), styles()[style]
    if chosen.wordWrap == "CJK" and "http" in text and bulletText is None:
        urls = [_split_url(m.group(0))[0] for m in URL.finditer(text)]
        if len(urls) == 1:
            return LinkedParagraph(safe(text, links=False), chosen, url=urls[0])
    return Paragraph(safe(text), chosen, bulletText=bulletText)


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary when one is close, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.6 else cut).rstrip() + "…"


def plain(text: str) -> str:
    """Text for metadata (Title): whitespace collapsed, control and format characters dropped; any
    character is kept otherwise (metadata is Unicode text, not glyphs)."""
    return "".join(ch for ch in " ".join(text.split()) if unicodedata.category(ch) not in INVISIBLE[:3])


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
