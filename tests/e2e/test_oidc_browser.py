"""Organisation single sign-on in Debian's Chromium: ``streamlit run server.py`` with
``AUTH_MODE=oidc`` (configured through the ``OIDC_*`` environment variables, as the README says)
against a local ``oidc-provider-mock`` running in a thread on a free loopback port.

- A person whose (issuer, subject) an admin linked with the CLI signs in at the provider and gets
  the pages of the roles granted here (the provider's ``roles`` claim says "analyst" and counts for
  nothing), then signs out: our session row ends, Streamlit's identity cookies are gone, and the
  old identity cookie put back by hand signs nobody in.
- An identity the database does not know sees only "My account" (no firm, advisor, admin page).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import ROOT, StreamlitServer, free_port
from tests.e2e.test_app_browser import shot, wait_for_run

pytestmark = pytest.mark.e2e
SUBJECT, STRANGER = "ana-7f3c", "stranger-01"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The mock OIDC provider on a free loopback port; its issuer is its own base URL."""
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=free_port()) as server:
        issuer = f"http://localhost:{server.server_port}"
        for sub, claims in ((SUBJECT, {"email": "ana@mrc.qc.ca", "name": "Ana Tremblay", "roles": ["analyst"]}),
                            (STRANGER, {"email": "ana@mrc.qc.ca", "roles": ["admin"]})):  # same e-mail: never matched on it
            request = urllib.request.Request(f"{issuer}/users/{sub}", data=json.dumps(claims).encode(), method="PUT",
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 204
        yield issuer


@pytest.fixture(scope="module")
def oidc_app(provider: str, tmp_path_factory) -> Iterator[tuple[str, str]]:
    directory = tmp_path_factory.mktemp("oidc-e2e")
    url = f"sqlite:///{directory / 'app.db'}"
    subprocess.run([sys.executable, "cli.py", "users", "add", "ana@mrc.qc.ca", "--name", "Ana Tremblay", "--role", "advisor",
                    "--role", "admin", "--organisation", "MRC Les Moulins", "--oidc-issuer", provider, "--oidc-subject", SUBJECT,
                    "--url", url], cwd=ROOT, check=True, capture_output=True, text=True)
    port = free_port()
    base = f"http://localhost:{port}"  # the redirect URI's origin: Streamlit refuses an identity cookie from another one
    env = {**os.environ, "DATABASE_URL": url, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "AUTH_MODE": "oidc",
           "OIDC_METADATA_URL": f"{provider}/.well-known/openid-configuration", "OIDC_CLIENT_ID": "dm-test",
           "OIDC_CLIENT_SECRET": secrets.token_urlsafe(16), "OIDC_REDIRECT_URI": f"{base}/oauth2callback",
           "OIDC_COOKIE_SECRET": secrets.token_urlsafe(32), "AUTHLIB_INSECURE_TRANSPORT": "1"}  # plain http on loopback only
    env.pop("OIDC_PROVIDER", None)
    app = StreamlitServer("server.py", env, directory)
    try:
        app.start_on(port)
        yield base, url
    finally:
        app.stop()


def local_only(page: Page, provider: str, base: str) -> None:
    """The browser talks to the app and the provider only (the mock's pages link a CDN stylesheet)."""
    allowed = (provider, base)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(allowed) else route.abort())


def sign_in_at_provider(page: Page, base: str, subject: str) -> None:
    page.goto(f"{base}/?lang=fr")
    wait_for_run(page)
    page.get_by_role("link", name="Espace conseillers").click()
    wait_for_run(page)
    page.get_by_role("button", name="Se connecter avec le compte de l'organisation").click()
    page.wait_for_url("**/oauth2/authorize**")  # the provider's form (authorization code + PKCE)
    page.locator("input[name=sub]").fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**")
    wait_for_run(page)


def test_oidc_sign_in_role_pages_from_our_database_and_sign_out(browser: Browser, provider: str, oidc_app):
    base, url = oidc_app
    context = browser.new_context()
    page = context.new_page()
    local_only(page, provider, base)
    sign_in_at_provider(page, base, SUBJECT)
    expect(page.get_by_role("heading", name="Mes clients")).to_be_visible()  # the advisor role, granted here
    nav = page.get_by_test_id("stSidebarNav")
    for title in ("Mes clients", "Utilisateurs", "Journal des accès", "Mon compte"):
        expect(nav.get_by_text(title, exact=True)).to_be_visible()
    expect(nav.get_by_text("Statistiques", exact=True)).to_have_count(0)  # the provider's "analyst" claim is ignored
    expect(nav.get_by_text("Diagnostic de maturité numérique", exact=True)).to_have_count(0)
    nav.get_by_text("Utilisateurs", exact=True).click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Utilisateurs")).to_be_visible()
    shot(page, "oidc-signed-in-fr")
    identity = [c for c in context.cookies() if c["name"].startswith("_streamlit_user")]
    assert identity, "st.login set Streamlit's identity cookie"

    from storage import open_repository

    repo = open_repository(url)
    user = repo.users.user_by_identity(provider, SUBJECT)
    assert user is not None and user.last_sign_in_at is not None

    nav.get_by_text("Mon compte", exact=True).click()
    wait_for_run(page)
    expect(page.get_by_text("Connecté en tant que Ana Tremblay")).to_be_visible()
    # st.logout sends the browser to the provider's end_session; the mock either asks to confirm or
    # (with a valid id_token_hint) confirms at once and returns to the app.
    with page.expect_response(lambda response: "/oauth2/end_session" in response.url, timeout=30_000):
        page.get_by_role("button", name="Se déconnecter").click()
    confirm = page.get_by_role("button", name="End session")
    try:
        confirm.wait_for(timeout=5_000)  # the mock's confirmation page, when it shows one
    except PlaywrightTimeout:
        pass  # confirmed at once: the browser is already on its way back
    else:
        confirm.click()
    page.wait_for_url(f"{base}/**")
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Diagnostic de maturité numérique")).to_be_visible()
    assert not [c for c in context.cookies() if c["name"].startswith("_streamlit_user")]  # the identity is gone
    assert [r.action for r in repo.users.access_log(user_id=user.id)][:2] == ["sign_out", "sign_in"]

    page.go_back()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Mes clients")).to_have_count(0)
    expect(page.get_by_role("heading", name="Utilisateurs")).to_have_count(0)

    context.add_cookies(identity)  # the old identity cookie, copied before signing out and put back
    page.goto(f"{base}/?lang=fr")
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Mon compte")).to_be_visible()  # our session row ended: nothing to see
    expect(page.get_by_text("n'a pas accès à cet outil")).to_be_visible()
    expect(page.get_by_role("heading", name="Mes clients")).to_have_count(0)
    context.close()


def test_an_identity_unknown_here_sees_nothing(browser: Browser, provider: str, oidc_app):
    base, _ = oidc_app
    context = browser.new_context()
    page = context.new_page()
    local_only(page, provider, base)
    sign_in_at_provider(page, base, STRANGER)  # its claims say "admin" and reuse Ana's e-mail
    expect(page.get_by_role("heading", name="Mon compte")).to_be_visible()
    expect(page.get_by_text("n'a pas accès à cet outil")).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_have_count(0)  # one page only: no navigation at all
    for title in ("Mes clients", "Utilisateurs", "Diagnostic de maturité numérique"):
        expect(page.get_by_role("heading", name=title)).to_have_count(0)
    page.goto(f"{base}/users")
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Utilisateurs")).to_have_count(0)
    shot(page, "oidc-unknown-identity")
    context.close()
