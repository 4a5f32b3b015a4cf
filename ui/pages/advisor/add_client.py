"""Add a client: with the firm's resume code (the firm consented), or a new guided assessment
with the client's consent recorded."""

import streamlit as st

from auth import Role
from domain import Profile
from i18n import t
from questionnaires.segments import load_segments
from ui import cache, guided, nav, session

locale = session.locale()
principal = guided.require(Role.ADVISOR, locale)
service = cache.advisor_service()
st.title(t("advisor.add.title", locale))

st.subheader(t("advisor.add.with_code", locale))
st.caption(t("advisor.add.with_code_help", locale))
with st.form("link_form"):
    code = st.text_input(t("advisor.add.code", locale), key="link_code")
    if st.form_submit_button(t("advisor.add.link", locale)):
        outcome = service.link_with_code(principal, code)
        if outcome.firm_id is not None:
            st.success(t("advisor.add.linked", locale))
        elif outcome.reason == "throttled":
            st.error(t("advisor.add.throttled", locale, seconds=int(outcome.retry_after) + 1))
        else:
            st.error(t(f"advisor.add.{outcome.reason}", locale))

st.subheader(t("advisor.add.guided", locale))
segments = load_segments()
with st.form("guided_form"):
    sector = st.selectbox(t("app.profile.sector", locale), segments.codes("sector"), key="g_sector",
                          format_func=lambda v: segments.label("sector", v, locale))
    size = st.selectbox(t("app.profile.size", locale), segments.codes("size"), key="g_size",
                        format_func=lambda v: segments.label("size", v, locale))
    region = st.selectbox(t("app.profile.region", locale), segments.codes("region"), key="g_region",
                          format_func=lambda v: segments.label("region", v, locale))
    name = st.text_input(t("app.profile.name", locale), key="g_name", max_chars=200)
    consent = st.checkbox(t("advisor.add.consent", locale), key="g_consent")
    statistics = st.checkbox(t("app.profile.consent_statistics", locale), key="g_statistics")
    if st.form_submit_button(t("advisor.add.start", locale), type="primary"):
        if not consent:
            st.error(t("advisor.add.consent_required", locale))
        else:
            new = service.start_guided(principal, session.current_instrument(), Profile(sector, size, region, name.strip()),
                                       client_consents=True, consent_statistics=statistics)
            guided.start_guided_session(principal, new.assessment_id)
            draft = session.draft()
            if draft is not None:
                draft.resume_code, draft.show_code = new.resume_code, True
            st.switch_page(nav.QUESTIONNAIRE)
