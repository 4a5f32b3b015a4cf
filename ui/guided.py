"""Advisor pages' shared pieces: the signed-in principal, the open client file, the guided
session (notes beside each question), labels."""

from __future__ import annotations

import streamlit as st

from auth import Principal, Role
from domain import Assessment
from i18n import format_date, t
from questionnaires.model import Question
from services.advisor import GuidedWriter, QuestionNotes
from storage import AssessmentNotFound
from ui import cache, nav, session
from ui.auth import current_principal

SELECTED_KEY = "advisor_assessment"  # the client file open on the advisor pages (an assessment id)


def require(role: Role, locale: str) -> Principal:
    """The principal if it holds ``role`` (pages are only registered for it; this is the second lock)."""
    principal = current_principal()
    if principal is None or not principal.has(role):
        st.info(t("advisor.sign_in.expired", locale))
        st.stop()
    assert principal is not None
    return principal


def selected() -> str | None:
    found = st.session_state.get(SELECTED_KEY)
    return found if isinstance(found, str) else None


def select(assessment_id: str) -> None:
    st.session_state[SELECTED_KEY] = assessment_id


def open_selected(principal: Principal, locale: str) -> Assessment:
    """The open client file's assessment, checked for this advisor (else a message and stop)."""
    assessment_id = selected()
    if assessment_id is None:
        st.info(t("advisor.client.none", locale))
        st.page_link(nav.CASELOAD, label=t("advisor.page.caseload", locale), icon=":material/groups:")
        st.stop()
    assert assessment_id is not None
    try:
        return cache.advisor_service().open(principal, assessment_id)
    except AssessmentNotFound:
        st.session_state.pop(SELECTED_KEY, None)
        st.error(t("advisor.client.not_found", locale))
        st.stop()
        raise


def start_guided_session(principal: Principal, assessment_id: str) -> None:
    """Open the client's assessment in the questionnaire, saving through the advisor service."""
    service = cache.advisor_service()
    view = service.open(principal, assessment_id)
    draft = session.open_view(view)
    draft.writer = GuidedWriter(service, principal, {k or "": v for k, v in service.notes(principal, assessment_id).items()})
    select(assessment_id)


def notes_panel(question: Question, draft: session.Draft, locale: str) -> None:
    """Beside a question in a guided session: its help, a private note and a shared note, each
    saved as soon as it changes."""
    writer = draft.writer
    if writer is None:
        return
    notes = writer.notes.get(question.id, QuestionNotes())
    if question.help:
        st.caption(f"**{t('advisor.notes.help', locale)}** — {question.help.get(locale)}")
    for visibility in ("private", "shared"):
        key = f"note:{visibility}:{question.id}"
        st.session_state.setdefault(key, getattr(notes, visibility))
        st.text_area(t(f"advisor.notes.{visibility}", locale), key=key, height=68, max_chars=10_000,
                     on_change=_note_changed, args=(question.id, visibility))


def _note_changed(question_id: str, visibility: str) -> None:
    current = session.draft()
    if current is None or current.writer is None:
        return
    body = str(st.session_state.get(f"note:{visibility}:{question_id}", ""))
    w = current.writer
    w.service.set_note(w.principal, current.assessment_id, question_id, visibility, body)
    old = w.notes.get(question_id, QuestionNotes())
    w.notes[question_id] = QuestionNotes(body, old.shared) if visibility == "private" else QuestionNotes(old.private, body)


def status_label(status: str, locale: str) -> str:
    return t(f"advisor.status.{status}", locale)


def date_label(value: object, locale: str) -> str:
    from datetime import date, datetime

    if isinstance(value, datetime):
        return format_date(value.date(), locale)
    return format_date(value, locale) if isinstance(value, date) else "—"
