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


class AppServer:
    """`streamlit run app.py` as a subprocess on a throwaway database; restartable."""

    def __init__(self, database_url: str, log_dir: Path):
        self.database_url = database_url
        self.log_dir = log_dir
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.start_on(free_port())

    def start_on(self, port: int) -> None:
        """Start on ``port`` (the same one after a restart, so open pages reconnect by themselves)."""
        self.port, self.starts = port, self.starts + 1
        env = {**os.environ, "DATABASE_URL": self.database_url, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        log = (self.log_dir / f"streamlit-{self.starts}.log").open("wb")  # a file, not a pipe: pipes can fill and block
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("streamlit did not become healthy within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("app-e2e")
    server = AppServer(f"sqlite:///{directory / 'app.db'}", directory)
    server.start()
    yield server
    server.stop()

