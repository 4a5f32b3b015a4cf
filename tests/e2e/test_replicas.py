"""Issue 13, part 2: two replicas behind HAProxy on PostgreSQL, in Chromium.

Migrations run once; both replicas share DATABASE_URL and server.cookieSecret; HAProxy
(deploy/haproxy.cfg) pins each browser to one replica with a cookie and checks /healthz. A firm
starts and answers; the replica serving it is restarted mid-questionnaire; the firm resumes with
its code and nothing is lost; then 12 PDF downloads out of 12 succeed through the proxy.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM_ARGS, ROOT, StreamlitServer, free_port
from tests.e2e.test_app_browser import FR, answer_first_choice, go_to_results, resume_code, start, wait_for_run

PG_URL = os.environ.get("TEST_POSTGRES_URL")
pytestmark = [
    pytest.mark.e2e, pytest.mark.slow,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium not installed"),
    pytest.mark.skipif(not shutil.which("haproxy"), reason="haproxy not installed (scripts/test.sh installs it)"),
    pytest.mark.skipif(not PG_URL, reason="TEST_POSTGRES_URL is not set (make test starts a throwaway PostgreSQL server)"),
]
DOWNLOADS = 12


def wait_healthy(url: str, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} not healthy within 60 s")


def replica(name: str, env: dict[str, str], log_dir: Path) -> StreamlitServer:
    """One replica, healthy when its own /healthz (the check HAProxy uses) answers."""
    return StreamlitServer("server.py", env, log_dir, name=name, health_path="/healthz")


def request(url: str, host: str | None = None) -> tuple[int, dict[str, str]]:
    req = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers)


def test_two_replicas_behind_haproxy_on_postgresql(tmp_path):
    from playwright.sync_api import expect, sync_playwright
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    database = f"replicas_{os.getpid()}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    url = make_url(PG_URL).set(database=database).render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
           "DM_TRUSTED_PROXY_HOPS": "1", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    subprocess.run([sys.executable, "cli.py", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)  # once
    replicas = [replica(f"r{i}", env, tmp_path) for i in (1, 2)]
    listen = free_port()
    proxy_env = {**os.environ, "DM_LISTEN": f"127.0.0.1:{listen}", "DM_ALLOWED_HOST": "127.0.0.1",
                 "DM_REPLICA_1": f"127.0.0.1:{replicas[0].port}", "DM_REPLICA_2": f"127.0.0.1:{replicas[1].port}"}
    proxy = None
    try:
        for server in replicas:
            server.start()
        proxy = subprocess.Popen(["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")], env=proxy_env,
                                 stdout=(tmp_path / "haproxy.log").open("wb"), stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{listen}"
        wait_healthy(f"{base}/healthz", proxy, "haproxy")

        # The public face: security headers, no metrics, only the expected Host.
        status, headers = request(f"{base}/")
        assert status == 200 and headers.get("referrer-policy") == "no-referrer"
        assert "frame-ancestors 'self'" in headers.get("content-security-policy", "")
        assert request(f"{base}/_stcore/metrics")[0] == 403
        assert request(f"{base}/", host="evil.example")[0] == 403

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
            page = context.new_page()
            page.goto(base)
            wait_for_run(page)
            start(page, FR, name="Atelier Réplique")
            code = resume_code(page)
            answer_first_choice(page)
            page.get_by_role("button", name=FR["next"]).click()
            wait_for_run(page)
            answer_first_choice(page)
            wait_for_run(page)
            with create_engine(url).connect() as conn:
                saved = conn.execute(text("SELECT answers FROM assessment")).scalar_one()
            assert len(saved) >= 2

            # Restart the replica this browser is pinned to, mid-questionnaire.
            pinned = next(c["value"] for c in context.cookies() if c["name"] == "DMSRV")
            serving = next(r for r in replicas if r.name == pinned)
            serving.restart()
            page.goto(f"{base}/resume")
            wait_for_run(page, timeout=60_000)
            page.get_by_role("textbox", name="Code de reprise").fill(code)
            page.get_by_role("button", name=FR["resume"], exact=True).click()
            wait_for_run(page)
            expect(page.get_by_role("heading", name="Questionnaire", exact=True)).to_be_visible()
            with create_engine(url).connect() as conn:
                assert conn.execute(text("SELECT answers FROM assessment")).scalar_one() == saved  # nothing lost

            go_to_results(page, FR)
            button = page.get_by_role("button", name="Télécharger le rapport PDF")
            succeeded = 0
            for _ in range(DOWNLOADS):
                button.scroll_into_view_if_needed()
                with page.expect_download(timeout=30_000) as download:
                    button.click()
                if download.value.failure() is None and Path(download.value.path()).read_bytes()[:5] == b"%PDF-":
                    succeeded += 1
                wait_for_run(page)
            browser.close()
        assert succeeded == DOWNLOADS
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=10)
        for server in replicas:
            server.stop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
