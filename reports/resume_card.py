"""The resume card the firm keeps: its code, its private link and what they allow, as plain text
or a one-page PDF. Pure: the code, link and date are parameters; the card is built on this
server and handed to the firm's browser only (never sent anywhere else)."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from i18n import format_date, t
from reports.pdf_style import FONT_BOLD, paragraph, safe, styles


def resume_link(app_root: str, code: str, locale: str) -> str:
    """``<app root>/?resume=CODE`` (the documented, stable form), in the firm's language."""
    link = f"{app_root.rstrip('/')}/?resume={code}"
    return link if locale == "fr" else f"{link}&lang={locale}"


def _lines(code: str, link: str, locale: str, created: dt.date) -> list[tuple[str, str]]:
    """(style, text) of the card, shared by the text and PDF forms so they always say the same."""
    return [
        ("h1", t("resume_card.title", locale)),
        ("small", f"{t('resume_card.subtitle', locale)} · {t('resume_card.created', locale, date=format_date(created, locale))}"),
        ("h3", t("resume_card.code", locale)),
        ("code", code),
        ("h3", t("resume_card.link", locale)),
        ("link", link),
        ("body", t("resume_card.how_to_resume", locale)),
        ("body", t("resume_card.how_to_delete", locale)),
        ("body", t("resume_card.keep_safe", locale)),
        ("small", t("resume_card.nothing_sent", locale)),
    ]


def text_card(code: str, link: str, locale: str, created: dt.date) -> str:
    """The card as UTF-8 plain text: headings end with a colon (French typography: a no-break space before it)."""
    colon = "\u00a0:" if locale == "fr" else ":"
    out: list[str] = []
    for style, text in _lines(code, link, locale, created):
        if style == "h3":
            out += ["", text + colon]
        else:
            out += [text, ""] if style in ("h1", "link", "body") else [text]
    return "\n".join(out).rstrip() + "\n"


def pdf_card(code: str, link: str, locale: str, created: dt.date) -> bytes:
    """A one-page PDF; the same inputs give the same bytes (``invariant``)."""
    out = io.BytesIO()
    title = f"{t('resume_card.title', locale)} · {t('resume_card.subtitle', locale)}"
    doc = SimpleDocTemplate(out, pagesize=LETTER, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=22 * mm, bottomMargin=22 * mm,
                            title=title, author=t("app.name", locale), creator=t("app.name", locale), invariant=1, lang=locale)
    big = ParagraphStyle("resume_code", parent=styles()["body"], fontName=FONT_BOLD, fontSize=20, leading=26, spaceAfter=6)
    story = []
    for style, text in _lines(code, link, locale, created):
        if style == "code":
            story.append(Paragraph(safe(code), big))
        elif style == "link":
            story.append(paragraph(text, "source"))  # a link annotation, the full address drawn for paper
        else:
            story.append(paragraph(text, style))
        if style in ("link", "small"):
            story.append(Spacer(1, 4 * mm))
    doc.build(story)
    return out.getvalue()
