"""The bilingual PDF report: ``build_roadmap_pdf(data, locale) -> bytes`` (reportlab Platypus).

Pages: cover; one-page summary with the dimension chart against the peer median (or a "no
benchmark" note); DII status and indicator comparisons with sources; the roadmap by horizon with
the measures and programmes that help; the prioritisation matrix; methodology and sources.

The same inputs and report date give byte-identical output (``invariant=1``): the date is a
parameter, never "today". ``ReportData`` is built by the application layer
(``services.results.report_data``) from a firm's results bundle; nothing is computed here.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from benchmarks.indicators import IndicatorComparison
from benchmarks.peers import MetricComparison, PeerComparison
from domain import Profile
from i18n import format_date, format_decimal, format_score, t
from questionnaires.registry import Instrument
from questionnaires.segments import load_segments
from recommendations.catalog import Catalogs
from recommendations.eligibility import supports_for
from recommendations.model import Support
from recommendations.prioritise import QUADRANTS, Roadmap, RoadmapItem
from reports.effect_text import effect_lines, overall_line, reasons
from reports.pdf_chart import DimensionChart
from reports.pdf_style import FONT, MUTED, canvas_maker, missing_glyphs, paragraph, plain, safe, shorten, styles
from scoring.result import Result

COVER_NAME_LIMIT = 200  # the longest name the app and storage accept: shown whole on the cover
TITLE_NAME_LIMIT = 1000  # the Title metadata holds the whole name up to here (longer: only from a file)
MATRIX_ROWS = 6


@dataclass(frozen=True)
class ReportData:
    instrument: Instrument
    profile: Profile
    result: Result
    roadmap: Roadmap
    catalogs: Catalogs
    report_date: dt.date
    peers: PeerComparison | None = None  # None: no pool, or too few comparable firms
    indicators: Sequence[IndicatorComparison] = ()
    synthetic: bool = False  # a demo firm (``seed-demo --with-workspace``): said on the cover


class ReportExtension(Protocol):
    """Extra pages for a report (the guided-session PDF, ``reports/guided_pdf.py``); the firm's own
    report has none and is unchanged by this hook."""

    def cover_lines(self, locale: str) -> list[Flowable]: ...

    def after_roadmap(self, data: ReportData, locale: str) -> list[Flowable]: ...


def build_roadmap_pdf(data: ReportData, locale: str = "fr", extension: ReportExtension | None = None) -> bytes:
    """The report as PDF bytes, in French (default) or English."""
    out = io.BytesIO()
    q = data.instrument.questionnaire
    doc = SimpleDocTemplate(out, pagesize=LETTER, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
                            title=document_title(data.profile.name, locale), author=t("app.name", locale), subject=q.title.get(locale),
                            creator=t("app.name", locale), invariant=1, lang=locale)
    cover = _cover(data, locale)
    if extension is not None:
        cover = cover[:-1] + extension.cover_lines(locale) + cover[-1:]  # before the cover's page break
    story = cover + _summary(data, locale) + _dii_and_indicators(data, locale) + _roadmap(data, locale)
    if extension is not None:
        story += extension.after_roadmap(data, locale)
    story += _matrix(data, locale) + _methodology(data, locale)
    footer = f"{t('app.name', locale)} · {format_date(data.report_date, locale)}"
    maker = canvas_maker(t("pdf.page", locale, page="{page}", total="{total}"), footer)
    doc.build(story, canvasmaker=maker)
    return out.getvalue()


def document_title(name: str, locale: str) -> str:
    """The Title metadata: the document and the firm's whole name (any character: it is text, not glyphs)."""
    firm = shorten(plain(name), TITLE_NAME_LIMIT) if name.strip() else t("pdf.unnamed_firm", locale)
    return t("pdf.document_title", locale, document=t("roadmap.title", locale), firm=firm)


