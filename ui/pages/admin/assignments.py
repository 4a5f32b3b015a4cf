"""Administrators: reassign a client firm from one advisor to another (history kept)."""

import streamlit as st

from auth import Role
from i18n import t
from ui import cache, guided, session
from ui.text import literal

locale = session.locale()
principal = guided.require(Role.ADMIN, locale)
service = cache.advisor_service()
store = cache.repository().advisors
st.title(t("advisor.admin.reassign", locale))
session.show_flash()
advisors = {a.id: a for a in store.advisors()}
clients = store.clients()
if not clients:
    st.info(t("advisor.admin.no_clients", locale))
    st.stop()
labels = {f"{c.advisor_id}|{c.firm_id}": f"{c.name or t('advisor.caseload.unnamed', locale)} ({advisors[c.advisor_id].display_name})"
          for c in clients}
with st.form("reassign_form"):
    chosen = st.selectbox(t("advisor.admin.client", locale), list(labels), format_func=lambda k: literal(labels[k]), key="reassign_client")
    target = st.selectbox(t("advisor.admin.to", locale), list(advisors), format_func=lambda a: advisors[a].display_name,
                          key="reassign_to")
    if st.form_submit_button(t("advisor.admin.do_reassign", locale), type="primary") and chosen:
        from_advisor, firm_id = chosen.split("|")
        if from_advisor != target:
            service.reassign(principal, firm_id, from_advisor, target)
        session.flash("success", t("advisor.admin.done", locale))
        st.rerun()
