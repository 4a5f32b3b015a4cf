"""Resuming an assessment by its code (typed on the Resume page or from a ``?resume=`` link)."""

from __future__ import annotations

import streamlit as st

from i18n import t
from reports.resume_card import resume_link
from ui import session
from ui.client import client_address
from ui.navigation import SPECS

MAX_CODE_LENGTH = 64
PAGE_PATHS = tuple(spec.url_path for spec in SPECS.values() if spec.url_path)


def display_code(normalized: str) -> str:
    """A normalised code in the groups of four it was handed out in."""
    return "-".join(normalized[i:i + 4] for i in range(0, len(normalized), 4))


def root_of(url: str, page_paths: tuple[str, ...] = PAGE_PATHS) -> str:
    """The app's root address from a page's address (``st.context.url`` ends with the page's path)."""
    trimmed = url.rstrip("/")
    for path in page_paths:
        if trimmed.endswith("/" + path):
            return trimmed.removesuffix("/" + path)
    return trimmed


def private_link(code: str, locale: str) -> str:
    """``<app root>/?resume=CODE``: opening it resumes the assessment (app.py); the root is the
    address this browser uses, so the link works behind any proxy the firm reached us through."""
    return resume_link(root_of(st.context.url or ""), code, locale)


def resume_with_code(code: str, locale: str) -> bool:
    """Open the assessment behind ``code`` and leave a message for the next page.

    A wrong, tampered or deleted code gets the same message, so it reveals nothing.
    """
    from storage import TooManyAttempts, normalize

    cleaned = code.strip()
    if not cleaned:
        session.flash("warning", t("app.resume.empty", locale))
        return False
    try:
        view = session.repository().resume(cleaned[:MAX_CODE_LENGTH], client_key=session.client_key(),
                                            client_address=client_address())
    except TooManyAttempts as exc:
        session.flash("error", t("app.resume.wait", locale, seconds=max(1, round(exc.retry_after_seconds))))
        return False
    if view is None:
        session.flash("error", t("app.resume.unknown", locale))
        return False
    session.open_view(view, resume_code=display_code(normalize(cleaned)))
    session.flash("success", t("app.resume.done", locale))
    return True
