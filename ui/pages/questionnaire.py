"""Questionnaire: one dimension per step, only the questions that apply, autosaved.

Speed: an answer click reruns only its question (``_question``, an ``st.fragment``; in a matrix,
only the row clicked, ``ui.questions._matrix_row``): not the
router (sign-in check, navigation, cookie, sidebar), nor the rest of the page, whose widgets the
browser would otherwise receive and draw again. When the answer changed something outside the
question (``_layout``: a conditional question, a count, the status, a failed save), the page runs
again in full. Each change is written by a worker while the question is drawn
(ui/autosave.py): never lost, and a failed write is said by the next run at the latest.
"""

from functools import partial

import streamlit as st

from domain import Status
from i18n import format_decimal, t
from ui import autosave, components, flow, nav, session
from ui.questions import QUESTION_STYLE, render_question, save, scale_legend
from ui.text import literal

locale = session.locale()
draft = components.require_draft(locale)
q = draft.instrument.questionnaire
all_steps = flow.steps(q, draft.profile, draft.answers)
position = flow.step_position(q, all_steps, st.session_state.get(session.STEP_KEY))
step = all_steps[position]
last = position == len(all_steps) - 1
shown_status = draft.status
st.query_params["step"] = step.id  # a reload (F5) comes back to this step (ui/continuity.py)


def _leave(landing: str) -> None:
    """Save the step (recording where the firm is) and show ``landing`` next."""
    fresh = flow.steps(q, draft.profile, draft.answers)
    current = fresh[flow.step_position(q, fresh, step.id)]
    save(draft, flow.savable_changes(q, draft.answers, [x.id for x in current.questions]), step=landing)
    st.session_state[session.STEP_KEY] = landing
    draft.show_code = False


def _move(delta: int) -> None:
    """Back/Next: save the step and move; Next waits for valid answers."""
    fresh = flow.steps(q, draft.profile, draft.answers)
    here = flow.step_position(q, fresh, step.id)
    current = fresh[here]
    if delta > 0 and flow.step_errors(q, current, draft.answers, locale):
        session.flash("error", t("app.questionnaire.fix_first", locale))
        return
    target = here + delta
    _leave(fresh[target].id if 0 <= target < len(fresh) else current.id)
    if target >= len(fresh):
        session.go_to(nav.RESULTS)


def _number(value: int) -> str:
    return format_decimal(value, locale, 0)


def _step_list(counts: list[flow.StepCount]) -> None:
    """Every step's name in advance, the current one marked, with answered and remaining counts."""
    lines = []
    for n, count in enumerate(counts, start=1):
        name = count.step.dimension.label.get(locale)  # the instrument's text (trusted, typography kept)
        if count.step.id == step.id:
            name = f"**{name}** ({t('app.questionnaire.step_current', locale)})"
        lines.append(t("app.questionnaire.step_line", locale, n=n, name=name, answered=_number(count.answered),
                       total=_number(count.total), remaining=_number(count.remaining)))
    with st.container(border=True, key="step-list"):
        st.markdown(f"**{t('app.questionnaire.steps_title', locale)}**\n\n" + "\n".join(lines))


def _unanswered(counts: list[flow.StepCount]) -> None:
    """On the last step, before the results: the questions still without an answer, step by step,
    with a way to each step."""
    with st.container(border=True, key="unanswered"):
        st.subheader(t("app.questionnaire.unanswered_title", locale))
        open_steps = [c for c in counts if c.unanswered]
        if not open_steps:
            st.success(t("app.questionnaire.all_answered", locale), icon=":material/task_alt:")
            return
        st.markdown(t("app.questionnaire.unanswered_intro", locale))
        for count in open_steps:
            name = count.step.dimension.label.get(locale)
            questions = "\n".join(f"- {x.label.get(locale)}" for x in count.unanswered)
            st.markdown(t("app.questionnaire.unanswered_step", locale, name=name, count=_number(len(count.unanswered)))
                        + "\n" + questions)
            if not count.enough:
                st.warning(t("app.questionnaire.unanswered_required", locale), icon=":material/priority_high:")
            if count.step.id != step.id:
                st.button(t("app.questionnaire.go_to_step", locale, name=name), key=f"goto_{count.step.id}",
                          on_click=_leave, args=(count.step.id,), icon=":material/arrow_upward:")


def _layout() -> tuple[object, ...]:
    """Everything on this page, outside one question, that an answer can change: the steps, the
    step shown and its questions (conditional ones come and go), which questions have an answer
    (the counts, the unanswered list), the status (a change reopens a completed assessment) and
    whether the last save failed. In a guided session every answer counts as a change: the whole
    app then runs, so the router checks the advisor's sign-in again before the next save (a
    fragment run skips the router)."""
    fresh = flow.steps(q, draft.profile, draft.answers)
    here = flow.step_position(q, fresh, st.session_state.get(session.STEP_KEY))
    answered = tuple(c.answered for c in flow.step_counts(q, draft.profile, draft.answers))
    return (session.draft() is draft, tuple(s.id for s in fresh), here, tuple(x.id for x in fresh[here].questions),
            answered, draft.status, bool(draft.save_error), repr(sorted(draft.answers.items())) if draft.writer else None,
            tuple(flow.field_error(q, x, draft.answers.get(x.id), locale) for x in fresh[here].questions))


def _guard(layout: tuple[object, ...]) -> None:
    """In a question's or a matrix row's own run: the whole page runs again when the answer changed
    more than that part (``_layout``), or when its write, done meanwhile, failed."""
    if _layout() != layout:
        st.rerun()
    if autosave.finished(draft):  # its write is done (never waited for here): a failure is shown now
        autosave.settle(draft)
        if _layout() != layout:
            st.rerun()


@st.fragment
def _question(question_id: str, layout: tuple[object, ...]) -> None:
    """One question: an answer to it reruns only this (a matrix: only the row clicked), unless it
    changed the rest of the page (``_layout``), which then runs again in full."""
    guard = partial(_guard, layout)
    guard()
    question = next(x for x in step.questions if x.id == question_id)
    render_question(q, question, draft, locale, flow.field_error(q, question, draft.answers.get(question.id), locale), guard)
    guard()


def _step_body() -> None:
    """The step list with its counts, the step's questions (each its own fragment) and, on the last
    step, the unanswered questions."""
    counts = flow.step_counts(q, draft.profile, draft.answers)
    layout = _layout()
    _step_list(counts)
    st.header(step.dimension.label.get(locale))
    st.caption(step.dimension.description.get(locale))
    st.html(QUESTION_STYLE)
    explained: set[str] = set()
    for question in step.questions:
        scale = flow.defined_scale(q, question)
        if scale is not None and scale.id not in explained:  # what each answer means, where the scale is first used
            scale_legend(scale, locale)
            explained.add(scale.id)
        _question(question.id, layout)
        st.divider()
    if draft.save_error:
        st.warning(t("app.questionnaire.save_failed", locale, detail=draft.save_error), icon=":material/sync_problem:")
    if last:
        _unanswered(counts)


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
_step_body()

back, forward = st.columns(2)
back.button(t("app.questionnaire.back", locale), key="back", disabled=position == 0, on_click=_move, args=(-1,),
            icon=":material/arrow_back:", width="stretch")
forward.button(t("app.questionnaire.to_results" if last else "app.questionnaire.next", locale), key="next", type="primary",
               on_click=_move, args=(1,), icon=":material/arrow_forward:", width="stretch")
