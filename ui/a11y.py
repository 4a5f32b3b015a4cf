"""Accessibility fixes Streamlit does not make itself (WCAG 2.1 AA), installed once per page by app.py.

- Focus rings: a 3 px outline (#0b57d0: 6.4:1 on white, 5.7:1 on the sidebar's grey; WCAG 1.4.11
  asks 3:1) on whatever has keyboard focus. Radio buttons and checkboxes hide their input, so the
  ring goes around their label; select boxes and text fields get it around their visible box.
- Help icons: Streamlit names them "Help for <label>" in English whatever the page language; the
  names are rewritten in the page's language (and again when the language changes).
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
*:focus-visible, [data-testid="stMain"] h1[tabindex="-1"]:focus-visible {{
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
  const helpNames = () => {
    const text = w.__dmA11yText;
    d.querySelectorAll('button[aria-label^="Help"], button[data-dm-help]').forEach((b) => {
      const name = b.getAttribute('aria-label') || '';  // Streamlit's own name, again after a re-render
      if (name === 'Help') b.setAttribute('data-dm-help', '');
      else if (name.startsWith('Help for ')) b.setAttribute('data-dm-help', name.slice('Help for '.length));
      else if (!b.hasAttribute('data-dm-help')) return;
      const label = b.getAttribute('data-dm-help');
      const wanted = label ? text.helpFor.replace('{label}', label) : text.help;
      if (b.getAttribute('aria-label') !== wanted) b.setAttribute('aria-label', wanted);
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
    helpNames();
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


def install(locale: str) -> None:
    """The focus rings, the help icons' names and the focus after a page change (see the module docstring)."""
    text = {"helpFor": t("app.a11y.help_for", locale, label="{label}"), "help": t("app.a11y.help", locale)}
    script = SCRIPT.replace("__STYLE__", json.dumps(STYLE))
    st.html(f"<script>window.__dmA11yText = {json.dumps(text)};{script}</script>", unsafe_allow_javascript=True)
