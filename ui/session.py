"""Per-browser-session state: language, the open assessment, the repository.

The database is the source of truth; the session keeps a working copy (``Draft``) so pages render
without a query, and widget values are re-derived from it (widget state is dropped on page switch).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import streamlit as st

from domain import Profile
from i18n import DEFAULT_LOCALE, LOCALES
from questionnaires.registry import Instrument, get_instrument
from ui.flow import first_open_step

if TYPE_CHECKING:
    from storage.repository import Repository

LOCALE_KEY = "locale"
DRAFT_KEY = "draft"
STEP_KEY = "step"
FLASH_KEY = "flash"
GOTO_KEY = "goto"


@dataclass
class Draft:
    """The assessment open in this session (a working copy of what the database holds)."""

    assessment_id: Any
    instrument: Instrument
    profile: Profile
    answers: dict[str, Any]
    consent_statistics: bool = False
    consent_advisor: bool = False
    status: str = "draft"
    resume_code: str | None = None  # known only to this session: the database keeps a hash
    save_error: str | None = None  # why the last save failed; cleared by the next successful one
    show_code: bool = False  # show the resume code in large type (just after starting)


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
        st.session_state[LOCALE_KEY] = value
        st.query_params["lang"] = value


@st.cache_resource(show_spinner=False)
def _repository(url: str | None) -> Repository:
    # Imported here: storage pulls in SQLAlchemy, which pages that never touch the database skip.
    from storage import open_repository

    return open_repository(url)


def repository() -> Repository:
    return _repository(os.environ.get("DATABASE_URL"))


def client_key() -> str:
    """A random key per browser session for the resume-attempt limit."""
    return st.session_state.setdefault("client_key", secrets.token_hex(12))


def current_instrument() -> Instrument:
    return get_instrument()


def draft() -> Draft | None:
    return st.session_state.get(DRAFT_KEY)


def open_view(view: Any, resume_code: str | None = None) -> Draft:
    """Make a stored assessment the session's open one (after resume or start)."""
    instrument = repository().instrument_for(view)  # the exact questionnaire version it was started with
    opened = Draft(view.id, instrument, view.profile, dict(view.answers), view.consent_statistics, view.consent_advisor,
                   view.status, resume_code)
    st.session_state[DRAFT_KEY] = opened
    st.session_state[STEP_KEY] = first_open_step(instrument.questionnaire, view.profile, opened.answers)
    _drop_widget_state()
    return opened


def close() -> None:
    for key in (DRAFT_KEY, STEP_KEY):
        st.session_state.pop(key, None)
    _drop_widget_state()


def close_if_deleted() -> None:
    """Forget the open assessment if it no longer exists (deleted with its code)."""
    from storage import AssessmentNotFound

    current = draft()
    if current is None:
        return
    try:
        repository().load(current.assessment_id)
    except AssessmentNotFound:
        close()


def _drop_widget_state() -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("w:")]:
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
