"""A demo advisor from ``seed-demo --with-workspace`` signs in with the printed password and sees
every page of its synthetic caseload labelled synthetic (caseload, client, plan, comparison, and
the questionnaire and results of a guided session)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

import ui.auth
from commands import main
from services.access import Access
from tests.app.test_advisor_pages import APP, clean, fresh_app, page_titles  # noqa: F401  (fresh_app: the autouse fixture)

CASELOAD_NOTICE = {"fr": "les clients marqués comme synthétiques sont des entreprises fictives",
                   "en": "the clients marked as synthetic are fictitious businesses"}
FILE_NOTICE = {"fr": "Données synthétiques (démonstration)\u00a0: cette entreprise et ses diagnostics sont fictifs",
               "en": "Synthetic data (demonstration): this business and its assessments are fictitious"}


@pytest.fixture
def demo_advisor(fresh_app, capsys, monkeypatch):  # noqa: F811
    """Seed the demo workspace in the app's database and sign in as its first advisor."""
    from storage import open_repository

    assert main(["seed-demo", "--n", "5", "--url", fresh_app, "--with-workspace", "--advisors", "1", "--clients", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    advisor = next(a for a in json.loads(lines[1])["workspace"]["accounts"] if a["roles"] == ["advisor"])
    outcome = Access(open_repository(fresh_app)).sign_in(advisor["email"], advisor["password"], "apptest")
    assert outcome.principal is not None
    monkeypatch.setattr(ui.auth, "_cookie_token", lambda: outcome.token)
    return advisor


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_demo_advisor_sees_the_synthetic_label_on_every_advisor_view(demo_advisor, locale):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = locale
    at.session_state["case_sort"] = "name"  # "Entreprise fictive 1" (T0 and T1) first, so it is the file opened below
    clean(at.run())
    assert page_titles(at) == [{"fr": "Mes clients", "en": "My clients"}[locale]]
    assert CASELOAD_NOTICE[locale] in warnings(at)
    table = at.dataframe[0].value
    data = {"fr": "Données", "en": "Data"}[locale]
    assert table[data].tolist() == [{"fr": "synthétiques (démo)", "en": "synthetic (demo)"}[locale]] * 2
    assert all("(démo)" in name for name in table.iloc[:, 0])
    choice = at.selectbox(key="case_choice")
    assert all(o.endswith({"fr": " — synthétique", "en": " — synthetic"}[locale]) for o in choice.options)  # shown labels

    assert "(T1)" in choice.options[0]  # the firm with T0 and T1 (the comparison needs both)
    at.button(key="case_open").click().run()
    at.switch_page("ui/pages/advisor/client.py").run()
    clean(at)
    assert "(démo)" in page_titles(at)[0].replace("\\", "") and FILE_NOTICE[locale] in warnings(at)
    for page in ("plan", "comparison"):
        at.switch_page(f"ui/pages/advisor/{page}.py").run()
        assert FILE_NOTICE[locale] in warnings(clean(at)), page

    # a guided session on the demo file: the questionnaire and the results say it too
    at.switch_page("ui/pages/advisor/client.py").run()
    at.button(key="guided_open").click().run()
    assert at.session_state["draft"].saved.synthetic
    for page in ("questionnaire", "results"):
        at.switch_page(f"ui/pages/{page}.py").run()
        assert FILE_NOTICE[locale] in warnings(clean(at)), page
