"""Real-browser fixtures: the app served by `streamlit run` on a free port, Debian's Chromium.

Playwright's own browser download is impossible here, so the browser is /usr/bin/chromium.
``AppServer`` and ``CHROMIUM_ARGS`` are also used by tests outside this folder.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium for one test module. Module scope, not pytest-playwright's session-scoped
    fixture: a Playwright sync loop left running would break later tests that start their own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """One ``streamlit run SCRIPT`` subprocess on a free port, started the way the e2e tests and the
    browser benchmarks need it (headless, loopback, no file watcher, no usage statistics); restartable
    on the same port so open pages reconnect by themselves."""

    def __init__(self, script: str, env: dict[str, str], log_dir: Path, *, name: str = "streamlit",
                 health_path: str = "/_stcore/health", timeout: float = 60):
        self.script, self.env, self.log_dir, self.name = script, env, log_dir, name
        self.health_path, self.timeout = health_path, timeout
        self.process: subprocess.Popen | None = None
        self.port = free_port()
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.log_dir / f"{self.name}-{self.starts}.log"

    def start(self) -> float:
        """Start on this server's port and wait until healthy; returns the seconds that took."""
        return self.start_on(self.port)

    def start_on(self, port: int) -> float:
        began = time.perf_counter()
        self.port, self.starts = port, self.starts + 1
        with self.log_path.open("wb") as log:  # a file, not a pipe: a full pipe would block the server
            self.process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", self.script, "--server.headless", "true", "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.script} exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}{self.health_path}", timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - began
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.script} did not become healthy within {self.timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """This process's environment for a server on ``database_url``, in password sign-in mode unless
    ``extra`` says otherwise."""
    env = {**os.environ, "DATABASE_URL": database_url, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    env.pop("AUTH_MODE", None)
    return {**env, **extra}


class AppServer(StreamlitServer):
    """`streamlit run app.py` on a throwaway database; ``restart`` takes a new free port."""

    def __init__(self, database_url: str, log_dir: Path):
        super().__init__("app.py", server_env(database_url), log_dir)
        self.database_url = database_url

    def restart(self) -> None:
        self.stop()
        self.start_on(free_port())


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("app-e2e")
    server = AppServer(f"sqlite:///{directory / 'app.db'}", directory)
    server.start()
    yield server
    server.stop()

