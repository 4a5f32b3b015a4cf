"""Pieces shared by several pages: the sidebar (language, resume code), the code box and the
synthetic-data label."""

from __future__ import annotations

import streamlit as st

from i18n import LOCALES, t
from ui import nav, session

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def sidebar(locale: str) -> None:
    with st.sidebar:
        st.radio(t("app.sidebar.language", locale), LOCALES, index=LOCALES.index(locale), horizontal=True,
                 format_func=LANGUAGE_NAMES.__getitem__, key="language_choice", on_change=_language_changed)
        draft = session.draft()
        if draft is None:
            return
        if draft.profile.name:
            # Plain text, not Markdown: escaping cannot stop Markdown from turning a URL into a link.
            st.text(t("app.sidebar.firm", locale, name=" ".join(draft.profile.name.split())))
        if draft.writer is not None:  # a guided session: the advisor's pages lead on, the firm's "close" does not apply
            return
        if draft.resume_code:
            st.markdown(t("app.sidebar.code", locale))
            st.code(draft.resume_code, language=None, wrap_lines=True)
            st.caption(t("app.sidebar.code_help", locale))
        st.button(t("app.sidebar.close", locale), key="close_assessment", on_click=_close, icon=":material/logout:",
                  help=t("app.sidebar.close_help", locale))


def _close() -> None:
    from ui import continuity

    continuity.forget()  # this browser forgets it too (the cookie that brings it back after a reload)
    session.close()
    session.go_to(nav.WELCOME)


def _language_changed() -> None:
    session.set_locale(st.session_state["language_choice"])


def resume_code_box(code: str, locale: str) -> None:
    """The resume code, shown prominently once when an assessment starts."""
    with st.container(border=True, key="resume-code-box"):
        st.subheader(t("app.code.title", locale))
        st.code(code, language=None)
        st.markdown(t("app.code.explain", locale))


def require_draft(locale: str) -> session.Draft:
    """The open assessment, or a pointer to start or resume one (and stop the page)."""
    draft = session.draft()
    if draft is None:
        st.info(t("app.no_assessment", locale))
        st.page_link(nav.PROFILE, label=t("app.welcome.start", locale), icon=":material/play_arrow:")
        st.page_link(nav.RESUME, label=t("app.welcome.resume", locale), icon=":material/history:")
        st.stop()
    return draft


def synthetic_label(synthetic: bool, locale: str) -> None:
    """Say that the open firm and its assessments are demonstration data (``seed-demo --with-workspace``)."""
    if synthetic:
        st.warning(t("advisor.synthetic.file", locale), icon=":material/science:")
