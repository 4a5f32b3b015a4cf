"""Router of the self-assessment app: page set-up, language, resume links, navigation.

Run with ``make run`` (``streamlit run server.py``: this script plus the sign-in routes). Pages live in ui/pages/;
which pages exist depends on who is signed in (ui/navigation.py).
"""

import streamlit as st

from ui import a11y, auth, components, continuity, nav, navigation, offline, resume, session
from ui.errors import storage_guard

offline.no_address_lookups()  # Streamlit's address lookups would call third parties (ui/offline.py)

# The tab shows the page title in the chosen language. An emoji favicon is drawn locally; a
# :material/...: one would be fetched from fonts.gstatic.com (a third-party call).
st.set_page_config(page_icon="📊", layout="centered")
locale = session.locale()

principal = auth.resolve()  # the sign-in is checked in the database on every rerun (ui/auth.py)
session.guard_draft(principal)  # a guided session never outlives its advisor's sign-in
pages = navigation.pages(principal, locale)  # only the pages of the principal's roles (auth.pages_for)
page = st.navigation(list(pages.values()))

link_code = st.query_params.get("resume")
if link_code is not None and principal is None:
    del st.query_params["resume"]  # the code should not linger in the address bar or history
    with storage_guard(locale):
        if resume.resume_with_code(link_code, locale):
            st.switch_page(pages[nav.QUESTIONNAIRE])
        st.switch_page(pages[nav.RESUME])

restored = False
with storage_guard(locale):  # a reload or a server restart: this browser's open self-assessment comes back
    restored = principal is None and continuity.restore(locale)
continuity.keep(locale)  # the cookie that makes that possible, <html lang>, the offline banner (ui/continuity.py)
a11y.install(locale)  # focus rings, help icons named in the page's language, focus on the h1 after a page change
if restored and page.url_path == "" and nav.QUESTIONNAIRE in pages:
    st.switch_page(pages[nav.QUESTIONNAIRE])

requested = session.requested_page()  # set by widget callbacks, which run before pages exist
if requested in pages:
    st.switch_page(pages[requested])

components.sidebar(locale)
with storage_guard(locale):  # a storage failure is one sentence in the firm's language, never a traceback
    page.run()
