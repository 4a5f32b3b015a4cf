"""The advisor workspace's server time, through AppTest on SQLite:

- ``caseload``: a rerun of the caseload page with 1,000 current, consenting clients (target ≤ 1 s);
- ``caseload_query``: the service call alone (storage query + filter + sort);
- ``guided_step``: a rerun of the questionnaire's widest step in a guided session after one answer
  changed (autosave through the advisor service, access check and access-log row; notes beside
  every question; target ≤ 150 ms);
- ``sign_in_check``: one argon2id verification with the production parameters (m = 64 MiB, t = 2).

Each beside a trivial AppTest rerun in the same process. Run: ``python -m bench.bench_advisor``.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
from itertools import cycle
from pathlib import Path

from bench.harness import emit, ratio, summary, timings

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TRIVIAL = 'import streamlit as st\nst.radio("Choix", ["a", "b"], index=None, key="pick")\n'
PASSWORD = "correct horse battery staple"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.db'}"
        from streamlit.testing.v1 import AppTest

        import ui.auth
        from auth.passwords import PRODUCTION, TESTS, Passwords
        from bench.bench_app_step import widest_step
        from domain import Profile
        from questionnaires.registry import get_instrument
        from questionnaires.segments import load_segments
        from services.access import Access
        from services.accounts import Accounts
        from services.advisor import AdvisorService, CaseFilter
        from storage import open_repository

        repo = open_repository()
        access = Access(repo, Passwords(TESTS))
        Accounts(access).add(None, "ana@mrc.qc.ca", "Ana", roles=["advisor"], password=PASSWORD)
        outcome = access.sign_in("ana@mrc.qc.ca", PASSWORD, "bench")
        principal, service = outcome.principal, AdvisorService(access)
        assert principal is not None
        instrument, segments, rnd = get_instrument(), load_segments(), random.Random(1)
        for i in range(args.clients):
            profile = Profile(rnd.choice(segments.codes("sector")), rnd.choice(segments.codes("size")),
                              rnd.choice(segments.codes("region")), f"Entreprise {i:04d}")
            service.start_guided(principal, instrument, profile, client_consents=True)
        ui.auth._cookie_token = lambda: outcome.token  # the cookie the sign-in route sets

        trivial = AppTest.from_string(TRIVIAL, default_timeout=30).run()
        choices = cycle(["a", "b"])
        baseline = summary(timings(lambda: trivial.radio(key="pick").set_value(next(choices)).run(), args.repeat, warmup=2))

        query = summary(timings(lambda: service.caseload(principal, CaseFilter(sort="score")), args.repeat, warmup=1))
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert not at.exception, at.exception
        assert len(at.dataframe[0].value) == args.clients
        sorts = cycle(["score", "date"])
        caseload = summary(timings(lambda: at.selectbox(key="case_sort").set_value(next(sorts)).run(), args.repeat, warmup=1))
        assert not at.exception, at.exception

        # a guided session on the widest step
        first = service.caseload(principal)[0]
        from ui import guided

        at2 = AppTest.from_file(APP, default_timeout=60).run()
        at2.session_state[guided.SELECTED_KEY] = first.assessment_id
        at2.switch_page("ui/pages/advisor/client.py").run()
        at2.button(key="guided_open").click().run()
        step = widest_step(instrument.questionnaire, Profile(first.sector, first.size, first.region))
        at2.session_state["step"] = step.id
        at2.switch_page("ui/pages/questionnaire.py").run()
        row = next(r for r in at2.radio if r.key.startswith("w:"))
        from ui import flow

        question = next(x for x in step.questions if row.key.startswith(flow.widget_key(x.id)))
        keys = cycle(flow.choice_options(instrument.questionnaire, question)[:2])
        before = repo.load(first.assessment_id).revision
        guided_step = summary(timings(lambda: at2.radio(key=row.key).set_value(next(keys)).run(), args.repeat, warmup=2))
        assert not at2.exception, at2.exception
        saves = repo.load(first.assessment_id).revision - before
        notes = len([t for t in at2.text_area if t.key.startswith("note:")])

        production = Passwords(PRODUCTION)
        stored = production.hash(PASSWORD)
        check = summary(timings(lambda: production.verify(stored, "wrong password!!"), 7, warmup=1))

    emit("advisor", {
        "clients": args.clients, "database": "sqlite", "baseline_trivial_apptest": baseline,
        "caseload_query": query, "caseload_page": caseload, "caseload_ratio_median": ratio(caseload["median_ms"], baseline["median_ms"]),
        "caseload_target_ms": 1000, "caseload_meets_target": caseload["median_ms"] <= 1000,
        "guided_step": guided_step, "guided_step_autosaves": saves, "guided_step_note_fields": notes,
        "guided_step_target_ms": 150, "guided_step_meets_target": guided_step["median_ms"] <= 150,
        "sign_in_check_argon2id_m64MiB_t2": check,
    })


if __name__ == "__main__":
    main()
