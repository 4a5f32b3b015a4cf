"""How many active users one Streamlit process holds: a browserless WebSocket load test.

Each simulated user opens Streamlit's WebSocket (``/_stcore/stream``), speaks its protobuf
protocol (BackMsg ``rerun_script`` out, ForwardMsgs in until ``script_finished``) and performs one
action every ``--interval`` seconds (10 s, with random phase): a rerun of the page it is on, which
is what any widget change costs the server. For the app, every user first opens its own
assessment with a ``?resume=`` link, so each action re-renders a questionnaire step from its
session (answers, flow, widgets). The baseline is a trivial page (bench/trivial_page.py) under the
same load in the same run. Printed per user count: p50/p95/max latency, errors (exceptions in the
page, failed runs, dropped connections) and the server's RSS.

    python -m bench.bench_load --users 50,150 --duration 60 [--gc on|off|both]

``--gc``: Streamlit's ``runner.postScriptGC`` (a full garbage collection after every script run);
the repository ships it off in .streamlit/config.toml. Loopback only; every process it starts is
stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    first_loads: list[float] = field(default_factory=list)  # opening the page (resume link), per user
    errors: int = 0
    without_action: int = 0  # users whose first page had not finished, or who got no action in, before the end


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(script: str, port: int, env: dict[str, str], gc: bool) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
           "--runner.postScriptGC", "true" if gc else "false", "--server.enableXsrfProtection", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"streamlit did not start on port {port}")


async def run_script(ws, query: str, page_hash: str) -> tuple[bool, str]:
    """One script run; (ok, the page hash the server is now on)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_script_hash = page_hash
    await ws.send(msg.SerializeToString())
    ok = True
    while True:
        fwd = ForwardMsg()
        fwd.ParseFromString(await ws.recv())
        kind = fwd.WhichOneof("type")
        if kind == "new_session":
            page_hash = fwd.new_session.page_script_hash or page_hash
        elif kind == "navigation":
            page_hash = fwd.navigation.page_script_hash or page_hash
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element" and fwd.delta.new_element.HasField("exception"):
            ok = False
        elif kind == "script_finished":
            if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # st.switch_page / st.rerun: the next run follows
            return ok and fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY, page_hash


async def user(port: int, first_query: str, until: float, interval: float, rng: random.Random, stats: Stats) -> None:
    import websockets

    acted = False
    try:
        async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=60, ping_interval=None) as ws:
            opened = time.monotonic()
            ok, page = await run_script(ws, first_query, "")
            stats.first_loads.append(time.monotonic() - opened)
            if not ok:
                stats.errors += 1
            await asyncio.sleep(rng.uniform(0, interval))
            while time.monotonic() < until:
                started = time.monotonic()
                ok, page = await asyncio.wait_for(run_script(ws, "lang=fr", page), timeout=60)
                stats.latencies.append(time.monotonic() - started)
                acted = True
                if not ok:
                    stats.errors += 1
                await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)) * rng.uniform(0.9, 1.1))
    except Exception:  # a dropped or refused connection, a timeout: counted, the run goes on
        stats.errors += 1
    finally:
        stats.without_action += not acted


async def load(port: int, queries: list[str], duration: float, interval: float, seed: int) -> Stats:
    stats, rng = Stats(), random.Random(seed)
    until = time.monotonic() + duration
    tasks = []
    for q in queries:  # connections opened over one interval, as people arrive
        tasks.append(asyncio.create_task(user(port, q, until, interval, random.Random(rng.random()), stats)))
        await asyncio.sleep(min(interval, duration / 4) / max(1, len(queries)))
    await asyncio.gather(*tasks)
    return stats


def summary(stats: Stats) -> dict[str, float | int]:
    lat, first = sorted(stats.latencies), sorted(stats.first_loads)
    out: dict[str, float | int] = {"actions": len(lat), "errors": stats.errors, "users_without_action": stats.without_action}
    if first:
        out["first_load_p95_ms"] = round(1000 * (statistics.quantiles(first, n=20)[18] if len(first) > 1 else first[0]), 1)
    if lat:
        q = statistics.quantiles(lat, n=20) if len(lat) > 1 else [lat[0]] * 19
        out |= {"p50_ms": round(1000 * statistics.median(lat), 1), "p95_ms": round(1000 * q[18], 1),
                "max_ms": round(1000 * lat[-1], 1)}
    return out


def resume_codes(url: str, n: int) -> list[str]:
    from domain import Profile
    from questionnaires.registry import get_instrument
    from storage import open_repository

    repo, instrument = open_repository(url), get_instrument()
    return [repo.start_assessment(instrument, Profile("31-33", "20-49", "05", f"Charge {i}")).resume_code for i in range(n)]


def main() -> None:
    import json

    parser = argparse.ArgumentParser()
    parser.add_argument("--users", default="10,50,150")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load per user count")
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between one user's actions")
    parser.add_argument("--gc", choices=["on", "off", "both"], default="off", help="runner.postScriptGC")
    args = parser.parse_args()
    counts = [int(x) for x in args.users.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="dm-load-"))
    url = f"sqlite:///{workdir / 'app.db'}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    codes = resume_codes(url, max(counts) * (2 if args.gc == "both" else 1))
    try:
        for gc in ([True, False] if args.gc == "both" else [args.gc == "on"]):
            used = codes[:max(counts)] if gc or args.gc != "both" else codes[max(counts):]
            for target, script, queries in (("trivial", "bench/trivial_page.py", None), ("app", "app.py", used)):
                port = free_port()
                server = start_server(script, port, env, gc)
                try:
                    for n in counts:
                        qs = [f"resume={c}&lang=fr" for c in queries[:n]] if queries else ["lang=fr"] * n
                        stats = asyncio.run(load(port, qs, args.duration, args.interval, seed=n))
                        print(json.dumps({"benchmark": "load", "page": target, "post_script_gc": gc, "users": n,
                                          "interval_s": args.interval, "duration_s": args.duration, **summary(stats),
                                          "server_rss_mb": round(rss_mb(server.pid), 1),
                                          "loadavg_1m": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}), flush=True)
                finally:
                    server.terminate()
                    server.wait(timeout=30)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
