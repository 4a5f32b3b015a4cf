"""The agreed plan: keep, remove, reorder the roadmap's actions; who does each, by when; the
guided-session PDF (shared notes and plan; never private notes)."""

import datetime as dt
from functools import partial

import streamlit as st

from auth import Role
from domain import Status
from i18n import t
from storage.advisors import PlanItem
from ui import cache, components, guided, session

locale = session.locale()
principal = guided.require(Role.ADVISOR, locale)
service = cache.advisor_service()
view = guided.open_selected(principal, locale)
st.title(t("advisor.plan.title", locale))
components.synthetic_label(view.synthetic, locale)
if view.status != Status.COMPLETED:
    st.info(t("advisor.plan.not_completed", locale))
    st.stop()
instrument = cache.repository().instrument_for(view)
bundle, _ = cache.firm_results(instrument, view.profile, view.answers, view.id)
st.caption(t("advisor.plan.intro", locale))
saved = {item.action_id: (position, item) for position, item in enumerate(service.plan(principal, view.id))}
roadmap_ids = [i.action.id for i in bundle.roadmap.items]
ids = [a for a in saved if a not in roadmap_ids] + roadmap_ids  # actions kept from an earlier roadmap stay listed
ids.sort(key=lambda a: saved[a][0] if a in saved else len(saved) + roadmap_ids.index(a))

with st.form("plan_form"):
    rows = []
    for n, action_id in enumerate(ids):
        item = saved.get(action_id, (None, None))[1]
        st.markdown(f"**{bundle.catalogs.action(action_id).title.get(locale)}**")
        c1, c2, c3, c4, c5 = st.columns([1, 1, 2, 2, 2])
        keep = c1.checkbox(t("advisor.plan.keep", locale), value=item is not None or not saved, key=f"plan_keep_{action_id}")
        order = c2.number_input(t("advisor.plan.order", locale), 1, len(ids), n + 1, key=f"plan_order_{action_id}")
        owner = c3.selectbox(t("advisor.plan.owner", locale), ("firm", "advisor"), key=f"plan_owner_{action_id}",
                             index=0 if item is None or item.owner == "firm" else 1,
                             format_func=lambda o: t(f"advisor.owner.{o}", locale))
        due = c4.date_input(t("advisor.plan.due", locale), value=item.due_on if item else None, key=f"plan_due_{action_id}",
                            format="YYYY-MM-DD")
        status = c5.selectbox(t("advisor.plan.status", locale), ("planned", "in_progress", "done"), key=f"plan_status_{action_id}",
                              index=("planned", "in_progress", "done").index(item.status) if item else 0,
                              format_func=lambda s: t(f"advisor.plan_status.{s}", locale))
        comment = st.text_input(t("advisor.plan.comment", locale), value=item.comment if item else "", key=f"plan_comment_{action_id}",
                                max_chars=2000)
        if keep:
            rows.append((int(order), n, PlanItem(action_id, owner, due if isinstance(due, dt.date) else None, comment, status)))
    if st.form_submit_button(t("advisor.plan.save", locale), type="primary"):
        service.save_plan(principal, view.id, [item for _, _, item in sorted(rows, key=lambda r: (r[0], r[1]))])
        st.success(t("advisor.plan.saved", locale))

today = dt.date.today()
st.download_button(t("advisor.plan.download", locale), data=partial(service.guided_pdf, principal, view.id, bundle, locale, today),
                   file_name=f"{t('advisor.plan.file', locale)}-{today.isoformat()}.pdf", mime="application/pdf", on_click="ignore",
                   key=f"guided_pdf_{view.id}", icon=":material/picture_as_pdf:")
