"""The open assessment survives a reload (F5) and a server restart, and the firm sees when the
server is away.

Design (stated on the privacy page): while an assessment is open, a first-party cookie on this
browser, ``dm_resume``, holds its resume code (SameSite=Strict, path /, 180 days like a draft; the
server still keeps only the code's hash). A new browser session (a reload, or the reconnection
after a restart) reopens the assessment from it, on the step named in the address (``?step=``),
and says so. *Close this assessment* and deleting it erase the cookie. Nothing is sent anywhere:
the cookie only goes back to this server.

Streamlit reads cookies once per browser session (at the WebSocket handshake), so a session
that closed or deleted its assessment must not reopen it from the cookie it started with:
``CLOSED_KEY`` records that.

While the connection is lost, a bilingual banner replaces Streamlit's developer dialog; when it
comes back, the page is loaded again (a restarted server would otherwise drop the next click in a
question, ui/pages/questionnaire.py, without a word).
"""

from __future__ import annotations

import json

import streamlit as st

from i18n import t
from ui import session

COOKIE = "dm_resume"
MAX_AGE_SECONDS = 180 * 24 * 3600
CLOSED_KEY = "resume_cookie_closed"
WRITTEN_KEY = "resume_cookie_written"
STEP_PARAM = "step"


def forget() -> None:
    """Erase the cookie at the next run and never reopen from it in this browser session (usable in callbacks)."""
    st.session_state[CLOSED_KEY] = True
    st.session_state[WRITTEN_KEY] = ""


def restore(locale: str) -> bool:
    """Reopen the assessment named by this browser's cookie when the session has none open."""
    if session.draft() is not None or st.session_state.get(CLOSED_KEY):
        return False
    code = _cookie()
    if not code:
        return False
    from storage import TooManyAttempts, normalize
    from ui.resume import MAX_CODE_LENGTH, display_code

    try:
        view = session.repository().resume(code[:MAX_CODE_LENGTH], client_key=session.client_key())
    except TooManyAttempts:
        return False
    if view is None:  # deleted elsewhere, or expired: the cookie goes
        forget()
        return False
    session.open_view(view, resume_code=display_code(normalize(code)))
    step = st.query_params.get(STEP_PARAM)
    if step:
        st.session_state[session.STEP_KEY] = step
    session.flash("info", t("app.continuity.restored", locale))
    return True


def _cookie() -> str | None:
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:  # AppTest and bare runs have no request cookies
        return None


def keep(locale: str) -> None:
    """Write or erase the cookie when it changes, and install the connection banner."""
    draft = session.draft()
    wanted = draft.resume_code if draft is not None and draft.resume_code else None
    if wanted is not None and st.session_state.get(CLOSED_KEY) and st.session_state.get(WRITTEN_KEY) != wanted:
        st.session_state.pop(CLOSED_KEY)  # a new assessment was started or resumed in this session
    written = st.session_state.get(WRITTEN_KEY)
    script = ""
    if wanted is not None and written != wanted:
        script = (f"document.cookie = {json.dumps(f'{COOKIE}={wanted}')} + "
                  f"'; Path=/; Max-Age={MAX_AGE_SECONDS}; SameSite=Strict';")
        st.session_state[WRITTEN_KEY] = wanted
    elif wanted is None and written == "":
        script = f"document.cookie = '{COOKIE}=; Path=/; Max-Age=0; SameSite=Strict';"
        st.session_state[WRITTEN_KEY] = None
    message = json.dumps(t("app.continuity.offline", locale))
    st.html(f"""<script>{script}
(() => {{
  const w = window.parent || window; const d = w.document;
  d.documentElement.lang = {json.dumps(locale)};
  w.__dmOffline = {message};
  if (w.__dmWatch) return; w.__dmWatch = true;
  const style = d.createElement('style');
  style.textContent = '#dm-offline {{position:fixed;top:0;left:0;right:0;z-index:1000000;background:#7a1212;color:#fff;'
    + 'padding:.8rem 1rem;font-size:1rem;text-align:center}}';
  d.head.appendChild(style);
  const check = () => {{
    const app = d.querySelector('[data-testid="stApp"]'); if (!app) return;
    const state = app.getAttribute('data-test-connection-state');
    let banner = d.getElementById('dm-offline');
    if (state && state !== 'CONNECTED') {{
      w.__dmLost = true;
      if (!banner) {{ banner = d.createElement('div'); banner.id = 'dm-offline'; banner.setAttribute('role', 'alert');
                     d.body.appendChild(banner); }}
      banner.textContent = w.__dmOffline;
    }} else if (state === 'CONNECTED' && w.__dmLost) {{
      // Back after a loss: the server may be a new one, which would silently drop a click inside
      // a fragment (it knows none): load the page again, which reopens the assessment and says so.
      w.__dmLost = false; w.location.reload();
    }} else if (banner) {{ banner.remove(); }}
  }};
  new MutationObserver(check).observe(d.body, {{subtree: true, attributes: true,
                                               attributeFilter: ['data-test-connection-state']}});
}})();
</script>""", unsafe_allow_javascript=True)
