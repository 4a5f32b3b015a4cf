"""Sign-in security: the HTTP routes (CSRF, Origin, 401/429, cookie flags, the cookie dead after
sign-out and after the idle timeout; the sign-out route's CSRF, session end and cookie deletion)
and the timing of "unknown user" against "wrong password"."""

from __future__ import annotations

import re
import statistics
import time

import pytest
import streamlit as st
from starlette.applications import Starlette
from starlette.testclient import TestClient

from auth.passwords import HashParameters, Passwords
from auth.throttle import ThrottlePolicy
from services.access import Access
from services.accounts import Accounts
from storage import open_repository
from ui import account_routes

PASSWORD = "correct horse battery staple"


@pytest.fixture
def client(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_resource.clear()
    account_routes._access.cache_clear()
    Accounts(account_routes.access()).add(None, "ana@mrc.qc.ca", "Ana", roles=["advisor"], password=PASSWORD)
    with TestClient(Starlette(routes=account_routes.ROUTES), base_url="http://testserver") as c:
        yield c


def form(client, lang="fr"):
    page = client.get(f"/account/login?lang={lang}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return page, token


def post(client, token, email="ana@mrc.qc.ca", password=PASSWORD, **headers):
    return client.post("/account/login", data={"csrf": token, "lang": "fr", "email": email, "password": password},
                       headers={"origin": "http://testserver", **headers}, follow_redirects=False)


def test_form_is_bilingual_and_sets_a_strict_csrf_cookie(client):
    page, _ = form(client, "en")
    assert '<html lang="en">' in page.text and "E-mail address" in page.text
    cookie = page.headers["set-cookie"]
    assert "dm_csrf=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert 'lang="fr"' in form(client, "fr")[0].text


def test_csrf_and_origin_are_checked(client):
    _, token = form(client)
    assert post(client, "forged").status_code == 403
    assert post(client, token, origin="http://evil.example").status_code == 403
    client.cookies.clear()
    assert post(client, token).status_code == 403  # no csrf cookie: the double submit fails


def csrf_of(response) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', response.text).group(1)  # each answer carries a fresh token


def test_wrong_and_unknown_get_one_message_then_429(client):
    _, token = form(client)
    wrong = post(client, token, password="wrong password!!")
    unknown = post(client, csrf_of(wrong), email="nobody@mrc.qc.ca", password="wrong password!!")
    assert wrong.status_code == unknown.status_code == 401
    message = "Adresse courriel ou mot de passe incorrect."
    assert message in wrong.text and message in unknown.text
    assert post(client, token, password="wrong password!!").status_code == 403  # a used token is spent
    last = unknown
    for _ in range(4):  # ana's second to fifth failures (the unknown account's failure counts for that account only)
        last = post(client, csrf_of(last), password="wrong password!!")
        assert last.status_code == 401
    throttled = post(client, csrf_of(last))  # even the right password waits
    assert throttled.status_code == 429 and "Réessayez dans" in throttled.text


def test_sign_in_sets_an_httponly_cookie_that_dies_at_sign_out_and_at_idle_timeout(client):
    _, token = form(client)
    ok = post(client, token)
    assert ok.status_code == 303 and ok.headers["location"] == "/?lang=fr"
    cookie = next(c for c in ok.headers.get_list("set-cookie") if c.startswith("dm_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax") and "Path=/" in cookie
    session_token = cookie.split(";")[0].split("=", 1)[1]
    access = account_routes.access()
    principal = access.principal_for_token(session_token)
    assert principal is not None and principal.email == "ana@mrc.qc.ca"
    access.sign_out(principal)
    assert access.principal_for_token(session_token) is None  # the copied cookie no longer works
    _, token = form(client)
    second = next(c for c in post(client, token).headers.get_list("set-cookie") if c.startswith("dm_session="))
    new_token = second.split(";")[0].split("=", 1)[1]
    assert new_token != session_token  # a new id at every sign-in
    repo = open_repository()
    real_clock = repo.clock
    try:
        later = real_clock() + access.sessions.idle
        repo.clock = lambda: later
        assert access.principal_for_token(new_token) is None
    finally:
        repo.clock = real_clock


def session_cookie(response) -> str:
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("dm_session="))
    return cookie.split(";")[0].split("=", 1)[1]


def test_sign_out_route_ends_the_session_and_deletes_the_cookie(client):
    _, token = form(client)
    session_token = session_cookie(post(client, token))
    access = account_routes.access()
    assert access.principal_for_token(session_token) is not None

    page = client.get("/account/logout?lang=en")  # a GET shows the form and never signs out
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store" and "Signed in as Ana" in page.text
    assert "dm_csrf=" in page.headers["set-cookie"] and access.principal_for_token(session_token) is not None
    logout_token = csrf_of(page)

    def logout(csrf, **headers):
        return client.post("/account/logout", data={"csrf": csrf, "locale": "en"},
                           headers={"origin": "http://testserver", **headers}, follow_redirects=False)

    assert logout("forged").status_code == 403
    assert logout(logout_token, origin="http://evil.example").status_code == 403
    assert logout(logout_token, origin="null").status_code == 403
    assert access.principal_for_token(session_token) is not None  # refused requests changed nothing

    done = logout(logout_token)
    assert done.status_code == 303 and done.headers["location"] == "/?lang=en" and done.headers["cache-control"] == "no-store"
    deleted = next(c for c in done.headers.get_list("set-cookie") if c.startswith("dm_session="))
    assert ('Max-Age=0' in deleted or "expires=Thu, 01 Jan 1970" in deleted) and "Path=/" in deleted
    assert "dm_session" not in client.cookies  # the browser forgets it
    assert access.principal_for_token(session_token) is None  # and a copied cookie no longer works
    rows = access.repo.users.access_log()
    assert [r.action for r in rows].count("sign_out") == 1

    with TestClient(Starlette(routes=account_routes.ROUTES), base_url="http://testserver") as thief:
        thief.cookies.set("dm_session", session_token)
        again = thief.get("/account/logout?lang=fr")
        assert again.status_code == 200 and "Vous êtes déconnecté." in again.text and 'name="csrf"' not in again.text


def test_sign_out_form_of_my_account_uses_a_token_bound_to_the_session(client):
    """"My account" posts a token derived from the HttpOnly session cookie (the app cannot set the
    double-submit cookie): it works without the CSRF cookie, and only for that session."""
    _, token = form(client)
    first = session_cookie(post(client, token))
    _, token = form(client)
    second = session_cookie(post(client, token))  # another sign-in: the client now holds the second cookie
    client.cookies.delete("dm_csrf", path="/account")
    access = account_routes.access()

    def logout(csrf, **headers):
        return client.post("/account/logout", data={"csrf": csrf, "locale": "fr"},
                           headers={"origin": "http://testserver", **headers}, follow_redirects=False)

    assert logout(account_routes.sign_out_token(first)).status_code == 403  # another session's token
    assert logout(account_routes.sign_out_token(second), origin="http://evil.example").status_code == 403
    assert logout("").status_code == 403
    assert access.principal_for_token(second) is not None
    assert logout(account_routes.sign_out_token(second)).status_code == 303
    assert access.principal_for_token(second) is None and "dm_session" not in client.cookies
    assert access.principal_for_token(first) is not None  # only the session that signed out ended


def test_sign_out_route_needs_its_own_csrf_cookie(client):
    _, token = form(client)
    session_token = session_cookie(post(client, token))
    logout_token = csrf_of(client.get("/account/logout"))
    client.cookies.delete("dm_csrf", path="/account")  # a cross-site form cannot send the Strict cookie
    refused = client.post("/account/logout", data={"csrf": logout_token, "locale": "fr"}, headers={"origin": "http://testserver"},
                          follow_redirects=False)
    assert refused.status_code == 403
    assert account_routes.access().principal_for_token(session_token) is not None


def test_unknown_user_and_wrong_password_take_the_same_time(tmp_path):
    """Over 200 tries each, interleaved, the medians differ by less than 10 %. Parameters lighter
    than production's (the property is the same: one argon2 verification on both paths)."""
    repo = open_repository(f"sqlite:///{tmp_path / 't.db'}")
    access = Access(repo, Passwords(HashParameters(time_cost=2, memory_cost_kib=8192)),
                    throttle=ThrottlePolicy(free_failures=10_000, client_free_failures=10_000))
    Accounts(access).add(None, "ana@mrc.qc.ca", "Ana", roles=["advisor"], password=PASSWORD)
    wrong, unknown = [], []
    for i in range(200):
        for email, out in (("ana@mrc.qc.ca", wrong), (f"nobody{i}@mrc.qc.ca", unknown)):
            start = time.perf_counter()
            assert access.sign_in(email, "wrong password!!", "timing").principal is None
            out.append(time.perf_counter() - start)
    ratio = statistics.median(wrong) / statistics.median(unknown)
    assert 0.9 <= ratio <= 1.1, f"wrong/unknown median ratio {ratio:.3f}"
