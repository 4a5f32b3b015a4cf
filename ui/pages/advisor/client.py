"""One client file: its assessments (T0, T1, T2), guided session, plan, next stage, comparison, end."""

import streamlit as st

from auth import Role
from i18n import format_score, t
from ui import cache, components, guided, nav, session
from ui.text import literal

locale = session.locale()
principal = guided.require(Role.ADVISOR, locale)
service = cache.advisor_service()
view = guided.open_selected(principal, locale)
st.title(literal(view.profile.name) or t("advisor.caseload.unnamed", locale))
components.synthetic_label(view.synthetic, locale)
session.show_flash()
chain = service.firm_assessments(principal, view.id)

st.subheader(t("advisor.client.assessments", locale))
st.table({t("advisor.caseload.stage", locale): [a.stage.value for a in chain],
          t("advisor.caseload.status", locale): [guided.status_label(a.status.value, locale) for a in chain],
          t("advisor.caseload.score", locale): [format_score(a.result.get("overall"), locale)  # type: ignore[arg-type]
                                                if a.result and a.result.get("overall") is not None else "—" for a in chain],
          t("advisor.caseload.changed", locale): [guided.date_label(a.updated_at, locale) for a in chain]})
latest = chain[-1]
left, middle, right = st.columns(3)
if left.button(t("advisor.client.guided", locale), key="guided_open", type="primary", icon=":material/record_voice_over:"):
    guided.start_guided_session(principal, latest.id)
    st.switch_page(nav.QUESTIONNAIRE)
if middle.button(t("advisor.client.plan", locale), key="plan_open", icon=":material/assignment:"):
    guided.select(latest.id)
    st.switch_page(nav.PLAN)
if len(chain) > 1 and right.button(t("advisor.client.compare", locale), key="compare_open", icon=":material/compare_arrows:"):
    st.switch_page(nav.COMPARISON)
stage_index = ["T0", "T1", "T2"].index(latest.stage.value)
if stage_index < 2:
    next_stage = ["T0", "T1", "T2"][stage_index + 1]
    if st.button(t("advisor.client.next_stage", locale, stage=next_stage), key="next_stage", icon=":material/add_task:"):
        new = service.start_next_stage(principal, latest.id)
        guided.start_guided_session(principal, new.assessment_id)
        session.flash("success", t("advisor.client.started", locale, stage=next_stage))
        st.switch_page(nav.QUESTIONNAIRE)
st.divider()
if st.button(t("advisor.client.end", locale), key="end_assignment", icon=":material/link_off:"):
    service.end_assignment(principal, view.firm_id)
    st.session_state.pop(guided.SELECTED_KEY, None)
    session.close()
    session.flash("info", t("advisor.client.ended", locale))
    st.switch_page(nav.CASELOAD)
