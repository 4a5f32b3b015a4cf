"""Sign-in, sessions, access checks, caseload, notes, plan, T1 and the access log, through the
services, on SQLite and PostgreSQL (TEST_POSTGRES_URL)."""

from __future__ import annotations

import datetime as dt
import io
import random
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import text

from auth import Role
from auth.passwords import TESTS, Passwords
from domain import Profile, Stage
from questionnaires.registry import get_instrument
from scoring.engine import score_firm
from services.access import Access
from services.accounts import Accounts
from services.advisor import AdvisorService, CaseFilter
from services.comparison import comparison_page
from services.results import firm_results
from storage import AssessmentNotFound
from storage.advisors import PlanItem
from tests.answer_gen import random_answers
from tests.databases import BACKENDS, migrated_repository, own_database
from tests.unit.storage.test_storage import Clock

PASSWORD = "correct horse battery staple"
PROFILE = Profile("31-33", "20-49", "05", "Atelier Bob")


@pytest.fixture(scope="module")
def pg_url():
    with own_database("advisor_tests") as url:
        yield url


@pytest.fixture(params=BACKENDS)
def repo(request, tmp_path):
    with migrated_repository(request, tmp_path, Clock()) as repository:
        yield repository


@pytest.fixture
def access(repo):
    return Access(repo, Passwords(TESTS))


@pytest.fixture
def accounts(access):
    return Accounts(access)


@pytest.fixture
def service(access):
    return AdvisorService(access)


def signed_in(access, accounts, email, roles=("advisor",), organisation="MRC Test"):
    accounts.add(None, email, email.split("@")[0].title(), roles=roles, password=PASSWORD, organisation=organisation)
    outcome = access.sign_in(email, PASSWORD, "client-1")
    assert outcome.principal is not None and outcome.token
    return outcome.principal, outcome.token


def firm_assessment(repo, consent=True, answers=None):
    instrument = get_instrument()
    new = repo.start_assessment(instrument, PROFILE, consent_advisor=consent)
    if answers:
        repo.save_answers(new.assessment_id, dict(answers))
    return repo.load(new.assessment_id), new.resume_code


# ---- sign-in, sessions ---------------------------------------------------------------------------------

def test_sign_in_failures_look_the_same_and_are_throttled_per_account(repo, access, accounts):
    accounts.add(None, "ana@mrc.qc.ca", "Ana", roles=["advisor"], password=PASSWORD)
    wrong = access.sign_in("ana@mrc.qc.ca", "wrong password!!", "c1")
    unknown = access.sign_in("nobody@mrc.qc.ca", "wrong password!!", "c1")
    assert wrong == unknown == type(wrong)(None)  # one answer, nothing about whether the account exists
    for _ in range(4):
        assert access.sign_in("ana@mrc.qc.ca", "wrong password!!", "c2").retry_after == 0
    throttled = access.sign_in("ana@mrc.qc.ca", PASSWORD, "c3")  # even the right password waits (no oracle)
    assert throttled.principal is None and throttled.retry_after == pytest.approx(30)
    repo.clock.advance(seconds=31)
    assert access.sign_in("ana@mrc.qc.ca", PASSWORD, "c3").principal is not None  # never locked for good
    assert access.sign_in("ana@mrc.qc.ca", PASSWORD, "c3").retry_after == 0  # a success clears the count


def test_per_client_throttle(repo, access):
    for i in range(20):
        access.sign_in(f"guess{i}@x.ca", "wrong password!!", "attacker")
    assert access.sign_in("other@x.ca", "wrong password!!", "attacker").retry_after > 0
    assert access.sign_in("other@x.ca", "wrong password!!", "someone-else").retry_after == 0


def test_session_ends_at_sign_out_idle_absolute_disable_and_password_reset(repo, access, accounts):
    principal, token = signed_in(access, accounts, "ana@mrc.qc.ca")
    assert access.principal_for_token(token).roles == {Role.ADVISOR}
    access.sign_out(principal)
    assert access.principal_for_token(token) is None  # a copied cookie no longer works
    principal, token = signed_in(access, accounts, "bob@mrc.qc.ca")
    repo.clock.advance(minutes=29)
    assert access.principal_for_token(token) is not None
    repo.clock.advance(minutes=29)
    assert access.principal_for_token(token) is not None  # each interaction moves the idle deadline
    repo.clock.advance(minutes=31)
    assert access.principal_for_token(token) is None  # idle
    token = access.sign_in("bob@mrc.qc.ca", PASSWORD, "c").token
    signed_in_at = repo.clock.now
    while access.principal_for_token(token) is not None:  # active every 29 minutes: never idle
        repo.clock.advance(minutes=29)
    assert timedelta(hours=12) <= repo.clock.now - signed_in_at < timedelta(hours=12, minutes=29)  # absolute: 12 h at most
    token = access.sign_in("bob@mrc.qc.ca", PASSWORD, "c").token
    accounts.set_active(None, "bob@mrc.qc.ca", False)
    assert access.principal_for_token(token) is None
    assert access.sign_in("bob@mrc.qc.ca", PASSWORD, "c").principal is None
    accounts.set_active(None, "bob@mrc.qc.ca", True)
    token = access.sign_in("bob@mrc.qc.ca", PASSWORD, "c").token
    accounts.reset_password(None, "bob@mrc.qc.ca", "another long passphrase")
    assert access.principal_for_token(token) is None
    assert access.principal_for_token("forged-token") is None and access.principal_for_token(None) is None


