"""Pieces shared by several pages: the sidebar (language, resume code), the code box and the
synthetic-data label."""

from __future__ import annotations

import datetime as dt
import html
from functools import partial

import streamlit as st

from i18n import LOCALES, t
from reports.resume_card import pdf_card, text_card
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
            keep_code(draft.resume_code, locale, "sidebar")
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
        keep_code(code, locale, "box")


# Copying happens in the browser (navigator.clipboard); where it is unavailable (an insecure
# address, a refused permission) the link is selected in its field and the firm is told to press
# Ctrl+C. One delegated listener serves every copy button of the page.
COPY_SCRIPT = """<script>
(() => {
  if (window.__dmCopy) return; window.__dmCopy = true;
  document.addEventListener('click', async (event) => {
    const button = event.target.closest('[data-dm-copy]'); if (!button) return;
    const field = document.getElementById(button.dataset.dmCopy);
    const status = document.getElementById(button.dataset.dmCopy + '-status');
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard');
      await navigator.clipboard.writeText(field.value);
      status.textContent = button.dataset.done;
    } catch (error) {
      field.focus(); field.select();
      status.textContent = button.dataset.fallback;
    }
  });
})();
</script>"""
COPY_STYLE = """<style>
.dm-copy label {display:block;font-weight:600;margin-bottom:.25rem}
.dm-copy input {width:100%;box-sizing:border-box;font:inherit;font-size:.9rem;padding:.4rem .5rem;border:1px solid #6b6b6b;
  border-radius:.4rem;background:#fff;color:#1a1a1a}
.dm-copy button {margin-top:.4rem;font:inherit;padding:.35rem .8rem;border:1px solid #6b6b6b;border-radius:.5rem;
  background:#fff;color:#1a1a1a;cursor:pointer}
.dm-copy button:hover {border-color:#1a1a1a}
.dm-copy [role=status] {margin:.3rem 0 0;font-size:.9rem;min-height:1.2em}
</style>"""


def keep_code(code: str, locale: str, where: str) -> None:
    """The private link (to bookmark or copy, in the browser) and the card to download (text or PDF).

    The card is built here and goes to this browser only; nothing is sent anywhere else."""
    from ui.resume import private_link

    link = private_link(code, locale)
    field = f"dm-link-{where}"
    st.html(f"""{COPY_STYLE}<div class="dm-copy">
<label for="{field}">{html.escape(t("resume_card.link", locale))}</label>
<input id="{field}" type="text" readonly value="{html.escape(link)}" spellcheck="false">
<button type="button" data-dm-copy="{field}" data-done="{html.escape(t("resume_card.copied", locale))}"
 data-fallback="{html.escape(t("resume_card.copy_fallback", locale))}">{html.escape(t("resume_card.copy", locale))}</button>
<p id="{field}-status" role="status" aria-live="polite"></p>
</div>{COPY_SCRIPT}""", unsafe_allow_javascript=True)
    st.caption(t("resume_card.private_note", locale))
    today = dt.date.today()
    name = f"{t('resume_card.file_name', locale)}-{code}"
    st.download_button(t("resume_card.download_pdf", locale), data=partial(pdf_card, code, link, locale, today),
                       file_name=f"{name}.pdf", mime="application/pdf", on_click="ignore", key=f"resume_card_pdf_{where}",
                       icon=":material/picture_as_pdf:")
    st.download_button(t("resume_card.download_text", locale), data=partial(text_card, code, link, locale, today),
                       file_name=f"{name}.txt", mime="text/plain", on_click="ignore", key=f"resume_card_text_{where}",
                       icon=":material/description:")


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
