"""An advisor's current clients: search, filters, sort, open a file."""

import streamlit as st

from auth import Role
from i18n import format_score, t
from questionnaires.segments import load_segments
from services.advisor import CaseFilter
from ui import cache, guided, nav, session

locale = session.locale()
principal = guided.require(Role.ADVISOR, locale)
service = cache.advisor_service()
st.title(t("advisor.caseload.title", locale))
session.show_flash()
cases = service.caseload(principal)
if not cases:
    st.info(t("advisor.caseload.empty", locale))
    st.page_link(nav.ADD_CLIENT, label=t("advisor.page.add_client", locale), icon=":material/person_add:")
    st.stop()

segments = load_segments()
search = st.text_input(t("advisor.caseload.search", locale), key="case_search")
c1, c2, c3, c4 = st.columns(4)
sectors = c1.multiselect(t("advisor.caseload.sector", locale), sorted({c.sector for c in cases}), key="case_sector",
                         format_func=lambda v: segments.label("sector", v, locale))
regions = c2.multiselect(t("advisor.caseload.region", locale), sorted({c.region for c in cases}), key="case_region",
                         format_func=lambda v: segments.label("region", v, locale))
stages = c3.multiselect(t("advisor.caseload.stage", locale), sorted({c.stage for c in cases}), key="case_stage")
sort = c4.selectbox(t("advisor.caseload.sort", locale), ("date", "score", "name"), key="case_sort",
                    format_func=lambda s: t(f"advisor.caseload.sort.{s}", locale))
shown = service.caseload(principal, CaseFilter(search, tuple(sectors), tuple(regions), (), tuple(stages), (), sort)) \
    if (search or sectors or regions or stages or sort != "date") else cases
st.caption(t("advisor.caseload.count", locale, shown=len(shown), total=len(cases)))

unnamed = t("advisor.caseload.unnamed", locale)
any_synthetic = any(c.synthetic for c in shown)
if any_synthetic:
    st.warning(t("advisor.caseload.synthetic_notice", locale), icon=":material/science:")
data_column = {t("advisor.caseload.data", locale): [t("advisor.caseload.synthetic_row" if c.synthetic else "advisor.caseload.real_row",
                                                       locale) for c in shown]} if any_synthetic else {}
st.dataframe({
    t("advisor.caseload.firm", locale): [c.name or unnamed for c in shown],
    t("advisor.caseload.sector", locale): [segments.label("sector", c.sector, locale) for c in shown],
    t("advisor.caseload.size", locale): [segments.label("size", c.size, locale) for c in shown],
    t("advisor.caseload.region", locale): [segments.label("region", c.region, locale) for c in shown],
    t("advisor.caseload.stage", locale): [c.stage for c in shown],
    t("advisor.caseload.status", locale): [guided.status_label(c.status, locale) for c in shown],
    t("advisor.caseload.score", locale): [format_score(c.overall, locale) if c.overall is not None else "—" for c in shown],
    t("advisor.caseload.changed", locale): [guided.date_label(c.updated_at, locale) for c in shown],
    **data_column,
}, hide_index=True, width="stretch", key="case_table")

synthetic_mark = f" — {t('advisor.caseload.synthetic_choice', locale)}"
labels = {c.assessment_id: f"{c.name or unnamed} — {segments.label('region', c.region, locale)} ({c.stage})"
          + (synthetic_mark if c.synthetic else "") for c in shown}
choice = st.selectbox(t("advisor.caseload.choose", locale), list(labels), format_func=labels.get, key="case_choice")
if st.button(t("advisor.caseload.open", locale), key="case_open", type="primary", icon=":material/folder_open:") and choice:
    guided.select(choice)
    st.switch_page(nav.CLIENT)
