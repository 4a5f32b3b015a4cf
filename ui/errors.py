"""Storage failures as a short message in the firm's language, never a traceback.

Disk full, I/O errors, a read-only or missing database, a lock held too long, an assessment
deleted from another window: every page runs inside ``storage_guard`` (app.py), which logs the
error for operators (SQL without its parameters: engines use ``hide_parameters``) and shows one
sentence. The page stops where the failure happened, so the widgets above it keep what the user
typed; autosave failures are caught earlier (ui.questions.save) and keep the draft's answers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from i18n import t

log = logging.getLogger(__name__)


def storage_errors() -> tuple[type[BaseException], ...]:
    from storage.views import AssessmentNotFound, StorageUnavailable, UnknownInstrument

    return SQLAlchemyError, OSError, AssessmentNotFound, UnknownInstrument, StorageUnavailable


def message_key(exc: BaseException) -> str:
    from storage.views import AssessmentNotFound

    return "app.storage.gone" if isinstance(exc, AssessmentNotFound) else "app.storage.failed"


@contextmanager
def storage_guard(locale: str) -> Iterator[None]:
    """Run a page; a storage failure becomes one logged error and one sentence for the user."""
    try:
        yield
    except storage_errors() as exc:
        log.error("storage failure on a page: %s", type(exc).__name__, exc_info=exc)
        key = message_key(exc)
        if key == "app.storage.gone":
            from ui import session

            session.close()  # the open assessment no longer exists; forget it in this window
        st.error(t(key, locale), icon=":material/cloud_off:")
