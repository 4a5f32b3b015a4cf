"""The server calls no third party: started as ``make run`` starts it (``python -m streamlit run
app.py`` with the project's .streamlit/config.toml, no extra flags), used by a browser, and sent a
cross-origin WebSocket handshake, it makes no connection and no name lookup beyond this machine.

Every ``socket.connect`` and ``socket.getaddrinfo`` of the server process is recorded through a
Python audit hook (a sitecustomize on PYTHONPATH), so nothing is wrapped around the command.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.e2e.conftest import ROOT, free_port
from tests.e2e.test_app_browser import wait_for_run

pytestmark = pytest.mark.e2e

HOOK = """
import json, os, sys
_log = os.environ["OUTBOUND_LOG"]
def _hook(event, args):
    if event == "socket.connect":
        address = args[1]
        record = {"event": event, "address": list(address) if isinstance(address, tuple) else str(address)}
    elif event == "socket.getaddrinfo":
        record = {"event": event, "host": str(args[0]), "port": str(args[1])}
    else:
        return
    with open(_log, "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\\n")
sys.addaudithook(_hook)
"""
LOCAL = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::", "", "None"}


def is_local(record: dict) -> bool:
    if record["event"] == "socket.getaddrinfo":
        return record["host"] in LOCAL
    address = record["address"]
    if isinstance(address, str):  # a Unix socket
        return True
    return address[0] in LOCAL or str(address[0]).startswith("127.")


def cross_origin_handshake(port: int) -> bytes:
    """A WebSocket upgrade to the app's stream from another site's origin."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://evil.example\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request.encode())
        return s.recv(200)


def test_the_server_started_like_make_run_calls_no_third_party(tmp_path, browser):
    (tmp_path / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    log = tmp_path / "outbound.jsonl"
    port = free_port()
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
           "OUTBOUND_LOG": str(log), "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "STREAMLIT_SERVER_PORT": str(port)}
    for name in [k for k in env if k.startswith("STREAMLIT_") and k != "STREAMLIT_SERVER_PORT"]:
        del env[name]  # only the project's config file, as with `make run`
    output = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py"], cwd=ROOT, env=env, stdout=output,
                              stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        time.sleep(2.5)  # the banner is printed (and, before the fix, the external IP looked up) just after start
        page = browser.new_page()
        page.goto(f"http://localhost:{port}/")
        wait_for_run(page)
        page.close()
        reply = cross_origin_handshake(port)
        assert not reply.startswith(b"HTTP/1.1 101"), reply  # another site may not open the app's socket
        time.sleep(1.5)
    finally:
        server.terminate()
        server.wait(timeout=15)
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    outside = [r for r in records if not is_local(r)]
    banner = (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")
    assert outside == [], outside
    assert "External URL" not in banner and "URL: http://localhost" in banner
