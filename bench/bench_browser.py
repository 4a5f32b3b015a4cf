"""Speed as the firm feels it, in a real browser (issue 12): Playwright driving Debian's Chromium
against the app served by ``streamlit run server.py`` on a throwaway SQLite database.

Timed from the click (dispatched inside the page) until Streamlit says the run it started has
finished (``data-test-script-state`` leaves ``running`` for ``notRunning``; every delta of a run
arrives before its end, so the page is settled then):

- ``answer_click``: one answer changed on the widest step (a radio row of an adoption matrix);
- ``step``: "Next" / "Back" between steps;
- ``results_warm``: the results page opened again from the sidebar (caches warm);
- ``first_results``: the results page opened for the first time after a server start (the server
  restarted for every sample, the assessment resumed by link first);
- ``trivial_click``: the baseline, a click on a trivial page (bench/trivial_page.py) served by
  another Streamlit process in the same run, interleaved with the app's clicks.

Targets (quiet machine): answer click <= 1.5 x trivial click, step <= 400 ms median, warm results
<= 800 ms median, first results after start <= 2 s. Run: ``python -m bench.bench_browser``
(prints one JSON line and a short table; ``--repeat`` and ``--starts`` trade time for precision).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.harness import emit, ratio, summary
from tests.e2e.conftest import CHROMIUM_ARGS, StreamlitServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
PROFILE = ("31-33", "20-49", "06")  # a manufacturer: the manufacturing module makes the longest steps
TARGETS = {"answer_click_ratio": 1.5, "step_median_ms": 400, "results_warm_median_ms": 800, "first_results_median_ms": 2000}

# Installed before the app's own scripts: every WebSocket the page opens reports the start and the
# end of each script run to ``window.__dmOnRun`` ("started": a ForwardMsg whose field 9,
# ``session_status_changed``, says the script is running, or field 4, ``new_session``; "finished":
# field 6, ``script_finished``, with its status), read from the protobuf wire format. Streamlit's
# ``data-test-script-state`` attribute is not enough: React may draw "running" and "not running"
# in one render, and the run is never seen.
RUN_WATCH = """(() => {
  const fields = (b, from, to) => {
    const out = []; let i = from;
    const varint = () => {
      let v = 0, shift = 0, x;
      do { x = b[i++]; v += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80);
      return v;
    };
    while (i < to) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) out.push([field, varint()]);
      else if (wire === 2) { const n = varint(); out.push([field, [i, i + n]]); i += n; }
      else if (wire === 1) i += 8; else if (wire === 5) i += 4; else return out;
    }
    return out;
  };
  const report = (data) => {
    if (!(data instanceof ArrayBuffer) || !window.__dmOnRun) return;
    const b = new Uint8Array(data);
    for (const [field, value] of fields(b, 0, b.length)) {
      if (field === 6) window.__dmOnRun('finished', value);
      else if (field === 4) window.__dmOnRun('started', 0);
      else if (field === 9 && fields(b, value[0], value[1]).some(([f, v]) => f === 2 && v === 1)) window.__dmOnRun('started', 0);
    }
  };
  const Native = window.WebSocket;
  function Watched(...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', e => report(e.data));
    return ws;
  }
  Watched.prototype = Native.prototype;
  Object.assign(Watched, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Watched;
})();"""

# Arms a watch for the next run: it starts at the next pointer press (the real click Playwright then
# performs) and resolves with the milliseconds until a run started after it has finished (a run
# that ends early for another, st.switch_page, is not the end) and the browser has drawn the result.
FINISHED_EARLY_FOR_RERUN = 2
ARM = """([timeout, early]) => {
  let pressed = null, started = false;
  document.addEventListener('pointerdown', () => { pressed = performance.now(); }, {capture: true, once: true});
  window.__dmSettled = new Promise((resolve, reject) => {
    const timer = setTimeout(() => { window.__dmOnRun = null; reject(new Error('no run finished after the click')); }, timeout);
    window.__dmOnRun = (event, status) => {
      if (pressed === null) return;
      if (event === 'started') { started = true; return; }
      if (!started || status === early) return;
      window.__dmOnRun = null; clearTimeout(timer);
      setTimeout(() => requestAnimationFrame(() => resolve(performance.now() - pressed)), 0);
    };
  });
}"""

MAIN_RADIO_LABEL = "[data-testid='stMain'] [role='radiogroup'] label"
NEXT = "[data-testid='stMain'] .st-key-next button"
BACK = "[data-testid='stMain'] .st-key-back button"


def nav_link(page_name: str) -> str:
    return f"[data-testid='stSidebarNav'] a[href$='/{page_name}']"


def settle(page: Page, timeout: float = 30_000) -> None:
    """Wait until the page is connected and no run is in progress (after a navigation)."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    page.wait_for_timeout(200)  # a run the last action triggers may not have started yet
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)


