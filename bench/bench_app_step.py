"""Server time of one questionnaire step: an AppTest rerun of the questionnaire page with the full
instrument after one answer changed (so the autosave to SQLite runs), against an AppTest rerun of a
trivial one-radio script in the same process.

Target (issue 3): median <= 150 ms. Run: ``python -m bench.bench_app_step`` (prints one JSON line).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from itertools import cycle
from pathlib import Path
from typing import TYPE_CHECKING

from bench.harness import emit, ratio, summary, timings

if TYPE_CHECKING:  # imported lazily below: storage reads DATABASE_URL, set in main()
    from streamlit.testing.v1 import AppTest

    from questionnaires.model import Questionnaire
    from scoring.answers import Profile
    from ui.flow import Step

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TRIVIAL = 'import streamlit as st\nst.radio("Choix", ["a", "b"], index=None, key="pick")\n'


def widest_step(q: Questionnaire, profile: Profile) -> Step:
    """The step with the most widgets (matrix rows and checkboxes count one each)."""
    from ui import flow

    return max(flow.steps(q, profile, {}), key=lambda s: sum(len(flow.widget_values(x, None)) for x in s.questions))


def questionnaire_app(profile: Profile) -> tuple[AppTest, str, list[str], Step, str]:
    """An AppTest on the widest step of a freshly started assessment, and a radio row to change."""
    from streamlit.testing.v1 import AppTest

    from questionnaires.registry import get_instrument
    from storage import open_repository
    from ui import flow

    instrument = get_instrument()
    step = widest_step(instrument.questionnaire, profile)
    created = open_repository().start_assessment(instrument, profile)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["resume"] = created.resume_code
    at.run()
    at.session_state["step"] = step.id
    at.run()
    row = next(r for r in at.radio if r.key.startswith("w:"))
    matrix = next(x for x in step.questions if row.key.startswith(flow.widget_key(x.id)))
    return at, row.key, flow.choice_options(instrument.questionnaire, matrix)[:2], step, created.assessment_id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.db'}"
        from streamlit.testing.v1 import AppTest

        from scoring.answers import Profile
        from storage import open_repository

        trivial = AppTest.from_string(TRIVIAL, default_timeout=30).run()
        choices = cycle(["a", "b"])
        baseline = summary(timings(lambda: trivial.radio(key="pick").set_value(next(choices)).run(), args.repeat, warmup=3))

        at, key, options, step, assessment_id = questionnaire_app(Profile("31-33", "20-49", "06"))
        values = cycle(options)
        before = open_repository().load(assessment_id).revision
        step_run = summary(timings(lambda: at.radio(key=key).set_value(next(values)).run(), args.repeat, warmup=3))
        assert not at.exception, at.exception
        saves = open_repository().load(assessment_id).revision - before
        assert saves == args.repeat + 3, f"expected one autosave per rerun, got {saves}"
        widgets = len(at.radio) + len(at.checkbox) + len(at.number_input)

    emit("app_step", {
        "step": step.id, "questions": len(step.questions), "widgets": widgets, "autosaves": saves, "database": "sqlite",
        "baseline_trivial_apptest": baseline, "questionnaire_step": step_run,
        "ratio_median": ratio(step_run["median_ms"], baseline["median_ms"]),
        "target_median_ms": 150, "meets_target": step_run["median_ms"] <= 150,
    })


if __name__ == "__main__":
    main()