def test_identity_with_no_role_gets_a_principal_with_no_rights(repo, access, accounts, service):
    principal, _ = signed_in(access, accounts, "norole@x.ca", roles=())
    assert principal.roles == frozenset()
    with pytest.raises(LookupError):
        service.caseload(principal)


def test_oidc_identity_maps_to_our_roles_by_issuer_and_subject_never_email(repo, access, accounts):
    accounts.add(None, "ana@mrc.qc.ca", "Ana", roles=["analyst"], issuer="https://idp", subject="sub-1")
    now = repo.clock.now.timestamp()
    assert access.principal_for_oidc("org", "https://idp", "sub-2", now) is None  # same e-mail claim would not help
    principal = access.principal_for_oidc("org", "https://idp", "sub-1", now)
    assert principal.roles == {Role.ANALYST} and principal.provider == "org"
    access.sign_out(principal)
    assert access.principal_for_oidc("org", "https://idp", "sub-1", now) is None  # the identity cookie alone is not enough
    old = (repo.clock.now - timedelta(hours=13)).timestamp()
    assert access.principal_for_oidc("org", "https://idp", "sub-1", old) is None


# ---- access checks -------------------------------------------------------------------------------------

def test_a_forged_assessment_id_is_not_found(repo, access, accounts, service):
    ana, _ = signed_in(access, accounts, "ana@mrc.qc.ca")
    bob, _ = signed_in(access, accounts, "bob@mrc.qc.ca")
    view, code = firm_assessment(repo)
    assert service.link_with_code(ana, code).firm_id == view.firm_id
    assert service.open(ana, view.id).id == view.id
    for call in (lambda: service.open(bob, view.id), lambda: service.save_answers(bob, view.id, {}),
                 lambda: service.notes(bob, view.id), lambda: service.set_note(bob, view.id, None, "shared", "x"),
                 lambda: service.plan(bob, view.id), lambda: service.open(ana, "00000000-0000-0000-0000-000000000000")):
        with pytest.raises(AssessmentNotFound):
            call()


def test_linking_needs_the_firms_consent_and_withdrawal_or_ending_removes_access_at_once(repo, access, accounts, service):
    ana, _ = signed_in(access, accounts, "ana@mrc.qc.ca")
    view, code = firm_assessment(repo, consent=False)
    assert service.link_with_code(ana, code).reason == "no_consent"
    assert service.link_with_code(ana, "WRONG-CODE").reason == "wrong_code"
    repo.update_profile(view.id, PROFILE, consent_statistics=False, consent_advisor=True)
    assert service.link_with_code(ana, code).firm_id == view.firm_id
    assert [c.assessment_id for c in service.caseload(ana)] == [view.id]
    repo.update_profile(view.id, PROFILE, consent_statistics=False, consent_advisor=False)  # withdrawn
    assert service.caseload(ana) == []
    with pytest.raises(AssessmentNotFound):
        service.open(ana, view.id)
    repo.update_profile(view.id, PROFILE, consent_statistics=False, consent_advisor=True)
    assert service.open(ana, view.id)
    service.end_assignment(ana, view.firm_id)
    with pytest.raises(AssessmentNotFound):
        service.open(ana, view.id)
    assert service.caseload(ana) == []


