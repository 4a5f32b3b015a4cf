"""The guided-session PDF: the firm's report plus the advisor and organisation on the cover, the
shared notes, the agreed plan ("who does what") and, from T1 on, a before/after page.

Only what ``GuidedExtras`` holds is printed; the application layer never puts private notes in
it (``services.advisor.AdvisorService.guided_extras`` reads shared notes only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.platypus import Flowable, PageBreak, Paragraph

from i18n import format_date, format_score, t
from reports.pdf_style import safe, styles
from reports.roadmap_pdf import ReportData, _table, build_roadmap_pdf


@dataclass(frozen=True)
class GuidedNote:
    question: str  # the question's label ("" for a note on the whole assessment)
    body: str


@dataclass(frozen=True)
class PlanLine:
    title: str
    owner: str  # "firm" or "advisor"
    due_on: dt.date | None
    comment: str
    status: str


@dataclass(frozen=True)
class ComparisonPage:
    """Before/after figures, already labelled: (label, before, after) rows."""

    stage_before: str
    stage_after: str
    rows: tuple[tuple[str, float | None, float | None], ...]  # overall first, then dimensions
    dii: tuple[str, str]  # DII level label before, after
    changed_answers: tuple[str, ...]  # question labels
    actions_done: tuple[str, ...]  # action titles
    version_note: str = ""  # set when the two questionnaire versions differ
    percentiles: tuple[float, float] | None = None


@dataclass(frozen=True)
class GuidedExtras:
    advisor_name: str
    organisation: str
    shared_notes: tuple[GuidedNote, ...]
    plan: tuple[PlanLine, ...]
    comparison: object | None = None  # a ComparisonPage (services pass one built from their Comparison)
    stage: str = ""  # the assessment's stage ("T0", "T1", "T2"): labels the plan and the notes


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(safe(text), styles()[style])


def _delta(before: float | None, after: float | None, locale: str) -> str:
    if before is None or after is None:
        return "—"
    delta = after - before
    return ("+" if delta > 0 else "") + format_score(delta, locale)


class GuidedReport:
    def __init__(self, extras: GuidedExtras, report_date: dt.date):
        self.extras = extras
        self.report_date = report_date

    def cover_lines(self, locale: str) -> list[Flowable]:
        e = self.extras
        line = t("pdf.guided.with_advisor", locale, name=e.advisor_name)
        if e.organisation:
            line += f" ({e.organisation})"
        return [_p(line)]

    def _staged(self, title: str) -> str:
        """A section title with the stage it belongs to, e.g. "Plan d'action convenu (T1)"."""
        return f"{title} ({self.extras.stage})" if self.extras.stage else title

    def after_roadmap(self, data: ReportData, locale: str) -> list[Flowable]:
        synthetic = [_p(t("pdf.synthetic_firm", locale), "h3")] if data.synthetic else []  # the cover says it too
        story: list[Flowable] = [PageBreak(), *synthetic, _p(self._staged(t("pdf.guided.plan_title", locale)), "h1")]
        if self.extras.plan:
            header = [_p(t(k, locale), "cell_bold") for k in ("pdf.guided.action", "pdf.guided.owner", "pdf.guided.due",
                                                              "pdf.guided.comment")]
            rows = [header] + [[_p(line.title, "cell"), _p(t(f"advisor.owner.{line.owner}", locale), "cell"),
                                _p(format_date(line.due_on, locale) if line.due_on else "—", "cell"), _p(line.comment or "—", "cell")]
                               for line in self.extras.plan]
            story.append(_table(rows, [200, 70, 80, 170]))
        else:
            story.append(_p(t("pdf.guided.no_plan", locale)))
        story.append(_p(self._staged(t("pdf.guided.notes_title", locale)), "h1"))
        if self.extras.shared_notes:
            for note in self.extras.shared_notes:
                if note.question:
                    story.append(_p(note.question, "h3"))
                story.append(_p(note.body))
        else:
            story.append(_p(t("pdf.guided.no_notes", locale)))
        if isinstance(self.extras.comparison, ComparisonPage):
            story += comparison_story(self.extras.comparison, locale)
        return story


def comparison_story(c: ComparisonPage, locale: str) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), _p(t("pdf.guided.comparison_title", locale, before=c.stage_before, after=c.stage_after), "h1")]
    if c.version_note:
        story.append(_p(c.version_note))
    header = [_p(x, "cell_bold") for x in ("", c.stage_before, c.stage_after, t("advisor.compare.change", locale))]
    rows = [header] + [[_p(label, "cell"), _p(format_score(b, locale) if b is not None else "—", "cell"),
                        _p(format_score(a, locale) if a is not None else "—", "cell"), _p(_delta(b, a, locale), "cell")]
                       for label, b, a in c.rows]
    rows.append([_p(t("pdf.guided.dii_level", locale), "cell"), _p(c.dii[0], "cell"), _p(c.dii[1], "cell"), _p("", "cell")])
    story.append(_table(rows, [220, 90, 90, 90]))
    if c.percentiles is not None:
        story.append(_p(t("advisor.compare.peers", locale, before=format_score(c.percentiles[0], locale),
                          after=format_score(c.percentiles[1], locale))))
    story.append(_p(t("advisor.compare.changed_answers", locale), "h3"))
    story.append(_p(", ".join(c.changed_answers) if c.changed_answers else t("advisor.compare.none", locale)))
    story.append(_p(t("advisor.compare.actions_done", locale), "h3"))
    story.append(_p(", ".join(c.actions_done) if c.actions_done else t("advisor.compare.none", locale)))
    return story


def build_guided_pdf(data: ReportData, extras: GuidedExtras, locale: str = "fr") -> bytes:
    return build_roadmap_pdf(data, locale, GuidedReport(extras, data.report_date))
