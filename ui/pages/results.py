"""Results: the essentials first (summary with the PDF), completing as one step, then the details in tabs."""

import logging

import streamlit as st

from domain import Status
from i18n import t
from ui import cache, components, flow, nav, session
from ui.results_view import dimension_rows
from ui.sections import RESULT_SECTIONS, RESULT_TABS, ResultsContext, Section, summary

locale = session.locale()
draft = components.require_draft(locale)
q = draft.instrument.questionnaire


def _complete_step() -> None:
    """Completing is one step of its own, right under the summary: done, or a button with what it does."""
    if draft.status == Status.COMPLETED:
        st.success(t("app.results.completed", locale), icon=":material/task_alt:")
        return
    with st.container(border=True, key="complete-step"):
        st.markdown(f"**{t('app.summary.complete_step', locale)}**")
        st.caption(t("app.results.complete_help", locale))
        if st.button(t("app.results.complete", locale), type="primary", key="complete", icon=":material/task_alt:"):
            draft.saved = session.writer(draft).complete(draft.assessment_id, bundle.result.to_json())
            st.rerun()


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

st.title(t("app.results.title", locale))
components.synthetic_label(draft.saved.synthetic, locale)
if draft.profile.name:
    st.text(" ".join(draft.profile.name.split()))  # plain text: a URL in a name must not become a link
session.show_flash()

context = ResultsContext(bundle, locale, draft.assessment_id, pool_unavailable, draft.saved.synthetic)
summary.render(context, dimension_rows(q, bundle.result, locale))  # the essentials and the PDF first
_complete_step()


def _run(section: Section) -> None:
    try:
        section(context)
    except Exception as exc:  # one broken section must not hide the firm's results
        logging.getLogger(__name__).exception("results section %s failed", getattr(section, "__module__", section))
        st.error(t("app.results.section_failed", locale, detail=type(exc).__name__))


st.subheader(t("app.results.details", locale))
for tab, container in zip(RESULT_TABS, st.tabs([t(tab.label_key, locale) for tab in RESULT_TABS]), strict=True):
    with container:
        for section in tab.sections:
            _run(section)
for section in RESULT_SECTIONS:
    _run(section)