def test_admin_reassigns_a_client(repo, access, accounts, service):
    ana, _ = signed_in(access, accounts, "ana@mrc.qc.ca")
    bob, _ = signed_in(access, accounts, "bob@mrc.qc.ca")
    admin, _ = signed_in(access, accounts, "root@mrc.qc.ca", roles=("admin",))
    new = service.start_guided(ana, get_instrument(), PROFILE, client_consents=True)
    view = repo.load(new.assessment_id)
    with pytest.raises(LookupError):
        service.reassign(ana, view.firm_id, ana.advisor_id, bob.advisor_id)  # advisors cannot
    with pytest.raises(AssessmentNotFound):
        service.open(admin, view.id)  # admins see no assessment content
    service.reassign(admin, view.firm_id, ana.advisor_id, bob.advisor_id)
    assert service.caseload(ana) == [] and [c.firm_id for c in service.caseload(bob)] == [view.firm_id]
    with pytest.raises(PermissionError):
        service.start_guided(ana, get_instrument(), PROFILE, client_consents=False)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["assign", "end", "consent", "withdraw"]), st.integers(0, 1), st.integers(0, 2)),
                max_size=14))
def test_an_advisor_only_ever_sees_current_consenting_clients(repo, access, accounts, service, ops):
    with repo.engine.begin() as conn:  # each example starts from no advisor data (same database)
        for table in ("advisor_client", "note", "action_plan_item", "login_session", "role_grant", "advisor", "app_user",
                      "resume_credential", "assessment_log", "assessment", "firm"):
            conn.execute(text(f"DELETE FROM {table}"))
    advisors = [signed_in(access, accounts, f"a{i}@x.ca")[0] for i in range(2)]
    firms = [firm_assessment(repo, consent=False)[0] for _ in range(3)]
    assigned: set[tuple[int, int]] = set()
    consent = [False] * 3
    for op, a, f in ops:
        if op == "assign":
            repo.advisors.assign_client(advisors[a].advisor_id, firms[f].firm_id)
            assigned.add((a, f))
        elif op == "end":
            service.end_assignment(advisors[a], firms[f].firm_id)
            assigned.discard((a, f))
        else:
            consent[f] = op == "consent"
            repo.update_profile(firms[f].id, PROFILE, consent_statistics=False, consent_advisor=consent[f])
        for ai, advisor in enumerate(advisors):
            expected = {firms[fi].id for fi in range(3) if (ai, fi) in assigned and consent[fi]}
            assert {c.assessment_id for c in service.caseload(advisor)} == expected
            for fi in range(3):
                if firms[fi].id in expected:
                    assert service.open(advisor, firms[fi].id).id == firms[fi].id
                else:
                    with pytest.raises(AssessmentNotFound):
                        service.open(advisor, firms[fi].id)


def test_caseload_search_filter_sort(repo, access, accounts, service):
    ana, _ = signed_in(access, accounts, "ana@mrc.qc.ca")
    for name, region in (("Boulangerie Alpha", "05"), ("Garage Beta", "06"), ("Alpha Métal", "06")):
        service.start_guided(ana, get_instrument(), Profile("31-33", "20-49", region, name), client_consents=True)
        repo.clock.advance(minutes=1)
    names = lambda f: [c.name for c in service.caseload(ana, f)]  # noqa: E731
    assert names(CaseFilter()) == ["Alpha Métal", "Garage Beta", "Boulangerie Alpha"]  # newest change first
    assert names(CaseFilter(text="alpha", sort="name")) == ["Alpha Métal", "Boulangerie Alpha"]
    assert names(CaseFilter(regions=("06",))) == ["Alpha Métal", "Garage Beta"]


# ---- guided session, notes, plan, PDF, T1, access log -----------------------------------------------------

