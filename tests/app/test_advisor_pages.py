"""The advisor, admin and analyst pages through AppTest: pages per role, a guided session with
notes, plan and PDF button, T1 and comparison, sign-out, OIDC identities (AppTest.user)."""

from __future__ import annotations

import random

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.auth
from auth.passwords import TESTS, Passwords
from domain import Profile
from questionnaires.registry import get_instrument
from services.access import Access
from services.accounts import Accounts
from services.advisor import AdvisorService
from tests.answer_gen import random_answers
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fresh_app(tmp_path, monkeypatch):
    st.cache_data.clear()
    st.cache_resource.clear()
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("AUTH_MODE", raising=False)
    return url


@pytest.fixture
def access(fresh_app):
    from storage import open_repository

    return Access(open_repository(fresh_app), Passwords(TESTS))


def sign_in_as(access, monkeypatch, email, roles, organisation="MRC Test"):
    Accounts(access).add(None, email, email.split("@")[0].title(), roles=roles, password=PASSWORD, organisation=organisation)
    outcome = access.sign_in(email, PASSWORD, "apptest")
    monkeypatch.setattr(ui.auth, "_cookie_token", lambda: outcome.token)  # the cookie the sign-in route would set
    return outcome


def run(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def clean(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def page_titles(at: AppTest) -> list[str]:
    return [e.value for e in at.title]


def valid_answers(instrument):
    from scoring.answers import check_answers

    answers = dict(random_answers(instrument.questionnaire, random.Random(2), blank=0.0))
    return {k: v for k, v in answers.items() if not check_answers(instrument.questionnaire, {k: v})}


def test_anonymous_sees_the_firm_pages_and_the_sign_in_link_never_an_advisor_page():
    at = clean(run())
    assert page_titles(at) == ["Diagnostic de maturité numérique"]
    at.switch_page("ui/pages/advisor/sign_in.py").run()
    assert page_titles(clean(at)) == ["Espace conseillers et ministère"]
    assert at.get("link_button")[0].proto.url == "/account/login?lang=fr"
    for hidden in ("ui/pages/advisor/caseload.py", "ui/pages/admin/users.py", "ui/pages/analyst/statistics.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(hidden)


def test_identity_without_role_sees_only_its_account(access, monkeypatch):
    sign_in_as(access, monkeypatch, "nobody@x.ca", [])
    at = clean(run(lang="en"))
    assert page_titles(at) == ["My account"]
    assert "no role" in at.warning[0].value
    for hidden in ("ui/pages/welcome.py", "ui/pages/advisor/caseload.py", "ui/pages/analyst/statistics.py"):
        with pytest.raises(ValueError):
            at.switch_page(hidden)


def test_advisor_guided_session_notes_plan_t1_comparison_and_sign_out(access, monkeypatch, fresh_app):
    outcome = sign_in_as(access, monkeypatch, "ana@mrc.qc.ca", ["advisor"])
    at = clean(run())
    assert page_titles(at) == ["Mes clients"] and "Aucun client" in at.info[0].value
    with pytest.raises(ValueError):
        at.switch_page("ui/pages/admin/users.py")  # not an admin: the page does not exist for her

    at.switch_page("ui/pages/advisor/add_client.py").run()
    at.selectbox(key="g_sector").select("31-33")
    at.selectbox(key="g_region").select("05")
    at.text_input(key="g_name").input("Atelier <b>Bob</b>")
    at.button(key="FormSubmitter:guided_form-Commencer la séance").click().run()
    assert "consentement du client est nécessaire" in at.error[0].value  # consent required
    at.checkbox(key="g_consent").check()
    at.button(key="FormSubmitter:guided_form-Commencer la séance").click().run()
    clean(at)
    assert page_titles(at) == ["Questionnaire"]
    at.switch_page("ui/pages/questionnaire.py").run()  # AppTest pins the page last given to at.switch_page
    notes = [ta for ta in at.text_area if ta.key.startswith("note:")]
    assert notes, "notes beside each question in a guided session"
    assert "close_assessment" not in [b.key for b in at.button]  # the firm's "Close this assessment" is not offered
    first_q = notes[0].key.split(":")[2]
    at.text_area(key=f"note:private:{first_q}").input("PRIVATE-1").run()
    at.text_area(key=f"note:shared:{first_q}").input("SHARED-1").run()
    draft = at.session_state["draft"]
    principal = access.principal_for_token(outcome.token)
    service = AdvisorService(access)
    stored = service.notes(principal, draft.assessment_id)[first_q]
    assert (stored.private, stored.shared) == ("PRIVATE-1", "SHARED-1")

    # finish the assessment through the service the page uses, then the plan and the PDF button
    instrument = get_instrument()
    service.save_answers(principal, draft.assessment_id, valid_answers(instrument))
    view = access.repo.load(draft.assessment_id)
    from scoring.engine import score_firm
    service.complete(principal, view.id, score_firm(instrument, view.profile, view.answers))
    at.switch_page("ui/pages/advisor/caseload.py").run()
    assert "Atelier <b>Bob</b>" in at.dataframe[0].value.iloc[:, 0].tolist()
    at.button(key="case_open").click().run()
    assert "Atelier" in page_titles(clean(at))[0] and "<b>" not in at.title[0].value.replace("\\<", "")
    at.switch_page("ui/pages/advisor/client.py").run()
    at.button(key="plan_open").click().run()
    at.switch_page("ui/pages/advisor/plan.py").run()
    clean(at)
    assert page_titles(at) == ["Plan d'action convenu"]
    at.button(key="FormSubmitter:plan_form-Enregistrer le plan").click().run()
    assert at.success[0].value == "Plan enregistré."
    assert service.plan(principal, view.id)
    assert at.get("download_button")[0].proto.label == "Télécharger le rapport de la séance (PDF)"

    at.switch_page("ui/pages/advisor/client.py").run()
    at.button(key="next_stage").click().run()
    clean(at)
    assert page_titles(at) == ["Questionnaire"] and at.session_state["draft"].saved.stage == "T1"
    changed = next(ta.key for ta in at.text_area if ta.key.startswith("note:"))
    assert changed
    at.switch_page("ui/pages/advisor/comparison.py").run()
    clean(at)
    assert page_titles(at) == ["Avant et après"]
    assert at.table[0].value.shape[0] == len(instrument.questionnaire.dimensions) + 1

    at.switch_page("ui/pages/advisor/account.py").run()
    assert page_titles(clean(at)) == ["Mon compte"] and not at.button  # no in-app button: the route ends the session
    from ui.account_routes import sign_out_token
    form = next(h.proto.body for h in at.get("html") if "dm-sign-out" in h.proto.body)
    assert 'method="post" action="/account/logout"' in form and f'value="{sign_out_token(outcome.token)}"' in form
    assert access.sign_out_token(outcome.token)  # what POST /account/logout does (tests/security/test_sign_in.py)
    at.run()  # the tab's next interaction, still sending the old cookie
    clean(at)
    assert access.principal_for_token(outcome.token) is None  # the copied cookie is dead
    assert "draft" not in at.session_state and page_titles(at) == ["Diagnostic de maturité numérique"]
    with pytest.raises(ValueError):
        at.switch_page("ui/pages/advisor/caseload.py")


def test_advisor_links_a_firm_with_its_resume_code(access, monkeypatch):
    sign_in_as(access, monkeypatch, "ana@mrc.qc.ca", ["advisor"])
    new = access.repo.start_assessment(get_instrument(), Profile("44-45", "5-19", "06", "Boutique"), consent_advisor=False)
    at = clean(run())
    at.switch_page("ui/pages/advisor/add_client.py").run()
    at.text_input(key="link_code").input(new.resume_code)
    at.button(key="FormSubmitter:link_form-Ajouter ce client").click().run()
    assert "n'a pas consenti" in at.error[0].value
    view = access.repo.load(new.assessment_id)
    access.repo.update_profile(view.id, view.profile, consent_statistics=False, consent_advisor=True)
    at.button(key="FormSubmitter:link_form-Ajouter ce client").click().run()
    assert at.success[0].value == "Client ajouté à votre liste."


def test_admin_pages_and_reassignment(access, monkeypatch):
    accounts = Accounts(access)
    for email in ("a@x.ca", "b@x.ca"):
        accounts.add(None, email, email[0].upper(), roles=["advisor"], password=PASSWORD)
    ana = access.sign_in("a@x.ca", PASSWORD, "k").principal
    new = AdvisorService(access).start_guided(ana, get_instrument(), Profile("44-45", "5-19", "06", "Boutique"), client_consents=True)
    sign_in_as(access, monkeypatch, "root@x.ca", ["admin"])
    at = clean(run(lang="en"))
    assert page_titles(at) == ["Users"] and set(at.dataframe[0].value["E-mail"]) == {"a@x.ca", "b@x.ca", "root@x.ca"}
    at.switch_page("ui/pages/admin/assignments.py").run()
    at.selectbox(key="reassign_to").select(ana.advisor_id if False else access.repo.advisors.advisors()[1].id)
    at.button(key="FormSubmitter:reassign_form-Reassign").click().run()
    clean(at)
    bob = access.sign_in("b@x.ca", PASSWORD, "k").principal
    assert [c.assessment_id for c in AdvisorService(access).caseload(bob)] == [new.assessment_id]
    at.switch_page("ui/pages/admin/access_log.py").run()
    assert "reassign" in set(clean(at).dataframe[0].value["Action"])
    at.switch_page("ui/pages/admin/users.py").run()
    at.selectbox(key="user_choice").select("a@x.ca")
    at.button(key="user_toggle").click().run()
    assert access.repo.users.user_by_email("a@x.ca").active is False
    with pytest.raises(ValueError):
        at.switch_page("ui/pages/advisor/caseload.py")


def test_oidc_identity_roles_come_from_our_database(access, monkeypatch):
    monkeypatch.setenv("AUTH_MODE", "oidc")
    Accounts(access).add(None, "stat@gouv.qc.ca", "Stat", roles=["analyst"], issuer="http://idp", subject="s-1")
    at = AppTest.from_file(APP, default_timeout=30)
    at.user = {"is_logged_in": True, "email": "stat@gouv.qc.ca", "iss": "http://idp", "sub": "s-9", "roles": ["admin"],
               "iat": access.repo.clock().timestamp()}
    at.run()
    assert page_titles(clean(at)) == ["Mon compte"]  # unknown subject: a claimed "admin" role counts for nothing
    assert "n'a pas accès" in at.warning[0].value
    for hidden in ("ui/pages/welcome.py", "ui/pages/admin/users.py", "ui/pages/advisor/caseload.py"):
        with pytest.raises(ValueError):
            at.switch_page(hidden)  # an identity with no account here sees nothing
    at = AppTest.from_file(APP, default_timeout=30)
    at.user = {"is_logged_in": True, "email": "x@y", "iss": "http://idp", "sub": "s-1", "iat": access.repo.clock().timestamp()}
    at.run()
    assert page_titles(clean(at)) == ["Statistiques ministérielles"]
    with pytest.raises(ValueError):
        at.switch_page("ui/pages/admin/users.py")
    assert next(r.action for r in access.repo.users.access_log()) == "sign_in"
    at.switch_page("ui/pages/advisor/account.py").run()
    at.button(key="sign_out").click().run()  # OIDC: our session row ends, then st.logout()
    clean(at)
    assert at.user["is_logged_in"] is False  # st.logout() flipped the identity
    assert next(r.action for r in access.repo.users.access_log()) == "sign_out"
