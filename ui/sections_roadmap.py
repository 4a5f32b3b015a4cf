"""Results-page section: the prioritised roadmap, the what-if simulator and the PDF download.

All computation lives in ``recommendations``; this module lays it out. The PDF is built only
when the button is clicked (``data=`` is a callable over a frozen snapshot, not session state),
and the button is drawn on every run so the download link never goes stale.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, Any

import streamlit as st

from i18n import format_decimal, format_score, t
from ui.pool import comparison_pool
from ui.text import literal

if TYPE_CHECKING:
    from recommendations.report import ReportData
    from ui.results_sections import ResultsContext

def _benchmarks(ctx: ResultsContext) -> tuple[Any, Any]:
    """(BenchmarkReport, percentile_of) from the comparison pool, or (None, None) without one."""
    from recommendations.benchmarks import benchmark_inputs

    try:
        pool = comparison_pool(ctx)
        return benchmark_inputs(ctx.instrument, ctx.profile, ctx.answers, ctx.result, pool)
    except Exception:  # no database or no usable pool: the roadmap works without benchmarks
        return None, None


def render(ctx: ResultsContext) -> None:
    from recommendations.report import prepare_report

    locale = ctx.locale
    st.header(t("roadmap.title", locale))
    st.caption(t("roadmap.intro", locale))
    benchmarks, percentile_of = _benchmarks(ctx)
    data = prepare_report(ctx.instrument, ctx.profile, ctx.answers, dt.date.today(), benchmarks, percentile_of)
    _roadmap(data, locale)
    _what_if(ctx, data, percentile_of, locale)
    _download(data, locale, ctx.assessment_id)


def _roadmap(data: ReportData, locale: str) -> None:
    from recommendations.eligibility import supports_for
    from recommendations.report import catalog_as_of, support_line

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
                st.caption(literal(" · ".join(meta)))
                st.markdown(literal(action.why.get(locale)))
                st.markdown(f"**{t('roadmap.first_steps', locale)}**")
                st.markdown("\n".join(f"- {literal(step.get(locale))}" for step in action.first_steps))
                found = supports_for(action, data.catalogs, data.profile)  # open and eligible for this firm only
                if found.offered or found.advice:
                    st.markdown(f"**{t('roadmap.supports' if found.offered else 'roadmap.advice', locale)}**")
                    lines = [support_line(s, data.catalogs, locale, detail=True)[0] for s in found.offered or found.advice]
                    st.markdown("\n".join(f"- {literal(text)}" for text in lines))


def _what_if(ctx: ResultsContext, data: ReportData, percentile_of: Any, locale: str) -> None:
    from recommendations.whatif import project

    st.subheader(t("roadmap.whatif.title", locale))
    st.caption(t("roadmap.whatif.help", locale))
    titles = {c.action.id: c.action.title.get(locale) for c in data.roadmap.candidates}
    titles |= {i.action.id: i.action.title.get(locale) for i in data.roadmap.items}
    chosen = st.multiselect(t("roadmap.whatif.choose", locale), options=list(titles), default=[i.action.id for i in data.roadmap.items],
                            format_func=titles.get, key=f"whatif_{ctx.assessment_id}")
    projection = project(ctx.instrument, ctx.profile, ctx.answers, [data.catalogs.action(a) for a in chosen], percentile_of, ctx.result)
    before, after = projection.before, projection.after
    q = ctx.instrument.questionnaire
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
    if projection.percentile_after is None:
        st.caption(t("roadmap.whatif.no_pool", locale))


def _pdf(data: ReportData, locale: str) -> bytes:
    from recommendations.report import build_roadmap_pdf

    return build_roadmap_pdf(data, locale)


def _download(data: ReportData, locale: str, assessment_id: Any) -> None:
    st.download_button(t("roadmap.download", locale), data=partial(_pdf, data, locale),
                       file_name=f"{t('roadmap.download_file', locale)}-{data.report_date.isoformat()}.pdf",
                       mime="application/pdf", on_click="ignore", key=f"roadmap_pdf_{assessment_id}",
                       icon=":material/picture_as_pdf:")
