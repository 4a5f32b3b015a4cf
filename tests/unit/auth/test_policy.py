"""The authorisation rule, pure: roles, actions, assessment facts, pages per role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auth import Action, AssessmentAccess, Principal, Role, can, pages_for
from auth.passwords import TESTS, Passwords, check_strength
from auth.policy import ANONYMOUS_PAGES, ASSESSMENT_ACTIONS
from auth.sessions import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, expiry_reason, new_token, token_digest
from auth.throttle import DEFAULT_THROTTLE, wait_seconds

ADVISOR = Principal("u1", "a@x.ca", "A", frozenset({Role.ADVISOR}), advisor_id="adv1")
ADMIN = Principal("u2", "b@x.ca", "B", frozenset({Role.ADMIN}))
ANALYST = Principal("u3", "c@x.ca", "C", frozenset({Role.ANALYST}))
NOBODY = Principal("u4", "d@x.ca", "D", frozenset())
T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def test_no_principal_and_no_role_may_do_nothing():
    for action in Action:
        assert not can(None, action)
        assert not can(NOBODY, action, AssessmentAccess("adv1", True, True))


def test_assessment_actions_need_a_current_consenting_client_of_this_advisor():
    ok = AssessmentAccess("adv1", current_client=True, consent_advisor=True)
    for action in ASSESSMENT_ACTIONS:
        assert can(ADVISOR, action, ok)
        assert not can(ADVISOR, action, None)
        assert not can(ADVISOR, action, AssessmentAccess("adv1", current_client=False, consent_advisor=True))
        assert not can(ADVISOR, action, AssessmentAccess("adv1", current_client=True, consent_advisor=False))
        assert not can(ADVISOR, action, AssessmentAccess("other", current_client=True, consent_advisor=True))
        assert not can(ADMIN, action, ok) and not can(ANALYST, action, ok)


@given(st.sets(st.sampled_from(list(Role))), st.sampled_from(list(Action)), st.booleans(), st.booleans(), st.booleans())
def test_can_is_the_union_of_the_roles_and_never_opens_assessments_without_the_facts(roles, action, mine, current, consent):
    p = Principal("u", "e@x.ca", "E", frozenset(roles), advisor_id="adv1" if Role.ADVISOR in roles else None)
    facts = AssessmentAccess("adv1" if mine else "zz", current, consent)
    allowed = can(p, action, facts)
    if action in ASSESSMENT_ACTIONS:
        assert allowed == (Role.ADVISOR in roles and mine and current and consent)
    else:
        assert allowed == any(can(Principal("u", "e", "E", frozenset({r}), advisor_id="adv1"), action) for r in roles)


def test_pages_per_role():
    assert pages_for(None) == ANONYMOUS_PAGES
    assert pages_for(NOBODY) == ("account",)  # an identity with no role sees nothing but sign-out
    assert "caseload" in pages_for(ADVISOR) and "users" not in pages_for(ADVISOR) and "statistics" not in pages_for(ADVISOR)
    assert pages_for(ANALYST) == ("statistics", "statistics_trends", "account")
    assert set(pages_for(ADMIN)) == {"users", "assignments", "access_log", "releases", "account"}
    assert not {"statistics", "statistics_trends"} & set(pages_for(ADMIN)) and "releases" not in pages_for(ANALYST)
    both = Principal("u", "e", "E", frozenset({Role.ADMIN, Role.ADVISOR}), advisor_id="a")
    assert set(pages_for(both)) == set(pages_for(ADVISOR)) | set(pages_for(ADMIN))
    assert "welcome" not in pages_for(ADVISOR)


def test_passwords_verify_and_refuse():
    pw = Passwords(TESTS)
    stored = pw.hash("correct horse battery")
    assert pw.verify(stored, "correct horse battery")
    assert not pw.verify(stored, "correct horse batterY")
    assert not pw.verify(None, "correct horse battery")  # unknown account: compared against the dummy hash
    assert not pw.verify("not a hash", "x")
    assert stored.startswith("$argon2id$")
    assert Passwords().needs_rehash(stored)  # test parameters are below production ones: rehashed at next sign-in
    for weak in ("short", "a" * 20, " " * 13):
        with pytest.raises(ValueError):
            check_strength(weak)


def test_throttle_waits_double_and_are_capped():
    p = DEFAULT_THROTTLE
    assert wait_seconds(4, T0, T0) == 0
    assert wait_seconds(5, T0, T0) == 30
    assert wait_seconds(6, T0, T0) == 60
    assert wait_seconds(50, T0, T0) == p.max_delay.total_seconds()  # never locked for good
    assert wait_seconds(5, T0, T0 + timedelta(seconds=31)) == 0
    assert wait_seconds(19, T0, T0, free=p.client_free_failures) == 0


def test_session_expiry():
    assert expiry_reason(T0, T0, None, T0 + IDLE_TIMEOUT - timedelta(seconds=1)) is None
    assert expiry_reason(T0, T0, None, T0 + IDLE_TIMEOUT) == "idle"
    assert expiry_reason(T0, T0 + ABSOLUTE_TIMEOUT, None, T0 + ABSOLUTE_TIMEOUT) == "absolute"
    assert expiry_reason(T0, T0, T0, T0) == "signed_out"
    token = new_token()
    assert len(token) >= 43 and token_digest(token) != token and len(token_digest(token)) == 64


def test_only_admins_run_a_statistics_release_and_admins_never_view_one():
    assert can(ADMIN, Action.RUN_RELEASE)
    assert not can(ADMIN, Action.VIEW_STATISTICS) and not can(ADMIN, Action.EXPORT_STATISTICS)
    for role in (Role.ANALYST, Role.ADVISOR):
        assert not can(Principal("u", "e", "E", frozenset({role}), advisor_id="a"), Action.RUN_RELEASE)