def _p(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped here; never pass markup); addresses become links."""
    return paragraph(text, style)


def _level(data: ReportData, level_id: str | None, locale: str) -> str:
    return next((lv.label.get(locale) for lv in data.instrument.questionnaire.levels if lv.id == level_id), "—")


def _cover(data: ReportData, locale: str) -> list[Flowable]:
    q, profile, segments = data.instrument.questionnaire, data.profile, load_segments()
    name = shorten(profile.name, COVER_NAME_LIMIT) if profile.name.strip() else t("pdf.unnamed_firm", locale)
    notes = []  # the whole name is always in the Title metadata: say so when the cover cannot show it
    if len(" ".join(profile.name.split())) > COVER_NAME_LIMIT:
        notes.append(_p(t("pdf.name_shortened", locale, limit=COVER_NAME_LIMIT), "small"))
    if missing_glyphs(name):
        notes.append(_p(t("pdf.name_glyphs", locale), "small"))
    return [
        Spacer(1, 40 * mm),
        _p(t("app.name", locale), "h2"),
        _p(t("roadmap.title", locale), "cover_title"),
        _p(t("pdf.report_for", locale), "small"),
        _p(name, "cover_name"),
        *notes,
        *([_p(t("pdf.synthetic_firm", locale), "h3")] if data.synthetic else []),
        _p(t("pdf.profile", locale, sector=segments.label("sector", profile.sector, locale),
             size=segments.label("size", profile.size, locale), region=segments.label("region", profile.region, locale))),
        _p(t("pdf.date", locale, date=format_date(data.report_date, locale))),
        Spacer(1, 30 * mm),
        _p(t("pdf.instrument", locale, id=q.id, version=q.version), "small"),
        PageBreak(),
    ]


def _peer_medians(data: ReportData) -> tuple[list[float | None] | None, MetricComparison | None]:
    """Peer medians per dimension (None when the pool has too few comparable firms)."""
    peers = data.peers
    if peers is None or not peers.enough_data:
        return None, None
    dims = [d.id for d in data.instrument.questionnaire.dimensions]
    medians = [m.quartiles[1] if (m := peers.metrics.get(d)) is not None and m.quartiles else None for d in dims]
    overall = peers.metrics.get("overall")
    return (medians if any(v is not None for v in medians) else None), overall


def _summary(data: ReportData, locale: str) -> list[Flowable]:
    q, result, roadmap = data.instrument.questionnaire, data.result, data.roadmap
    after = roadmap.projection.after
    story = [_p(t("pdf.summary", locale), "h1"),
             _p(t("pdf.summary_scores", locale, score=format_score(result.overall, locale), level=_level(data, result.level, locale)))]
    if roadmap.items:
        projected = t("pdf.summary_projection", locale, score=format_score(after.overall, locale), level=_level(data, after.level, locale))
        story.append(_p(projected))
        projection = roadmap.projection
        story += [_p(line, "small") for line in reasons(projection.effect, q, locale, together=True)]  # first scores, falls
        if projection.percentile_before is not None and projection.percentile_after is not None:
            story.append(_p(t("pdf.summary_percentile", locale, before=format_decimal(projection.percentile_before, locale, 0),
                              after=format_decimal(projection.percentile_after, locale, 0))))
        immediate = roadmap.immediate()
        if immediate:  # only actions that raise the overall score, or their prerequisites (said so)
            story.append(_p(t("pdf.summary_top", locale), "h3"))
            story += [Paragraph(safe(_immediate_line(item, data, locale)), styles()["bullet"], bulletText="•") for item in immediate]
    else:
        story.append(_p(t("roadmap.empty", locale)))
    labels = [d.label.get(locale) for d in q.dimensions]
    scores = [result.dimensions[d.id].score for d in q.dimensions]
    medians, overall = _peer_medians(data)
    story.append(_p(t("pdf.dimensions", locale), "h2"))
    story.append(DimensionChart(labels, scores, medians, (t("pdf.your_score", locale), t("pdf.peer_median", locale)), locale))
    if medians is None:
        story.append(_p(t("pdf.no_benchmark", locale), "small"))
    else:
        from reports.texts import cell_label

        n, cell = (overall.n, overall.cell) if overall is not None else (0, None)
        story.append(_p(t("pdf.peer_note", locale, n=n, cell=cell_label(cell, locale)), "small"))
        if data.peers is not None and data.peers.synthetic:
            story.append(_p(t("pdf.synthetic_pool", locale), "small"))
    rows = [[_p(t("pdf.dimension", locale), "cell_bold"), _p(t("pdf.your_score", locale), "cell_bold")]
            + ([_p(t("pdf.peer_median", locale), "cell_bold")] if medians else [])]
    for i, label in enumerate(labels):
        row = [_p(label, "cell"), _p(format_score(scores[i], locale), "cell")]
        rows.append(row + ([_p(format_score(medians[i], locale), "cell")] if medians else []))
    story += [Spacer(1, 4), _table(rows, [90 * mm, 35 * mm] + ([35 * mm] if medians else [])), PageBreak()]
    return story


def _immediate_line(item: RoadmapItem, data: ReportData, locale: str) -> str:
    """An immediate priority: its title and gain, or why it is there (a prerequisite)."""
    title = item.action.title.get(locale)
    if item.raises_overall and item.effect is not None:
        return f"{title} — {overall_line(item.effect, locale)}"
    dependants = ", ".join(data.catalogs.action(a).title.get(locale) for a in item.is_prerequisite_of)
    return f"{title} — {t('roadmap.effect.prerequisite', locale, actions=dependants)}"


def _table(rows: list[list[Flowable]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#d0d0d0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _dii_and_indicators(data: ReportData, locale: str) -> list[Flowable]:
    q, dii = data.instrument.questionnaire, data.result.dii
    level = next(lv.label.get(locale) for lv in q.dii.levels if lv.id == dii.level)
    names = {v.id: v.label.get(locale) for v in q.dii.variables}
    met = t("pdf.dii_met", locale, variables=", ".join(names[v] for v in dii.met)) if dii.met else t("pdf.dii_none", locale)
    story = [_p(t("pdf.dii_title", locale), "h1"), _p(t("pdf.dii_score", locale, score=dii.score, level=level)),
             _p(t("common.dii_basic_yes" if dii.basic else "common.dii_basic_no", locale)),
             _p(met, "small"),
             _p(q.dii.note.get(locale), "small"),
             _p(t("pdf.indicators", locale), "h2")]
    if not data.indicators:
        return [*story, _p(t("pdf.indicators_none", locale)), PageBreak()]
    answer = {True: t("pdf.indicator_yes", locale), False: t("pdf.indicator_no", locale), None: t("pdf.indicator_unknown", locale)}
    rows = [[_p(t("pdf.indicator", locale), "cell_bold"), _p(t("pdf.indicator_you", locale), "cell_bold"),
             _p(t("pdf.indicator_ref", locale), "cell_bold"), _p(t("common.source", locale), "cell_bold")]]
    for ind in data.indicators:
        reference = f"{_percent(ind.reference_value, locale)} ({ind.year}, {ind.population.get(locale, '')})"
        rows.append([_p(ind.label.get(locale, ""), "cell"), _p(answer[ind.firm_value], "cell"), _p(reference, "cell"),
                     _p(f"{ind.source_name} — {ind.source}", "source")])
    return [*story, _table(rows, [52 * mm, 18 * mm, 45 * mm, 65 * mm]), PageBreak()]


def _percent(value: float, locale: str) -> str:
    """A 0–100 value as a percentage: "33,0 %" with a no-break space in French, "33.0%" in English."""
    return format_decimal(value, locale, 1) + ("\u00a0%" if locale == "fr" else "%")


def support_line(support: Support, catalogs: Catalogs, locale: str, detail: bool = False) -> tuple[str, bool]:
    """One line describing a measure or programme: name, plan link, axis, status; with ``detail``,
    also the amounts and the eligibility conditions the profile cannot check. (text, history?)"""
    plan = t("roadmap.plan_short", locale)
    parts = [support.name.get(locale)]
    if support.plan_link != "none":
        if support.measure_number is not None:  # numbered only with a confirmed link (checked by the model)
            link = t("roadmap.measure_of_plan", locale, number=support.measure_number, plan=plan)
        else:
            link = t(f"roadmap.plan_link.{support.plan_link}", locale, plan=plan)
        if support.axis is not None:
            number = next(a.number for a in catalogs.programmes.plan.axes if a.id == support.axis.id)
            # An unconfirmed axis under a confirmed link says that only the axis is in doubt.
            key = ("roadmap.axis" if support.axis.confirmed else
                   "roadmap.axis_only_unconfirmed" if support.plan_link == "confirmed" else "roadmap.axis_unconfirmed")
            link += f", {t(key, locale, number=number)}"
        parts.append(link)
    if detail and support.amounts is not None:
        parts.append(support.amounts.get(locale))
    if detail and support.eligibility.note is not None:
        parts.append(t("roadmap.conditions", locale, text=support.eligibility.note.get(locale)))
    status = t(f"roadmap.status.{support.status.value}", locale, date=format_date(support.status.as_of, locale))
    if support.status.note is not None:
        status += f" — {support.status.note.get(locale)}"
    parts.append(status)
    return " · ".join(parts), support.is_history


def catalog_as_of(catalogs: Catalogs, locale: str) -> str:
    """"Programme catalog checked on …": printed on the PDF and the results page."""
    programmes = catalogs.programmes
    return t("roadmap.catalog_as_of", locale, date=format_date(programmes.as_of, locale),
             review=format_date(programmes.review_by, locale))


def plan_history(catalogs: Catalogs, locale: str) -> tuple[str, str, list[str]]:
    """(title, summary, lines) presenting the PAEN as history: its period and the entries linked to it."""
    plan = catalogs.programmes.plan
    title = t("roadmap.history.title", locale, plan=t("roadmap.plan_short", locale))
    lines = []
    for support in catalogs.programmes.supports:
        if support.plan_link == "none":
            continue
        text, _ = support_line(support, catalogs, locale)
        if support.legacy is not None:
            text += f" · {t('roadmap.legacy', locale, text=support.legacy.get(locale))}"
        lines.append(text)
    return title, f"{plan.title.get(locale)} — {plan.summary.get(locale)}", lines


def _roadmap(data: ReportData, locale: str) -> list[Flowable]:
    story = [_p(t("roadmap.title", locale), "h1"), _p(t("roadmap.intro", locale)), _p(catalog_as_of(data.catalogs, locale), "small")]
    if not data.roadmap.items:
        return [*story, _p(t("roadmap.empty", locale)), *_history(data, locale), PageBreak()]
    titles = {a.id: a.title.get(locale) for a in data.catalogs.actions}
    for horizon, items in data.roadmap.by_horizon().items():
        if not items:
            continue
        story.append(_p(t(f"roadmap.horizon.{horizon}", locale), "h2"))
        for item in items:
            story.extend(_action_block(item, data, titles, locale))  # a long block may break across pages
    return [*story, *_history(data, locale), PageBreak()]


def _history(data: ReportData, locale: str) -> list[Flowable]:
    title, summary, lines = plan_history(data.catalogs, locale)
    return [_p(title, "h2"), _p(summary, "small"), _p(t("roadmap.history.intro", locale), "small"),
            *[Paragraph(safe(line), styles()["closed"], bulletText="•") for line in lines]]


def _action_block(item: RoadmapItem, data: ReportData, titles: dict[str, str], locale: str) -> list[Flowable]:
    action, st = item.action, styles()
    meta = [t("roadmap.effort_is", locale, value=t(f"roadmap.effort.{action.effort}", locale)),
            t("roadmap.cost_is", locale, value=t(f"roadmap.cost.{action.cost}", locale))]
    if item.candidate is not None:
        meta.append(t(f"roadmap.quadrant.{item.candidate.quadrant}", locale))
    effect = effect_lines(item.effect, data.instrument.questionnaire, locale) if item.effect is not None else []
    meta += effect[:1]  # the overall effect: a gain only when the re-scored overall rises
    # The title stays with the line that follows it (no orphan heading at the foot of a page).
    block = [_p(action.title.get(locale), "h3_keep"), _p(" · ".join(meta), "small"), *[_p(line, "small") for line in effect[1:]],
             _p(action.why.get(locale))]
    if item.is_prerequisite_of:
        block.append(_p(t("roadmap.prerequisite_of", locale, actions=", ".join(titles[a] for a in item.is_prerequisite_of)), "small"))
    block.append(_p(t("roadmap.first_steps", locale), "cell_bold"))
    block += [Paragraph(safe(step.get(locale)), st["bullet"], bulletText="–") for step in action.first_steps]
    found = supports_for(action, data.catalogs, data.profile)  # open and eligible for this firm only
    if found.offered:
        block.append(_p(t("roadmap.supports", locale), "cell_bold"))
        lines = [support_line(s, data.catalogs, locale, detail=True)[0] for s in found.offered]
        block += [Paragraph(safe(line), st["bullet"], bulletText="•") for line in lines]
    elif found.advice:
        block.append(_p(t("roadmap.advice", locale), "cell_bold"))
        block += [Paragraph(safe(support_line(s, data.catalogs, locale)[0]), st["bullet"], bulletText="•") for s in found.advice]
    return block


def _matrix(data: ReportData, locale: str) -> list[Flowable]:
    story = [_p(t("roadmap.matrix.title", locale), "h2")]
    if not data.roadmap.candidates:
        return [*story, _p(t("pdf.matrix_none", locale)), PageBreak()]
    cells = []
    for quadrant in QUADRANTS:
        chosen = [c for c in data.roadmap.candidates if c.quadrant == quadrant][:MATRIX_ROWS]
        lines = [_p(t(f"roadmap.quadrant.{quadrant}", locale), "cell_bold")]
        lines += [Paragraph(safe(c.action.title.get(locale)), styles()["cell_bullet"], bulletText="•") for c in chosen]
        cells.append(lines)
    effort_low = f"{t('roadmap.effort', locale)} {t('roadmap.effort.low', locale)}"
    effort_high = f"{t('roadmap.effort', locale)} {t('roadmap.effort.medium', locale)}/{t('roadmap.effort.high', locale)}"
    impact = t("roadmap.matrix.impact", locale)
    rows = [["", _p(effort_low, "cell_bold"), _p(effort_high, "cell_bold")],
            [_p(f"{impact} +", "cell_bold"), cells[0], cells[1]],
            [_p(f"{impact} −", "cell_bold"), cells[2], cells[3]]]
    table = Table(rows, colWidths=[22 * mm, 79 * mm, 79 * mm])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("GRID", (1, 1), (-1, -1), 0.4, MUTED),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (1, 1), (1, 1), colors.HexColor("#e8f1e4"))]))
    return [*story, table, PageBreak()]


def _methodology(data: ReportData, locale: str) -> list[Flowable]:
    q, catalogs = data.instrument.questionnaire, data.catalogs
    found = [supports_for(item.action, catalogs, data.profile) for item in data.roadmap.items]
    cited = sorted({s.id for f in found for s in (*f.offered, *f.advice)})
    story = [_p(t("pdf.methodology", locale), "h1"), _p(t("pdf.method_scores", locale)),
             _p(t("pdf.method_priority", locale, target=format_decimal(data.roadmap.target, locale, 0))),
             _p(t("pdf.method_costs", locale)),
             _p(t("pdf.dii_sources", locale), "h3")]
    story += [_p(url, "source") for url in q.dii.source]
    plan = catalogs.programmes.plan
    story += [_p(t("pdf.plan_sources", locale), "h3"), _p(f"{plan.title.get(locale)} — {plan.summary.get(locale)}", "small"),
              _p(catalog_as_of(catalogs, locale), "small")]
    story += [_p(url, "source") for url in plan.sources]
    if cited:
        story.append(_p(t("pdf.programme_sources", locale), "h3"))
        for sid in cited:
            support = catalogs.support(sid)
            story.append(_p(support.name.get(locale), "small"))
            story += [_p(url, "source") for url in support.sources]
    if data.indicators:
        story.append(_p(t("pdf.indicator_sources", locale), "h3"))
        story += [_p(url, "source") for url in sorted({f"{i.source_name} — {i.source}" for i in data.indicators})]
    return story
