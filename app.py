"""Router of the self-assessment app: page set-up, language, resume links, navigation.

Run with ``make run`` (or ``streamlit run app.py``). Pages live in ui/pages/.
"""

import streamlit as st

from i18n import t
from ui import components, continuity, nav, offline, resume, session

offline.no_address_lookups()  # Streamlit's address lookups would call third parties (ui/offline.py)

# The tab shows the page title in the chosen language. An emoji favicon is drawn locally; a
# :material/...: one would be fetched from fonts.gstatic.com (a third-party call).
st.set_page_config(page_icon="📊", layout="centered")
locale = session.locale()

pages = {
    nav.WELCOME: st.Page(nav.WELCOME, title=t("app.page.welcome", locale), icon=":material/home:", default=True),
    nav.PROFILE: st.Page(nav.PROFILE, title=t("app.page.profile", locale), icon=":material/business:", url_path="profile"),
    nav.QUESTIONNAIRE: st.Page(nav.QUESTIONNAIRE, title=t("app.page.questionnaire", locale), icon=":material/checklist:",
                               url_path="questionnaire"),
    nav.RESULTS: st.Page(nav.RESULTS, title=t("app.page.results", locale), icon=":material/insights:", url_path="results"),
    nav.RESUME: st.Page(nav.RESUME, title=t("app.page.resume", locale), icon=":material/history:", url_path="resume"),
    nav.PRIVACY: st.Page(nav.PRIVACY, title=t("app.page.privacy", locale), icon=":material/shield:", url_path="privacy"),
}
page = st.navigation(list(pages.values()))

link_code = st.query_params.get("resume")
if link_code is not None:
    del st.query_params["resume"]  # the code should not linger in the address bar or history
    if resume.resume_with_code(link_code, locale):
        st.switch_page(pages[nav.QUESTIONNAIRE])
    st.switch_page(pages[nav.RESUME])

restored = continuity.restore(locale)  # a reload or a server restart: this browser's open assessment comes back
continuity.keep(locale)  # the cookie that makes that possible, <html lang>, the offline banner (ui/continuity.py)
if restored and page.url_path == "":
    st.switch_page(pages[nav.QUESTIONNAIRE])

requested = session.requested_page()  # set by widget callbacks, which run before pages exist
if requested in pages:
    st.switch_page(pages[requested])

components.sidebar(locale)
page.run()