def click_to_settled(page: Page, selector: str, nth: int = 0, timeout: float = 30_000) -> float:
    """Seconds from a real click on ``selector`` (its ``nth`` match: pointer press) until the run it
    caused finished."""
    page.evaluate(ARM, [timeout, FINISHED_EARLY_FOR_RERUN])
    page.locator(selector).nth(nth).click()
    return float(page.evaluate("window.__dmSettled")) / 1000


def seeded_assessment(database_url: str) -> str:
    """A manufacturer's assessment with every applicable question answered; returns its resume code."""
    from domain import Profile
    from questionnaires.registry import get_instrument
    from scoring.applicability import applicable_answers
    from scoring.kinds import kind_of
    from storage import open_repository

    instrument, profile = get_instrument(), Profile(*PROFILE)
    q, rnd = instrument.questionnaire, random.Random(12)
    answers: dict[str, Any] = {x.id: kind_of(x).random_value(q, x, rnd) for x in q.questions}
    applicable, _ = applicable_answers(q, profile, answers)
    repository = open_repository(database_url)
    created = repository.start_assessment(instrument, profile)
    repository.save_answers(created.assessment_id, {k: v for k, v in answers.items() if k in applicable})
    return created.resume_code


def open_app(browser: Browser, server: StreamlitServer, code: str) -> Page:
    """A fresh browser page on the questionnaire of the seeded assessment (resumed by link)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(RUN_WATCH)
    page.goto(f"{server.url}/?resume={code}")
    settle(page)
    page.wait_for_selector(NEXT)
    return page


def widest_step(page: Page, steps: int) -> int:
    """Move to the step with the most radio options (the manufacturer's technology matrices); its index."""
    best, best_count = 0, -1
    for index in range(steps):
        count = page.locator(MAIN_RADIO_LABEL).count()
        if count > best_count:
            best, best_count = index, count
        if index < steps - 1:
            click_to_settled(page, NEXT)
    for _ in range(steps - 1 - best):
        click_to_settled(page, BACK)
    return best


def step_count(page: Page) -> int:
    """How many steps the questionnaire has (walks back to the first step, then forward and back)."""
    while page.locator(BACK).is_enabled():  # a fully answered assessment resumes on its last step
        click_to_settled(page, BACK)
    steps = 1
    while not any(word in page.locator(NEXT).inner_text() for word in ("Voir mes résultats", "See my results")):
        click_to_settled(page, NEXT)
        steps += 1
    for _ in range(steps - 1):
        click_to_settled(page, BACK)
    return steps


# The index, among the main area's radio labels, of the first option of row ``row`` not chosen yet
# (clicking the chosen option would change nothing and start no run).
UNCHECKED_OPTION = """(row) => {
  const labels = [...document.querySelectorAll("[data-testid='stMain'] [role='radiogroup'] label")];
  const group = document.querySelectorAll("[data-testid='stMain'] [role='radiogroup']")[row];
  const free = [...group.querySelectorAll('label')].find(label => !label.querySelector('input').checked);
  return labels.indexOf(free);
}"""


def answer_clicks(app: Page, trivial: Page, repeat: int) -> tuple[list[float], list[float]]:
    """``repeat`` answer clicks on the app and on the trivial page, interleaved (same load)."""
    groups = app.locator("[data-testid='stMain'] [role='radiogroup']").count()
    ours, baseline = [], []
    for i in range(repeat + 3):  # the first three of each warm up
        label_index = app.evaluate(UNCHECKED_OPTION, i % groups)
        took = click_to_settled(app, MAIN_RADIO_LABEL, label_index)
        base = click_to_settled(trivial, MAIN_RADIO_LABEL, trivial.evaluate(UNCHECKED_OPTION, 0))
        if i >= 3:
            ours.append(took)
            baseline.append(base)
    return ours, baseline


def step_moves(page: Page, steps: int, position: int, repeat: int) -> list[float]:
    """From step ``position``: Next to the last step, Back to the first, and so on, until ``repeat``
    moves are timed."""
    samples: list[float] = []
    direction = 1
    while len(samples) < repeat:
        if not 0 <= position + direction < steps:
            direction = -direction
        samples.append(click_to_settled(page, NEXT if direction > 0 else BACK))
        position += direction
    return samples


def results_warm(page: Page, repeat: int) -> list[float]:
    """The results page opened from the sidebar again and again (a trip to the questionnaire between)."""
    click_to_settled(page, nav_link("results"))  # the first view fills the caches: not timed here
    samples = []
    for _ in range(repeat):
        click_to_settled(page, nav_link("questionnaire"))
        samples.append(click_to_settled(page, nav_link("results")))
    return samples


def first_results(browser: Browser, server: StreamlitServer, code: str, starts: int) -> tuple[list[float], list[float], list[float]]:
    """Per server start: seconds to healthy, to the first page (resume link) and to the first results view."""
    healthy, first_page, first_view = [], [], []
    for _ in range(starts):
        server.stop()
        healthy.append(server.start())
        began = time.perf_counter()
        page = open_app(browser, server, code)
        first_page.append(time.perf_counter() - began)
        first_view.append(click_to_settled(page, nav_link("results"), timeout=60_000))
        page.close()
    return healthy, first_page, first_view


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30, help="timed answer clicks, step moves and warm results views")
    parser.add_argument("--starts", type=int, default=3, help="server starts for the first results view")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        env = {**os.environ, "DATABASE_URL": database_url, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        code = seeded_assessment(database_url)
        app = StreamlitServer("server.py", env, Path(tmp), name="app", timeout=90)
        trivial = StreamlitServer("bench/trivial_page.py", env, Path(tmp), name="trivial", timeout=90)
        try:
            app.start()
            trivial.start()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                healthy, first_page, first_view = first_results(browser, app, code, args.starts)
                page = open_app(browser, app, code)
                steps = step_count(page)
                base_page = browser.new_page()
                base_page.add_init_script(RUN_WATCH)
                base_page.goto(trivial.url)
                settle(base_page)
                position = widest_step(page, steps)
                clicks, baseline = answer_clicks(page, base_page, args.repeat)
                moves = step_moves(page, steps, position, args.repeat)
                warm = results_warm(page, min(args.repeat, 15))
                browser.close()
        finally:
            app.stop()
            trivial.stop()
    report(summary(clicks), summary(baseline), summary(moves), summary(warm), summary(first_view),
           {"server_healthy": summary(healthy), "first_page": summary(first_page), "steps": steps})


def report(clicks: dict[str, float], baseline: dict[str, float], moves: dict[str, float], warm: dict[str, float],
           first: dict[str, float], extra: dict[str, Any]) -> None:
    click_ratio = ratio(clicks["median_ms"], baseline["median_ms"])
    meets = {
        "answer_click": click_ratio <= TARGETS["answer_click_ratio"],
        "step": moves["median_ms"] <= TARGETS["step_median_ms"],
        "results_warm": warm["median_ms"] <= TARGETS["results_warm_median_ms"],
        "first_results": first["median_ms"] <= TARGETS["first_results_median_ms"],
    }
    load = os.getloadavg()[0]
    emit("browser", {
        "database": "sqlite", "server": "streamlit run server.py", "browser": CHROMIUM, "load_average_1min": round(load, 2),
        "trivial_click": baseline, "answer_click": clicks, "answer_click_ratio_median": click_ratio,
        "answer_click_ratio_p95": ratio(clicks["p95_ms"], baseline["p95_ms"]),
        "step": moves, "results_warm": warm, "first_results": first, **extra, "targets": TARGETS, "meets_target": meets,
    })
    rows = [("trivial page click", baseline, ""), ("answer click", clicks, f"{click_ratio} x trivial (target <= 1.5 x)"),
            ("step (Next/Back)", moves, "target <= 400 ms median"), ("results, warm", warm, "target <= 800 ms median"),
            ("first results after start", first, "target <= 2000 ms median")]
    print(f"browser benchmark (1-min load average {load:.2f}):", file=sys.stderr)
    for name, figures, note in rows:
        print(f"  {name:<27} median {figures['median_ms']:8.1f} ms  p95 {figures['p95_ms']:8.1f} ms  {note}", file=sys.stderr)


if __name__ == "__main__":
    main()
