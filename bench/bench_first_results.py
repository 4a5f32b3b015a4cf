"""The first results view after a server start, with and without the start-up warm-up (issue 12).

For each mode (``WARM_UP=0``, ``WARM_UP=1``) and each round: start ``streamlit run server.py`` (as
``make run`` does) on a SQLite database holding a synthetic pool of ``--pool`` firms and one stored
assessment, wait until it is healthy, wait ``--arrive-after`` seconds (a user does not arrive the
instant the process is up), then open that assessment's results page in Chromium
(resumed by its link, then a click on "Results") and time until the results heading and the PDF
button are shown and the script has finished.
A second window then opens the same page again: the warm results view, for reference.

Run: ``python -m bench.bench_first_results`` (prints one JSON line).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench.harness import emit, summary

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
SETTLED = "[data-testid='stApp'][data-test-script-state='notRunning']"


def prepare(directory: Path, pool: int) -> tuple[str, str]:
    """(database URL, resume code of one stored assessment with an answer in every step)."""
    import cli
    from domain import Profile
    from questionnaires.registry import get_instrument
    from storage import open_repository
    from tests.answer_gen import one_top_answer_per_step

    url = f"sqlite:///{directory / 'bench.db'}"
    assert cli.main(["seed-demo", "--n", str(pool), "--seed", "1", "--url", url]) == 0
    instrument, profile = get_instrument(), Profile("31-33", "20-49", "06")
    repo = open_repository(url)
    new = repo.start_assessment(instrument, profile)
    repo.save_answers(new.assessment_id, one_top_answer_per_step(instrument.questionnaire, profile, top=False))
    return url, new.resume_code


def open_results(browser, base: str, code: str, heading: str) -> float:  # type: ignore[no-untyped-def]
    """Resume the assessment (it opens on the questionnaire), then time the click on "Results" until
    the page is shown, its script has finished and the PDF button is there."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/?resume={code}&lang=en")
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=60_000)
    page.get_by_role("heading", name="Questionnaire", exact=True).wait_for(timeout=60_000)
    page.wait_for_selector(SETTLED, timeout=60_000)
    started = time.perf_counter()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Results").click()
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    page.get_by_role("button", name="Download the PDF report").wait_for(timeout=60_000)
    page.wait_for_selector(SETTLED, timeout=60_000)
    elapsed = time.perf_counter() - started
    page.close()
    return elapsed


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import StreamlitServer

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pool", type=int, default=2000)
    parser.add_argument("--arrive-after", type=float, default=8.0)
    args = parser.parse_args()
    first: dict[str, list[float]] = {"warm_up_off": [], "warm_up_on": []}
    warm: dict[str, list[float]] = {"warm_up_off": [], "warm_up_on": []}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        directory = Path(tmp)
        url, code = prepare(directory, args.pool)
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for round_ in range(args.rounds):
            for mode, on in (("warm_up_off", False), ("warm_up_on", True)):
                env = {**os.environ, "DATABASE_URL": url, "WARM_UP": "1" if on else "0",
                       "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
                server = StreamlitServer("server.py", env, directory, name=f"{mode}-{round_}", timeout=90)
                server.start()
                try:
                    time.sleep(args.arrive_after)
                    first[mode].append(open_results(browser, server.url, code, "Your results"))
                    warm[mode].append(open_results(browser, server.url, code, "Your results"))
                finally:
                    server.stop()
        browser.close()
    emit("first_results_after_start", {"pool": args.pool, "arrive_after_s": args.arrive_after, "rounds": args.rounds,
          **{f"first_{m}": summary(v) for m, v in first.items()}, **{f"again_{m}": summary(v) for m, v in warm.items()}})


if __name__ == "__main__":
    main()
