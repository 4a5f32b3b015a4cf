"""Server time of one results-page rerun against its parts, timed in the same process.

The page is an AppTest run of ui/pages/results.py for a stored assessment, against a 2,000-firm
synthetic pool (loaded once, as in the app). Baselines, each timed here: one bare scoring call
(``score_firm``), one comparison (``benchmark_firm``, peer cells already built, as in the app)
and one roadmap (``build_roadmap``). Figures:

- ``rerun_compute``: what one rerun whose answers changed computes, ``ui.cache.firm_results``
  (pool look-up plus the bundle) called directly; target (issue 8): <= 1.2 x (scoring +
  comparison + roadmap), i.e. nothing is computed twice;
- ``rerun_compute_in_page``: the same call timed inside the AppTest rerun (AppTest runs the
  script in its own thread beside a polling one, which slows the same calls);
- ``rerun_fresh``: the whole rerun's wall time (the above plus laying out charts and tables),
  beside ``baseline_trivial_page``, a one-widget AppTest rerun, for Streamlit's own overhead;
- ``rerun_same``: a rerun with the same answers (a what-if click, a language switch): the bundle
  is reused;
- ``before_orchestration``: the calls one rerun made before the application layer existed (two
  scorings, two comparisons, one more indicator comparison, one roadmap), reconstructed from the
  architecture review's measurement, so "before vs after" is timed on the same machine.

Run: ``python -m bench.bench_results_page`` (prints one JSON line).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from bench.harness import emit, ratio, summary, timings

APP = str(Path(__file__).resolve().parents[1] / "app.py")
ANSWERS = Path(__file__).resolve().parents[1] / "tests" / "golden" / "manufacturer.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--pool", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        os.environ["DATABASE_URL"] = url
        import streamlit as st
        from streamlit.testing.v1 import AppTest

        import cli
        import services.results as results
        from benchmarks.disclosure import DEFAULT_POLICY
        from benchmarks.indicators import compare_indicators
        from benchmarks.report import benchmark_firm
        from domain import Profile
        from questionnaires.registry import get_instrument
        from recommendations.catalog import load_catalogs
        from recommendations.prioritise import build_roadmap, signals_from
        from scoring.engine import score_firm
        from services.pool import load_pool
        from storage import open_repository

        assert cli.main(["seed-demo", "--n", str(args.pool), "--seed", "5", "--url", url]) == 0
        instrument, doc = get_instrument(), json.loads(ANSWERS.read_text(encoding="utf-8"))
        profile, answers = Profile(**doc["profile"]), doc["answers"]
        repo = open_repository(url)
        started = repo.start_assessment(instrument, profile)
        repo.save_answers(started.assessment_id, answers)

        pool = load_pool(repo, instrument)
        result = score_firm(instrument, profile, answers)
        report = benchmark_firm(instrument, profile, answers, result, pool)  # builds the peer cells once, as the app does
        catalogs = load_catalogs(instrument)
        # The roadmap as the page builds it: with the nearest peers' signals and the what-if percentile.
        signals = signals_from(report.neighbours)
        percentile_of = results._percentile_function(pool, profile, DEFAULT_POLICY)
        scoring = summary(timings(lambda: score_firm(instrument, profile, answers), args.repeat * 4, warmup=3))
        own = started.assessment_id
        comparison = summary(timings(lambda: benchmark_firm(instrument, profile, answers, result, pool, assessment_id=own),
                                     args.repeat, warmup=2))
        roadmap = summary(timings(lambda: build_roadmap(instrument, catalogs, profile, answers, result, signals, percentile_of),
                                  args.repeat, warmup=2))
        parts = scoring["median_ms"] + comparison["median_ms"] + roadmap["median_ms"]

        def before() -> None:
            again = score_firm(instrument, profile, answers)
            benchmark_firm(instrument, profile, answers, again, pool, assessment_id=started.assessment_id)
            benchmark_firm(instrument, profile, answers, again, pool)
            compare_indicators(instrument.questionnaire, profile, answers)
            build_roadmap(instrument, catalogs, profile, answers, score_firm(instrument, profile, answers), signals, percentile_of)

        before_orchestration = summary(timings(before, args.repeat, warmup=1))

        st.cache_resource.clear()
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["resume"] = started.resume_code
        at.run()
        at.switch_page("ui/pages/results.py").run()
        assert not at.exception, at.exception

        import time

        import ui.cache

        spent: list[float] = []
        original = ui.cache.firm_results

        def timed_firm_results(*a: object, **k: object) -> object:
            start = time.perf_counter()
            try:
                return original(*a, **k)  # type: ignore[arg-type]
            finally:
                spent.append(time.perf_counter() - start)

        ui.cache.firm_results = timed_firm_results  # type: ignore[assignment]

        def fresh() -> None:
            results._BUNDLES.clear()  # as if the answers had just changed
            at.run()

        rerun_fresh = summary(timings(fresh, args.repeat, warmup=1))
        rerun_compute_in_page = summary(spent[1:])  # the warm-up run is not timed
        ui.cache.firm_results = original  # type: ignore[assignment]

        def compute() -> None:
            results._BUNDLES.clear()
            ui.cache.firm_results(instrument, profile, answers, started.assessment_id)

        rerun_compute = summary(timings(compute, args.repeat, warmup=1))
        trivial = AppTest.from_string('import streamlit as st\nst.radio("Choix", ["a", "b"], key="pick")\n').run()
        baseline_trivial_page = summary(timings(trivial.run, args.repeat, warmup=1))
        rerun_same = summary(timings(at.run, args.repeat, warmup=1))
        assert not at.exception and report.peers.enough_data

    target = round(1.2 * parts, 3)
    emit("results_page", {
        "pool_firms": args.pool, "synthetic_pool": True,
        "baseline_scoring": scoring, "baseline_comparison": comparison, "baseline_roadmap": roadmap,
        "sum_of_parts_ms": round(parts, 3),
        "rerun_compute": rerun_compute, "before_orchestration": before_orchestration,
        "ratio_compute_to_parts": ratio(rerun_compute["median_ms"], parts),
        "ratio_before_to_parts": ratio(before_orchestration["median_ms"], parts),
        "ratio_compute_to_scoring": ratio(rerun_compute["median_ms"], scoring["median_ms"]),
        "target_compute_ms": target, "meets_target": rerun_compute["median_ms"] <= target,
        "rerun_compute_in_page": rerun_compute_in_page,
        "ratio_in_page_compute_to_parts": ratio(rerun_compute_in_page["median_ms"], parts),
        "rerun_fresh": rerun_fresh, "rerun_same": rerun_same, "baseline_trivial_page": baseline_trivial_page,
    })


if __name__ == "__main__":
    main()
