"""Administrators: produce a ministry statistics release (a preview, or an official release that
freezes its period after an explicit confirmation) and list the releases produced. The service
checks ``Action.RUN_RELEASE``; the release engine refuses (fails closed) when the disclosure audit
cannot be satisfied, and the reason is shown as is."""

from datetime import date

import streamlit as st

from auth import Action, Role
from i18n import format_decimal, t
from releases.model import ReleaseRefused
from services import statistics_views as views
from ui import cache, guided, session

STAGES = {"all": ("T0", "T1"), "T0": ("T0",), "T1": ("T1",)}

locale = session.locale()
principal = guided.require(Role.ADMIN, locale)
cache.access().require(principal, Action.RUN_RELEASE)
service = cache.statistics()
st.title(t("statistics.page.releases", locale))
st.caption(t("statistics.admin.intro", locale))

st.subheader(t("statistics.admin.run", locale))
period = st.text_input(t("statistics.admin.period", locale), value=str(date.today().year), max_chars=4, key="rel_period").strip()
stage = st.selectbox(t("statistics.admin.stages", locale), list(STAGES), format_func=lambda s: t(f"statistics.stage.{s}", locale),
                     key="rel_stage")
synthetic = st.checkbox(t("statistics.admin.synthetic", locale), key="rel_synthetic")
official = st.radio(t("statistics.admin.kind", locale), ["preview", "official"], format_func=lambda k: t(f"statistics.admin.{k}", locale),
                    key="rel_kind", horizontal=True) == "official"
confirmed = official and st.checkbox(t("statistics.admin.confirm", locale, period=period), key="rel_confirm")
if st.button(t("statistics.admin.submit", locale), key="rel_run", type="primary"):
    if not (period.isdigit() and len(period) == 4):
        st.error(t("statistics.admin.bad_period", locale))
    elif official and not confirmed:
        st.error(t("statistics.admin.confirm_needed", locale))
    else:
        try:
            with st.spinner():
                release = service.run_release(principal, period, STAGES[str(stage)], synthetic=synthetic, official=official,
                                              created_by=principal.email)
        except (ReleaseRefused, ValueError) as refused:  # ValueError: a frozen period (PeriodFrozen), k below the floor
            st.error(t("statistics.admin.refused", locale, reason=str(refused)))
        else:
            published, hidden = views.release_counts(release)
            st.success(t("statistics.admin.done", locale, id=release.id, firms=format_decimal(release.firms, locale, 0),
                         published=format_decimal(published, locale, 0), suppressed=format_decimal(hidden, locale, 0)))

st.subheader(t("statistics.admin.list", locale))
summaries = cache.repository().statistics.releases(include_previews=True)  # rows without a body: no figure below k
if not summaries:
    st.caption(t("statistics.none", locale))
else:
    yes, no = t("statistics.admin.yes", locale), t("statistics.admin.no", locale)
    st.table({t("statistics.admin.id", locale): [s.id for s in summaries],
              t("statistics.period", locale): [s.period for s in summaries],
              t("statistics.admin.stages", locale): [views.stage_label(s.stages, locale) for s in summaries],
              t("statistics.admin.official", locale): [yes if s.official else no for s in summaries],
              t("statistics.admin.synthetic", locale): [yes if s.synthetic else no for s in summaries],
              t("statistics.admin.created", locale): [guided.date_label(s.created_at, locale) for s in summaries],
              t("statistics.admin.by", locale): [s.created_by for s in summaries]}, hide_index=True)
