"""Per-browser-session state: language, the open assessment, the repository.

The database is the source of truth; the session keeps a working copy (``Draft``) so pages render
without a query, and widget values are re-derived from it (widget state is dropped on page switch).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import streamlit as st

from domain import Assessment, MutableAnswers, Profile, Status
from domain.values import frozen_answers
from i18n import DEFAULT_LOCALE, LOCALES
from questionnaires.registry import Instrument, get_instrument
from ui.flow import first_open_step

if TYPE_CHECKING:
    from concurrent.futures import Future

    from auth import Principal
    from services.advisor import GuidedWriter
    from storage.repository import Repository

LOCALE_KEY = "locale"
DRAFT_KEY = "draft"
STEP_KEY = "step"
FLASH_KEY = "flash"
GOTO_KEY = "goto"


@dataclass
class Draft:
    """The assessment open in this session: its last saved state (``saved``, what the database
    holds) and the working copy of its answers (which may hold input not yet valid to save)."""

    saved: Assessment
    instrument: Instrument  # the questionnaire version the assessment was started with
    answers: MutableAnswers
    resume_code: str | None = None  # known only to this session: the database keeps a hash
    save_error: str | None = None  # why the last save failed; cleared by the next successful one
    show_code: bool = False  # show the resume code in large type (just after starting)
    writer: GuidedWriter | None = None  # a guided session: saves go through the advisor service (checked, logged)
    pending: dict[str, Any] = field(default_factory=dict)  # answers not yet confirmed written (ui/autosave.py)
    inflight: Future[Any] | None = None  # the write in progress, if any

    @property
    def assessment_id(self) -> str:
        return self.saved.id

    @property
    def profile(self) -> Profile:
        return self.saved.profile

    @property
    def status(self) -> Status:
        return self.saved.status

    @property
    def consent_statistics(self) -> bool:
        return self.saved.consents.statistics

    @property
    def consent_advisor(self) -> bool:
        return self.saved.consents.advisor


def locale() -> str:
    """The session language: session state, else ``?lang=``, else French."""
    current = st.session_state.get(LOCALE_KEY)
    if current not in LOCALES:
        requested = st.query_params.get("lang")
        current = requested if requested in LOCALES else DEFAULT_LOCALE
        st.session_state[LOCALE_KEY] = current
    if st.query_params.get("lang") != current:
        st.query_params["lang"] = current  # keeps the language in links and across reloads
    return current


def set_locale(value: str) -> None:
    if value in LOCALES:
        if st.session_state.get(LOCALE_KEY) != value:
            # Choice widgets send their *displayed* label back to the server: after a language
            # switch the old label matches no option and the answer would show as blank. Their
            # state is dropped, so they are drawn again from the draft's answers in the new language.
            _drop_widget_state(prefixes=("w:", "whatif_"))
        st.session_state[LOCALE_KEY] = value
        st.query_params["lang"] = value


def repository() -> Repository:
    # Imported here: storage pulls in SQLAlchemy, which pages that never touch the database skip.
    from ui.cache import repository as cached

    return cached()


def client_key() -> str:
    """A random key per browser session for the resume-attempt limit."""
    return st.session_state.setdefault("client_key", secrets.token_hex(12))


def current_instrument() -> Instrument:
    return get_instrument()


def draft() -> Draft | None:
    return st.session_state.get(DRAFT_KEY)


def open_view(view: Assessment, resume_code: str | None = None) -> Draft:
    """Make a stored assessment the session's open one (after resume or start)."""
    instrument = repository().instrument_for(view)  # the exact questionnaire version it was started with
    opened = Draft(view, instrument, dict(frozen_answers(view.answers)), resume_code)
    st.session_state[DRAFT_KEY] = opened
    st.session_state[STEP_KEY] = first_open_step(instrument.questionnaire, view.profile, opened.answers)
    _drop_widget_state()
    return opened


def writer(current: Draft) -> GuidedWriter | Repository:
    """Where the draft's answers are saved: the advisor service in a guided session, else storage."""
    return current.writer if current.writer is not None else repository()


def guard_draft(principal: Principal | None) -> None:
    """Run on every rerun: the write of the last answer is collected first (ui/autosave.py), and a
    guided session's draft follows its advisor's sign-in (refreshed principal), and is closed as
    soon as that sign-in ends or another person signs in."""
    from ui import autosave

    current = draft()
    if current is not None:
        autosave.settle(current)
    if current is None or current.writer is None:
        return
    if principal is None or principal.user_id != current.writer.principal.user_id:
        close()
    else:
        current.writer.principal = principal


def close() -> None:
    from ui import autosave

    current = draft()
    if current is not None:
        autosave.settle(current)  # the last answer is written before the window forgets the assessment
    for key in (DRAFT_KEY, STEP_KEY):
        st.session_state.pop(key, None)
    _drop_widget_state()


def close_if_deleted() -> bool:
    """Forget the open assessment if it no longer exists (deleted with its code); True if it was forgotten."""
    from storage import AssessmentNotFound

    current = draft()
    if current is None:
        return False
    try:
        repository().load(current.assessment_id)
    except AssessmentNotFound:
        close()
        return True
    return False


def _drop_widget_state(prefixes: tuple[str, ...] = ("w:",)) -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefixes)]:
        del st.session_state[key]


def go_to(page_path: str) -> None:
    """Ask the router for another page; usable in widget callbacks (st.switch_page is not)."""
    st.session_state[GOTO_KEY] = page_path


def requested_page() -> str | None:
    return st.session_state.pop(GOTO_KEY, None)


def flash(kind: str, message: str) -> None:
    """A message shown once on the next page rendered (survives st.switch_page)."""
    st.session_state[FLASH_KEY] = (kind, message)


def show_flash() -> None:
    kind, message = st.session_state.pop(FLASH_KEY, (None, None))
    if message:
        getattr(st, kind)(message)
