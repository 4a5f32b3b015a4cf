"""The pages registered for this rerun, from ``auth.pages_for(principal)``: nobody signed in gets
the firm's pages; a signed-in person only the pages of their roles (a page a role may not use is
never registered, so its URL shows nothing); an identity with no role only the account page.
Services check the principal again on every call: registration is not the security boundary."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from auth import SIGNED_IN_PAGES, Principal, pages_for
from i18n import t
from ui import nav
from ui.auth import identity_without_access


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    url_path: str | None  # None: the default page


SPECS: dict[str, PageSpec] = {
    "welcome": PageSpec(nav.WELCOME, "app.page.welcome", ":material/home:", None),
    "profile": PageSpec(nav.PROFILE, "app.page.profile", ":material/business:", "profile"),
    "questionnaire": PageSpec(nav.QUESTIONNAIRE, "app.page.questionnaire", ":material/checklist:", "questionnaire"),
    "results": PageSpec(nav.RESULTS, "app.page.results", ":material/insights:", "results"),
    "resume": PageSpec(nav.RESUME, "app.page.resume", ":material/history:", "resume"),
    "privacy": PageSpec(nav.PRIVACY, "app.page.privacy", ":material/shield:", "privacy"),
    "sign_in": PageSpec(nav.SIGN_IN, "advisor.page.sign_in", ":material/login:", "sign-in"),
    "caseload": PageSpec(nav.CASELOAD, "advisor.page.caseload", ":material/groups:", "caseload"),
    "client": PageSpec(nav.CLIENT, "advisor.page.client", ":material/folder_open:", "client"),
    "add_client": PageSpec(nav.ADD_CLIENT, "advisor.page.add_client", ":material/person_add:", "add-client"),
    "plan": PageSpec(nav.PLAN, "advisor.page.plan", ":material/assignment:", "plan"),
    "comparison": PageSpec(nav.COMPARISON, "advisor.page.comparison", ":material/compare_arrows:", "comparison"),
    "users": PageSpec(nav.USERS, "advisor.page.users", ":material/manage_accounts:", "users"),
    "assignments": PageSpec(nav.ASSIGNMENTS, "advisor.page.assignments", ":material/swap_horiz:", "assignments"),
    "access_log": PageSpec(nav.ACCESS_LOG, "advisor.page.access_log", ":material/receipt_long:", "access-log"),
    "statistics": PageSpec(nav.STATISTICS, "statistics.page.dashboard", ":material/bar_chart:", "statistics"),
    "statistics_trends": PageSpec(nav.STATISTICS_TRENDS, "statistics.page.trends", ":material/show_chart:", "statistics-trends"),
    "releases": PageSpec(nav.RELEASES, "statistics.page.releases", ":material/publish:", "releases"),
    "account": PageSpec(nav.ACCOUNT, "advisor.page.account", ":material/account_circle:", "account"),
}


def pages(principal: Principal | None, locale: str) -> dict[str, StreamlitPage]:
    """Page path -> st.Page for the principal's roles; the first one is the default."""
    keys = SIGNED_IN_PAGES if identity_without_access(principal) else pages_for(principal)
    out: dict[str, StreamlitPage] = {}
    for position, key in enumerate(keys):
        spec = SPECS[key]
        out[spec.path] = st.Page(spec.path, title=t(spec.title_key, locale), icon=spec.icon, default=position == 0,
                                 **({"url_path": spec.url_path} if spec.url_path and position else {}))
    return out
