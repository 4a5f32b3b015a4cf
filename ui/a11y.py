"""Accessibility fixes Streamlit does not make itself (WCAG 2.1 AA), installed once per page by app.py.

- Focus rings: a 3 px outline (#0b57d0: 6.4:1 on white, 5.7:1 on the sidebar's grey; WCAG 1.4.11
  asks 3:1) on whatever has keyboard focus. Radio buttons and checkboxes hide their input, so the
  ring goes around their label; select boxes and text fields get it around their visible box.
- Accessible names: Streamlit writes its own in English whatever the page language (help icons'
  "Help for <label>", "Link to heading", "Collapse sidebar", "Copy to clipboard", …); they are
  rewritten in the page's language, and again when the language changes (the English original is
  kept in ``data-dm-name``).
- Focus after a page change: Streamlit leaves it on the body (or on the button that was pressed),
  so keyboard and screen-reader users start nowhere. When the page or the questionnaire step
  (``?step=``) changes, focus moves to the page's h1 once the run has finished.
- Caption contrast comes from the theme (.streamlit/config.toml ``textColor``).

The script is guarded so it installs its observer once per browser tab; each run refreshes only
the strings of the current language.
"""

from __future__ import annotations

import json

import streamlit as st

from i18n import t

FOCUS_COLOUR = "#0b57d0"

STYLE = f"""
*:focus-visible {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px !important; }}
label:has(input[type="radio"]:focus-visible), label:has(input[type="checkbox"]:focus-visible),
[data-baseweb="select"] > div:has(input:focus-visible), [data-baseweb="input"]:has(input:focus-visible),
[data-baseweb="textarea"]:has(textarea:focus-visible) {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px !important; border-radius: .4rem; }}
"""

SCRIPT = """
(() => {
  const w = window, d = document;
  if (w.__dmA11y) { w.__dmA11y.refresh(); return; }
  const style = d.createElement('style'); style.id = 'dm-a11y-style'; style.textContent = __STYLE__; d.head.appendChild(style);
  const streamlitName = (name) => name === 'Help' || name.startsWith('Help for ') || Object.hasOwn(w.__dmA11yText.names, name);
  const translated = (original) => {
    const text = w.__dmA11yText;
    if (original === 'Help') return text.help;
    if (original.startsWith('Help for ')) return text.helpFor.replace('{label}', () => original.slice('Help for '.length));
    return text.names[original];
  };
  const names = () => {
    d.querySelectorAll('[aria-label]').forEach((e) => {
      const name = e.getAttribute('aria-label');
      if (streamlitName(name)) e.setAttribute('data-dm-name', name);  // Streamlit's own, again after a re-render
      else if (!e.hasAttribute('data-dm-name')) return;
      const wanted = translated(e.getAttribute('data-dm-name'));
      if (name !== wanted) e.setAttribute('aria-label', wanted);
    });
  };
  const place = () => location.pathname + '|' + (new URLSearchParams(location.search).get('step') || '');
  let focused = null, pending = null;
  const focusHeading = () => {
    const app = d.querySelector('[data-testid="stApp"]');
    if (!pending || !app || app.getAttribute('data-test-script-state') === 'running') return;
    const h1 = d.querySelector('[data-testid="stMain"] h1');
    if (!h1) return;
    h1.setAttribute('tabindex', '-1');
    h1.focus({preventScroll: true});
    focused = pending; pending = null;
  };
  const check = () => {
    names();
    const here = place();
    if (here !== focused) pending = here;
    focusHeading();
  };
  let queued = false;
  const soon = () => { if (!queued) { queued = true; setTimeout(() => { queued = false; check(); }, 0); } };
  w.__dmA11y = {refresh: check};
  new MutationObserver(soon).observe(d.body, {subtree: true, childList: true, attributes: true,
                                               attributeFilter: ['data-test-script-state', 'aria-label']});
  check();
})();
"""


# Streamlit's English accessible names -> the strings that replace them.
STREAMLIT_NAMES = {
    "App pages": "app_pages", "Sidebar": "sidebar", "Collapse sidebar": "collapse_sidebar", "Expand sidebar": "expand_sidebar",
    "Copy to clipboard": "copy", "Link to heading": "heading_link", "progress": "progress", "Dismiss": "dismiss", "Open": "open",
    "Clear all": "clear_all", "Selected values": "selected_values", "Download as PNG": "download_png", "Show data": "show_data",
    "Fullscreen": "fullscreen", "Close fullscreen": "close_fullscreen", "Main menu": "main_menu",
}


def install(locale: str) -> None:
    """The focus rings, Streamlit's accessible names in the page's language and the focus after a
    page change (see the module docstring)."""
    text = {"helpFor": t("app.a11y.help_for", locale, label="{label}"), "help": t("app.a11y.help", locale),
            "names": {name: t(f"app.a11y.name.{key}", locale) for name, key in STREAMLIT_NAMES.items()}}
    script = SCRIPT.replace("__STYLE__", json.dumps(STYLE))
    st.html(f"<script>window.__dmA11yText = {json.dumps(text)};{script}</script>", unsafe_allow_javascript=True)
