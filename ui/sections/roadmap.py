"""Results-page sections: the prioritised roadmap (Roadmap tab), the what-if simulator (What-if tab)
and the PDF download button (drawn by the summary).

It lays out the firm's results bundle (``ctx.bundle``). The PDF is built from that same bundle,
only when the button is clicked (``data=`` is a callable over the frozen bundle, not session
state), and the button is drawn on every run so the download link never goes stale.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

from i18n import format_decimal, format_score, t
from recommendations.eligibility import supports_for
from reports.effect_text import effect_lines, reasons
from reports.roadmap_pdf import catalog_as_of, support_line
from services.results import ResultsBundle, report_pdf, what_if
from ui.sections.context import ResultsContext
from ui.text import literal


def render(ctx: ResultsContext) -> None:
    locale, bundle = ctx.locale, ctx.bundle
    st.header(t("roadmap.title", locale))
    st.caption(t("roadmap.intro", locale))
    if ctx.pool_unavailable:  # logged for operators by ui.cache; the roadmap works without peers
        st.caption(t("roadmap.no_pool_signals", locale))
    _roadmap(bundle, locale)  # the PDF download sits in the summary at the top of the page (ui/sections/summary.py)


def render_what_if(ctx: ResultsContext) -> None:
    """The What-if tab: the scores if the firm did the actions it chooses."""
    _what_if(ctx, ctx.bundle, ctx.locale)


def _roadmap(data: ResultsBundle, locale: str) -> None:
    st.caption(literal(catalog_as_of(data.catalogs, locale)))
    if not data.roadmap.items:
        st.info(t("roadmap.empty", locale))
        return
    for horizon, items in data.roadmap.by_horizon().items():
        if not items:
            continue
        st.subheader(t(f"roadmap.horizon.{horizon}", locale))
        for item in items:
            action = item.action
            with st.expander(action.title.get(locale), expanded=item is data.roadmap.items[0]):
                meta = [t("roadmap.effort_is", locale, value=t(f"roadmap.effort.{action.effort}", locale)),
                        t("roadmap.cost_is", locale, value=t(f"roadmap.cost.{action.cost}", locale))]
                if item.candidate is not None:
                    meta.append(t(f"roadmap.quadrant.{item.candidate.quadrant}", locale))
                effect = effect_lines(item.effect, data.instrument.questionnaire, locale) if item.effect is not None else []
                st.caption(literal(" · ".join(meta + effect[:1])))
                for line in effect[1:]:  # per dimension, first scores, why a score goes down
                    st.caption(literal(line))
                st.markdown(literal(action.why.get(locale)))
                st.markdown(f"**{t('roadmap.first_steps', locale)}**")
                st.markdown("\n".join(f"- {literal(step.get(locale))}" for step in action.first_steps))
                found = supports_for(action, data.catalogs, data.profile)  # open and eligible for this firm only
                if found.offered or found.advice:
                    st.markdown(f"**{t('roadmap.supports' if found.offered else 'roadmap.advice', locale)}**")
                    lines = [support_line(s, data.catalogs, locale, detail=True)[0] for s in found.offered or found.advice]
                    st.markdown("\n".join(f"- {literal(text)}" for text in lines))


def _what_if(ctx: ResultsContext, data: ResultsBundle, locale: str) -> None:
    st.subheader(t("roadmap.whatif.title", locale))
    st.caption(t("roadmap.whatif.help", locale))
    titles = {c.action.id: c.action.title.get(locale) for c in data.roadmap.candidates}
    titles |= {i.action.id: i.action.title.get(locale) for i in data.roadmap.items}
    chosen = st.multiselect(t("roadmap.whatif.choose", locale), options=list(titles), default=[i.action.id for i in data.roadmap.items],
                            format_func=titles.get, key=f"whatif_{ctx.assessment_id}")
    projection = what_if(data, chosen)
    before, after = projection.before, projection.after
    q = data.instrument.questionnaire
    labels = [t("common.overall", locale)] + [d.label.get(locale) for d in q.dimensions] + [t("common.dii", locale)]
    now = [format_score(before.overall, locale)] + [format_score(before.dimensions[d.id].score, locale) for d in q.dimensions]
    projected = [format_score(after.overall, locale)] + [format_score(after.dimensions[d.id].score, locale) for d in q.dimensions]
    dii_levels = {lv.id: lv.label.get(locale) for lv in q.dii.levels}
    now.append(f"{before.dii.score} / 12 — {dii_levels[before.dii.level]}")
    projected.append(f"{after.dii.score} / 12 — {dii_levels[after.dii.level]}")
    if projection.percentile_after is not None:
        labels.append(t("roadmap.whatif.percentile", locale))
        now.append(format_decimal(projection.percentile_before or 0.0, locale, 0))
        projected.append(format_decimal(projection.percentile_after, locale, 0))
    # A table, not st.metric: the projected figures sit next to today's, row by row.
    st.table({t("pdf.indicator", locale): labels, t("roadmap.whatif.now", locale): now, t("roadmap.whatif.projected", locale): projected})
    notes = reasons(projection.effect, q, locale, together=True)  # the same story as the roadmap: first scores, falls, no gain
    if notes:
        st.caption(" ".join(literal(n) for n in notes))
    if projection.percentile_after is None:
        st.caption(t("roadmap.whatif.no_pool", locale))


def download_button(data: ResultsBundle, locale: str, assessment_id: str | None, *, synthetic: bool = False) -> None:
    today = dt.date.today()
    st.download_button(t("roadmap.download", locale), data=partial(report_pdf, data, locale, today, synthetic=synthetic),
                       file_name=f"{t('roadmap.download_file', locale)}-{today.isoformat()}.pdf",
                       mime="application/pdf", on_click="ignore", key=f"roadmap_pdf_{assessment_id}",
                       icon=":material/picture_as_pdf:")
