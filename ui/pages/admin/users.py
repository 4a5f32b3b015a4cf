"""Administrators: accounts, roles, last sign-in; disable or enable an account (accounts are
created with ``python cli.py users add``)."""

import streamlit as st

from auth import Role
from i18n import t
from services.accounts import Accounts
from ui import cache, guided, session

locale = session.locale()
principal = guided.require(Role.ADMIN, locale)
accounts = Accounts(cache.access())
st.title(t("advisor.admin.users", locale))
st.caption(t("advisor.admin.cli_hint", locale))
users = accounts.list(principal)
st.dataframe({t("advisor.admin.email", locale): [u.email for u in users],
              t("advisor.admin.name", locale): [u.display_name for u in users],
              t("advisor.admin.roles", locale): [", ".join(t(f"advisor.role.{r}", locale) for r in sorted(u.roles)) for u in users],
              t("advisor.admin.active", locale): [u.active for u in users],
              t("advisor.admin.last_sign_in", locale): [guided.date_label(u.last_sign_in_at, locale) for u in users]},
             hide_index=True, width="stretch", key="users_table")
others = [u for u in users if u.id != principal.user_id]
if others:
    chosen = st.selectbox(t("advisor.admin.account", locale), [u.email for u in others], key="user_choice")
    target = next(u for u in others if u.email == chosen)
    label = "advisor.admin.disable" if target.active else "advisor.admin.enable"
    if st.button(t(label, locale), key="user_toggle"):
        accounts.set_active(principal, target.email, not target.active)
        session.flash("success", t("advisor.admin.done", locale))
        st.rerun()
session.show_flash()
