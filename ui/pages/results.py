"""Results: overall score and level, a bar per dimension, the DII; then the extension sections."""

import logging

import altair as alt
import streamlit as st

from domain import Status
from i18n import t
from ui import cache, components, flow, nav, session
from ui.results_view import chart_data, dii_level_label, dimension_rows
from ui.sections import RESULT_SECTIONS, ResultsContext, summary
from ui.text import literal

locale = session.locale()
draft = components.require_draft(locale)
q = draft.instrument.questionnaire


def _answer_step(step_id: str) -> None:
    st.session_state[session.STEP_KEY] = step_id
    session.go_to(nav.QUESTIONNAIRE)


missing = flow.missing_for_results(q, draft.profile, draft.answers)
if missing:  # no score, level, completion or PDF projected from nothing: say what is missing and where
    st.title(t("app.results.title", locale))
    session.show_flash()
    st.warning(t("app.results.not_enough", locale), icon=":material/rule:")
    for count in missing:
        where, go = st.columns([3, 1], vertical_alignment="center")
        where.markdown(t("app.results.step_missing", locale, name=count.step.dimension.label.get(locale),
                         answered=count.answered, total=count.total))
        go.button(t("app.results.go_to_step", locale), key=f"answer_{count.step.id}", on_click=_answer_step,
                  args=(count.step.id,), icon=":material/edit:")
    st.stop()

# Scores, comparisons and roadmap, computed once per answers revision and pool; every section reuses them.
bundle, pool_unavailable = cache.firm_results(draft.instrument, draft.profile, draft.answers, draft.assessment_id)
result = bundle.result

st.title(t("app.results.title", locale))
components.synthetic_label(draft.saved.synthetic, locale)
if draft.profile.name:
    st.text(" ".join(draft.profile.name.split()))  # plain text: a URL in a name must not become a link
session.show_flash()

rows = dimension_rows(q, result, locale)
context = ResultsContext(bundle, locale, draft.assessment_id, pool_unavailable, draft.saved.synthetic)
summary.render(context, rows)  # the essentials and the PDF first; the details follow
if draft.status == Status.COMPLETED:
    st.success(t("app.results.completed", locale), icon=":material/task_alt:")
elif st.button(t("app.results.complete", locale), type="primary", key="complete", icon=":material/task_alt:"):
    draft.saved = session.writer(draft).complete(draft.assessment_id, result.to_json())
    st.rerun()
else:
    st.caption(t("app.results.complete_help", locale))

st.subheader(t("app.results.by_dimension", locale))
bars = chart_data(rows)
if bars:
    base = alt.Chart(alt.Data(values=bars)).encode(
        y=alt.Y("dimension:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title=t("app.results.axis", locale)),
        tooltip=[alt.Tooltip("dimension:N", title=t("app.results.dimension", locale)),
                 alt.Tooltip("shown:N", title=t("app.results.score", locale))],
    )
    chart = base.mark_bar(color="#1f5f99") + base.mark_text(align="left", dx=4).encode(text="shown:N")
    st.altair_chart(chart.properties(height=34 * len(bars) + 20), width="stretch")
st.table({t("app.results.dimension", locale): [r.label for r in rows],
          t("app.results.score", locale): [r.shown + (" *" if r.low_confidence else "") for r in rows]})
if any(r.low_confidence for r in rows):
    st.caption(literal(t("app.results.low_confidence", locale)))  # its leading "*" is a footnote mark, not a bullet

st.subheader(t("common.dii", locale))
dii_score, dii_level = st.columns(2)
dii_score.metric(t("app.results.dii_score", locale), f"{result.dii.score} / 12", border=True)
dii_level.metric(t("common.level", locale), dii_level_label(q, result.dii.level, locale), border=True)
basic = "app.results.dii_basic_yes" if result.dii.basic else "app.results.dii_basic_no"
st.markdown(t(basic, locale, min=q.dii.basic_min))
st.caption(q.dii.note.get(locale))

st.divider()
for section in RESULT_SECTIONS:
    try:
        section(context)
    except Exception as exc:  # one broken section must not hide the firm's results
        logging.getLogger(__name__).exception("results section %s failed", getattr(section, "__module__", section))
        st.error(t("app.results.section_failed", locale, detail=type(exc).__name__))