def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_guided_session_notes_plan_pdf_t1_comparison_and_access_log(repo, access, accounts, service):
    ana, _ = signed_in(access, accounts, "ana@mrc.qc.ca", organisation="MRC des Moulins")
    analyst, _ = signed_in(access, accounts, "stat@gouv.qc.ca", roles=("analyst",))
    instrument = get_instrument()
    new = service.start_guided(ana, instrument, PROFILE, client_consents=True)
    answers = dict(random_answers(instrument.questionnaire, random.Random(4), blank=0.0))
    from scoring.answers import check_answers
    answers = {k: v for k, v in answers.items() if not check_answers(instrument.questionnaire, {k: v})}
    service.save_answers(ana, new.assessment_id, answers)
    first_q = instrument.questionnaire.questions[0].id
    service.set_note(ana, new.assessment_id, first_q, "private", "PRIVATE-ABC le client hésite")
    service.set_note(ana, new.assessment_id, first_q, "shared", "SHARED-XYZ revoir le site web")
    assert service.notes(ana, new.assessment_id)[first_q].private == "PRIVATE-ABC le client hésite"
    with pytest.raises(AssessmentNotFound):
        service.notes(analyst, new.assessment_id)  # analysts never read notes
    view = repo.load(new.assessment_id)
    service.complete(ana, new.assessment_id, score_firm(instrument, PROFILE, view.answers))
    bundle = firm_results(instrument, PROFILE, repo.load(new.assessment_id).answers)
    items = [i.action.id for i in bundle.roadmap.items]
    assert len(items) >= 2
    plan = [PlanItem(items[1], "advisor", dt.date(2027, 3, 1), "Appeler l'IQ"), PlanItem(items[0], "firm", None, "", "done")]
    service.save_plan(ana, new.assessment_id, plan)
    assert service.plan(ana, new.assessment_id) == plan  # order kept, first roadmap item moved second
    for locale in ("fr", "en"):
        body = pdf_text(service.guided_pdf(ana, new.assessment_id, bundle, locale, dt.date(2026, 12, 1)))
        assert "SHARED-XYZ" in body and "PRIVATE-ABC" not in body
        assert "Ana" in body and "MRC des Moulins" in body and "Appeler l'IQ" in body.replace("’", "'")

    t1 = service.start_next_stage(ana, new.assessment_id)
    t1_view = repo.load(t1.assessment_id)
    assert t1_view.stage == Stage.T1 and t1_view.baseline_id == new.assessment_id
    assert dict(t1_view.answers) == dict(repo.load(new.assessment_id).answers)  # copied: change only what moved
    changed_q = next(q for q in instrument.questionnaire.questions if q.type == "single" and q.id in answers)
    from questionnaires.model import scale_option_ids
    other = next(o for o in scale_option_ids(instrument.questionnaire, changed_q) if o != answers[changed_q.id])
    service.save_answers(ana, t1.assessment_id, {changed_q.id: other})
    comparison = service.comparison(ana, t1.assessment_id)
    assert comparison.same_version and [c.question_id for c in comparison.changed_answers] == [changed_q.id]
    assert comparison.actions_done == (items[0],)
    page = comparison_page(comparison, "fr", {i.action.id: i.action.title.get("fr") for i in bundle.roadmap.items})
    assert page.stage_before == "T0" and page.stage_after == "T1" and page.rows[0][0] == "Score global"
    pdf = pdf_text(service.guided_pdf(ana, new.assessment_id, bundle, "fr", dt.date(2026, 12, 1), comparison=page))
    assert "Évolution de T0 à T1" in pdf and "PRIVATE-ABC" not in pdf
    # the comparison PDF is T1's: its own shared notes and plan, labelled with the stage, then T0 -> T1
    service.set_note(ana, t1.assessment_id, first_q, "shared", "SHARED-T1 site refait")
    service.set_note(ana, t1.assessment_id, first_q, "private", "PRIVATE-T1 budget serré")
    service.save_plan(ana, t1.assessment_id, [PlanItem(items[1], "firm", dt.date(2027, 9, 1), "Suite T1")])
    service.complete(ana, t1.assessment_id, score_firm(instrument, PROFILE, repo.load(t1.assessment_id).answers))
    t1_bundle = firm_results(instrument, PROFILE, repo.load(t1.assessment_id).answers)
    pdf = pdf_text(service.guided_pdf(ana, t1.assessment_id, t1_bundle, "fr", dt.date(2027, 6, 1), comparison=page))
    assert "Plan d'action convenu (T1)" in pdf.replace("’", "'") and "Notes de la séance (T1)" in pdf
    assert "SHARED-T1" in pdf and "Suite T1" in pdf and "SHARED-XYZ" not in pdf and "PRIVATE" not in pdf
    assert pdf.index("Notes de la séance (T1)") < pdf.index("Évolution de T0 à T1")

    log = repo.users.access_log(assessment_id=new.assessment_id)
    assert {"link", "change", "export"} <= {r.action for r in log}
    assert all(r.user_id == ana.user_id for r in log)
    for sql in ("UPDATE access_log SET action = 'x'", "DELETE FROM access_log"):
        with pytest.raises(Exception, match="append-only"), repo.engine.begin() as conn:
            conn.execute(text(sql))


def test_comparison_across_questionnaire_versions_uses_common_items_only(mini):
    from domain import Assessment, Consents, Status
    from services.comparison import compare

    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    def assessment(stage, answers):
        return Assessment("a" + stage, "f", Profile("31-33", "20-49", "05"), answers, Status.COMPLETED, Stage(stage), Consents(),
                          False, "x", stage, "h" + stage, now, now, now, None, 1)
    full = get_instrument()
    q0 = full.questionnaire.questions[0]
    answer = q0.options[0].id if q0.options else 1
    c = compare(assessment("T0", {q0.id: answer}), full, assessment("T1", {q0.id: answer}), mini)
    assert not c.same_version and c.common_questions == len({q.id for q in mini.questionnaire.questions}
                                                              & {q.id for q in full.questionnaire.questions})
