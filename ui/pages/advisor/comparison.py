"""Before and after: T0 against the newest later stage, per dimension (chart and table), DII level,
changed answers, plan actions done, peers; the same comparison as a PDF page."""

import datetime as dt
from dataclasses import replace
from functools import partial

import altair as alt
import streamlit as st

from auth import Role
from i18n import format_score, t
from services.comparison import comparison_page
from ui import cache, components, guided, session

locale = session.locale()
principal = guided.require(Role.ADVISOR, locale)
service = cache.advisor_service()
view = guided.open_selected(principal, locale)
st.title(t("advisor.compare.title", locale))
components.synthetic_label(view.synthetic, locale)
comparison = service.comparison(principal, view.id)
if comparison is None:
    st.info(t("advisor.compare.none_yet", locale))
    st.stop()
assert comparison is not None
repo = cache.repository()
before = cache.firm_results(repo.instrument_for(comparison.before), comparison.before.profile, comparison.before.answers,
                            comparison.before.id)[0]
bundle = cache.firm_results(repo.instrument_for(comparison.after), comparison.after.profile, comparison.after.answers,
                            comparison.after.id)[0]
if bundle.percentile_of is not None:  # the change relative to peers, when the pool has enough comparable firms
    comparison = replace(comparison, percentile_before=bundle.percentile_of(comparison.before_result.overall),
                         percentile_after=bundle.percentile_of(comparison.after_result.overall))
titles = {c.action.id: c.action.title.get(locale) for c in before.roadmap.candidates}
titles |= {i.action.id: i.action.title.get(locale) for i in before.roadmap.items}
page = comparison_page(comparison, locale, titles)
if page.version_note:
    st.warning(page.version_note)

values = [{"label": label, "stage": stage, "score": score, "order": n}
          for n, (label, before, after) in enumerate(page.rows) for stage, score in ((page.stage_before, before), (page.stage_after, after))
          if score is not None]
if values:
    chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(
        y=alt.Y("label:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title=t("app.results.axis", locale)),
        yOffset="stage:N", color=alt.Color("stage:N", title=None, scale=alt.Scale(range=["#9bb8d3", "#1f5f99"])))
    st.altair_chart(chart.properties(height=40 * len(page.rows) + 20), width="stretch")


def _shown(value: float | None) -> str:
    return format_score(value, locale) if value is not None else "—"


def _delta(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return "—"
    return ("+" if after > before else "") + format_score(after - before, locale)


st.table({"": [r[0] for r in page.rows], page.stage_before: [_shown(r[1]) for r in page.rows],
          page.stage_after: [_shown(r[2]) for r in page.rows],
          t("advisor.compare.change", locale): [_delta(r[1], r[2]) for r in page.rows]})
st.markdown(t("advisor.compare.dii", locale, before=page.dii[0], after=page.dii[1]))
if page.percentiles is not None:
    st.markdown(t("advisor.compare.peers", locale, before=_shown(page.percentiles[0]), after=_shown(page.percentiles[1])))
else:
    st.caption(t("advisor.compare.no_peers", locale))
st.subheader(t("advisor.compare.changed_answers", locale))
st.markdown("\n".join(f"- {x}" for x in page.changed_answers) or t("advisor.compare.none", locale))
st.subheader(t("advisor.compare.actions_done", locale))
st.markdown("\n".join(f"- {x}" for x in page.actions_done) or t("advisor.compare.none", locale))

today = dt.date.today()
st.download_button(t("advisor.compare.download", locale),
                   data=partial(service.guided_pdf, principal, comparison.after.id, bundle, locale, today, page),
                   file_name=f"{t('advisor.plan.file', locale)}-{page.stage_after}-{today.isoformat()}.pdf", mime="application/pdf",
                   on_click="ignore", key=f"compare_pdf_{view.id}", icon=":material/picture_as_pdf:")
