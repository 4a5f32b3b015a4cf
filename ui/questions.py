"""Question widgets and autosave. Widgets are seeded from the draft's answers and every change is
written back to the draft at once and, when valid, to the database (by a worker, ui/autosave.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from domain import Status
from i18n import format_decimal, t
from questionnaires.model import DONT_KNOW, AnswerScale, Question, Questionnaire
from ui import autosave, flow, session

Guard = Callable[[], None]  # run at the start and end of a row's own run: reruns the page when more changed


def _no_guard() -> None:
    return None


def render_question(q: Questionnaire, question: Question, draft: session.Draft, locale: str, error: str | None,
                    guard: Guard = _no_guard) -> None:
    for key, value in flow.widget_values(question, draft.answers.get(question.id), locale).items():
        st.session_state.setdefault(key, value)
    with st.container(key=f"question-{question.type}-{question.id}"):
        area = st.columns([3, 2], gap="medium") if draft.writer is not None else None  # guided session: notes beside
        with area[0] if area else st.container():
            if question.type in ("adoption", "npy"):
                _matrix(q, question, locale, guard)
            else:
                {"single": _single, "multi": _checklist, "number": _number}[question.type](q, question, locale)
            if error:
                st.error(error, icon=":material/error:")
        if area:
            from ui.guided import notes_panel

            with area[1]:
                notes_panel(question, draft, locale)


def scale_legend(scale: AnswerScale, locale: str) -> None:
    """What each answer of ``scale`` means, in the instrument's own words (its options' ``help``)."""
    items = [t("app.questionnaire.scale_item", locale, label=o.label.get(locale), meaning=o.help.get(locale))
             for o in scale.options if o.help]
    with st.container(key=f"scale-legend-{scale.id}"):
        st.caption(t("app.questionnaire.scale_legend", locale) + "\n" + "\n".join(f"- {item}" for item in items))


def _help(item: Any, locale: str) -> str | None:
    return item.help.get(locale) if item.help else None


# Widget labels stay plain text: Streamlit copies them into aria-label, Markdown marks included.
# QUESTION_STYLE makes single-choice and number questions as bold as the other questions' titles.
QUESTION_STYLE = ("<style>[class*='st-key-question-single-'] [data-testid='stWidgetLabel'] p,"
                  "[class*='st-key-question-number-'] [data-testid='stWidgetLabel'] p {font-weight: 600}</style>")


def _single(q: Questionnaire, question: Question, locale: str) -> None:
    st.radio(question.label.get(locale), flow.choice_options(q, question), index=None, key=flow.widget_key(question.id),
             format_func=lambda option: flow.option_label(q, question, option, locale), help=_help(question, locale),
             on_change=on_answer_change, args=(question.id,))


def _checklist(q: Questionnaire, question: Question, locale: str) -> None:
    st.markdown(f"**{question.label.get(locale)}**", help=_help(question, locale))
    st.caption(t("app.questionnaire.tick_all", locale))
    options = {o.id: o for o in question.options or []}
    for part in flow.multi_parts(question):
        option = options.get(part)
        label = option.label.get(locale) if option else t("common.dont_know", locale)
        st.checkbox(label, key=flow.widget_key(question.id, part), help=_help(option, locale) if option else None,
                    on_change=on_answer_change, args=(question.id,))


def _matrix(q: Questionnaire, question: Question, locale: str, guard: Guard) -> None:
    st.markdown(f"**{question.label.get(locale)}**", help=_help(question, locale))
    for item in question.items or []:
        _matrix_row(q, question, item.id, locale, guard)


@st.fragment
def _matrix_row(q: Questionnaire, question: Question, item_id: str, locale: str, guard: Guard) -> None:
    """One row of a matrix: a click reruns only this row (the browser redraws one radio group, not
    the whole matrix); ``guard`` reruns the page when the click changed anything else."""
    guard()
    item = next(i for i in question.items or [] if i.id == item_id)
    st.radio(item.label.get(locale), flow.choice_options(q, question), index=None, horizontal=True,
             key=flow.widget_key(question.id, item.id),
             format_func=lambda option: flow.option_label(q, question, option, locale), help=_help(item, locale),
             on_change=on_answer_change, args=(question.id,))
    guard()


def _number(q: Questionnaire, question: Question, locale: str) -> None:
    label = question.label.get(locale) + (f" ({question.unit.get(locale)})" if question.unit else "")
    dont_know = question.dont_know and bool(st.session_state.get(flow.widget_key(question.id, DONT_KNOW)))
    # A text field, not st.number_input: the browser's number field drops a French decimal comma
    # ("2,5" arrived as 25). The text is read in the firm's language (scoring.kinds.number.parse_text)
    # and anything that is not a number, or out of range, gets a message in that language.
    st.text_input(label, key=flow.widget_key(question.id), help=_help(question, locale), disabled=dont_know,
                  placeholder=t("app.questionnaire.number_example", locale), on_change=on_answer_change, args=(question.id,))
    st.caption(t("app.questionnaire.range", locale, min=format_decimal(question.min, locale, 0),
                 max=format_decimal(question.max, locale, 0)))
    if question.dont_know:
        st.checkbox(t("common.dont_know", locale), key=flow.widget_key(question.id, DONT_KNOW),
                    on_change=on_answer_change, args=(question.id,))


def on_answer_change(question_id: str) -> None:
    """Widget callback: update the draft and save the answer if it can be saved."""
    draft = session.draft()
    if draft is None:  # a new server session (after a restart) knows neither the assessment nor this
        st.rerun()  # question's fragment: the whole app runs, reopens it from the cookie and says so
    q = draft.instrument.questionnaire
    question = next(x for x in q.questions if x.id == question_id)
    value = flow.answer_from_widgets(question, st.session_state, session.locale())
    if value is None:
        draft.answers.pop(question_id, None)
    else:
        draft.answers[question_id] = value
    if not flow.is_savable(q, question, value):
        return
    if autosave.in_background(draft):
        autosave.submit(draft, session.repository(), {question_id: value})
    else:
        save(draft, {question_id: value})


def save(draft: session.Draft, changes: dict[str, Any], step: str | None = None) -> bool:
    """Write answers to the database now (after any write in flight); on failure keep them in the
    session and say so."""
    from sqlalchemy.exc import SQLAlchemyError

    from scoring.answers import InvalidAnswers
    from storage import AssessmentNotFound

    autosave.settle(draft)
    try:
        view = session.writer(draft).save_answers(draft.assessment_id, changes, step=step)
    except (InvalidAnswers, AssessmentNotFound, SQLAlchemyError) as exc:  # the session keeps what the firm typed
        draft.save_error = type(exc).__name__
        return False
    reopened = draft.saved.status == Status.COMPLETED and view.status != Status.COMPLETED
    autosave.written(draft, changes)
    draft.saved, draft.save_error = view, None  # only a real change reopens a completed assessment
    if reopened:
        session.flash("info", t("app.questionnaire.reopened", session.locale()))
    return True
