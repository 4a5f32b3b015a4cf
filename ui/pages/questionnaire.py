"""Questionnaire: one dimension per step, only the questions that apply, autosaved."""

import streamlit as st

from domain import Status
from i18n import t
from ui import components, flow, nav, session
from ui.questions import QUESTION_STYLE, render_question, save
from ui.text import literal

locale = session.locale()
draft = components.require_draft(locale)
q = draft.instrument.questionnaire
all_steps = flow.steps(q, draft.profile, draft.answers)
position = flow.step_position(q, all_steps, st.session_state.get(session.STEP_KEY))
step = all_steps[position]
st.query_params["step"] = step.id  # a reload (F5) comes back to this step (ui/continuity.py)


def _move(delta: int) -> None:
    """Back/Next: save the step (recording where the firm is) and move; Next waits for valid answers."""
    fresh = flow.steps(q, draft.profile, draft.answers)
    here = flow.step_position(q, fresh, step.id)
    current = fresh[here]
    if delta > 0 and flow.step_errors(q, current, draft.answers, locale):
        session.flash("error", t("app.questionnaire.fix_first", locale))
        return
    target = here + delta
    landing = fresh[target].id if 0 <= target < len(fresh) else current.id
    save(draft, flow.savable_changes(q, draft.answers, [x.id for x in current.questions]), step=landing)
    st.session_state[session.STEP_KEY] = landing
    draft.show_code = False
    if target >= len(fresh):
        session.go_to(nav.RESULTS)


if draft.writer is not None:  # interview mode: the advisor and the client at one laptop, notes beside each question
    st.set_page_config(layout="wide")
    st.caption(t("advisor.interview", locale, firm=literal(draft.profile.name) or "—"))
st.title(t("app.questionnaire.title", locale))
components.synthetic_label(draft.saved.synthetic, locale)
# A new step starts at its top (Streamlit keeps the scroll position of the previous one). The
# script only changes, and so only runs again, when the step does; it contains no outside text.
st.html(f"<script>/* {step.id} */ document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0);</script>",
        unsafe_allow_javascript=True)
if draft.show_code and draft.resume_code:
    components.resume_code_box(draft.resume_code, locale)
session.show_flash()
if draft.status == Status.COMPLETED:
    st.info(t("app.questionnaire.completed_note", locale), icon=":material/task_alt:")
st.progress(flow.progress(position, len(all_steps)),
            text=t("app.questionnaire.progress", locale, n=position + 1, total=len(all_steps)))
st.header(step.dimension.label.get(locale))
st.caption(step.dimension.description.get(locale))

errors = flow.step_errors(q, step, draft.answers, locale)
st.html(QUESTION_STYLE)
for question in step.questions:
    render_question(q, question, draft, locale, errors.get(question.id))
    st.divider()

if draft.save_error:
    st.warning(t("app.questionnaire.save_failed", locale, detail=draft.save_error), icon=":material/sync_problem:")

back, forward = st.columns(2)
back.button(t("app.questionnaire.back", locale), key="back", disabled=position == 0, on_click=_move, args=(-1,),
            icon=":material/arrow_back:", width="stretch")
last = position == len(all_steps) - 1
forward.button(t("app.questionnaire.to_results" if last else "app.questionnaire.next", locale), key="next", type="primary",
               on_click=_move, args=(1,), icon=":material/arrow_forward:", width="stretch")
