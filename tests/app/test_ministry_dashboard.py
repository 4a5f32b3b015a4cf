"""The analysts' statistics pages through AppTest: an analyst signs in (as in
test_advisor_pages), sees the release list, the synthetic banner, tables with "x" and n, the
three downloads; trends keep "x"; an advisor cannot reach the dashboard; an analyst reaches no
firm-level page or call (a forged assessment id is "not found")."""

from __future__ import annotations

import pytest

from services.advisor import AdvisorService
from storage import AssessmentNotFound
from tests.app import test_advisor_pages
from tests.app.statistics_support import publish
from tests.app.test_advisor_pages import clean, page_titles, run, sign_in_as

fresh_app, access = test_advisor_pages.fresh_app, test_advisor_pages.access  # the fixtures: a database per test
DASHBOARD = "ui/pages/analyst/statistics.py"
TRENDS = "ui/pages/analyst/trends.py"


def table_values(at) -> list[str]:
    return [str(v) for table in at.table for v in table.value.to_numpy().ravel()]


def test_analyst_sees_releases_banner_tables_with_x_and_downloads(access, monkeypatch):
    publish(access)
    sign_in_as(access, monkeypatch, "stat@gouv.qc.ca", ["analyst"])
    at = clean(run())
    assert page_titles(at) == ["Statistiques ministérielles"]
    chooser = at.selectbox(key="stats_release")
    assert len(chooser.options) == 3 and chooser.options[0].startswith("[SYNTHÉTIQUE] 2026")
    assert "Données synthétiques" in at.warning[0].value
    assert any("Statistique Canada" in c.value and "«\u00a0x\u00a0»" in c.value for c in at.caption)
    assert any("audit par programme linéaire" in c.value for c in at.caption)  # the method in the page's language
    values = table_values(at)
    assert "x" in values and "Fabrication" in values
    assert [m.value for m in at.metric][:1] == ["200"]  # n firms of the total
    assert {b.proto.label for b in at.get("download_button")} == {"Télécharger en CSV", "Télécharger en XLSX (Excel)",
                                                                  "Télécharger en Parquet"}
    at.selectbox(key="stats_table").select("sector_group__region").run()
    assert any(len(t.value) == 170 for t in clean(at).table)  # the 10 x 17 registered table
    at.selectbox(key="stats_stage").select("T1").run()
    assert "x" in table_values(clean(at))
    opened = [r for r in access.repo.users.access_log() if r.action == "view_statistics"]
    assert len(opened) == 1  # one row for opening the release, none for the reruns that follow


def test_english_and_an_official_release_has_no_synthetic_banner(access, monkeypatch):
    publish(access)
    sign_in_as(access, monkeypatch, "stat@gouv.qc.ca", ["analyst"])
    at = clean(run(lang="en"))
    assert page_titles(at) == ["Ministry statistics"]
    assert "Synthetic data" in at.warning[0].value
    assert at.selectbox(key="stats_release").options[1].startswith("2025 · T0 and T1")
    at.selectbox(key="stats_release").set_value("r-2025").run()
    assert not clean(at).warning  # official, not synthetic: no banner
    assert len([r for r in access.repo.users.access_log() if r.action == "view_statistics"]) == 2  # a second release opened
    assert any("suppressed to meet the confidentiality requirements" in c.value for c in at.caption)
    assert any("Mean overall score" in t.value.columns for t in at.table)


def test_trends_keep_x_and_never_mix_synthetic_with_real_releases(access, monkeypatch):
    publish(access)
    sign_in_as(access, monkeypatch, "stat@gouv.qc.ca", ["analyst"])
    at = clean(run())
    at.switch_page(TRENDS).run()
    assert page_titles(clean(at)) == ["Tendances entre les diffusions"]
    at.selectbox(key="trend_table").select("region").run()
    values = table_values(clean(at))
    assert "x" in values and {"2024", "2025"} <= set(values) and "2026" not in values  # real releases only
    assert not at.warning
    at.checkbox(key="trend_synthetic").check().run()
    assert "2026" in table_values(clean(at)) and "Données synthétiques" in at.warning[0].value


def test_advisor_cannot_reach_the_statistics_pages(access, monkeypatch):
    sign_in_as(access, monkeypatch, "ana@mrc.qc.ca", ["advisor"])
    at = clean(run())
    for hidden in (DASHBOARD, TRENDS, "ui/pages/admin/releases.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(hidden)


def test_analyst_reaches_no_firm_page_and_a_forged_assessment_id_is_not_found(access, monkeypatch):
    from domain import Profile
    from questionnaires.registry import get_instrument
    from scoring.engine import score_firm
    from tests.app.test_advisor_pages import valid_answers  # a real, completed, consenting firm

    instrument = get_instrument()
    new = access.repo.start_assessment(instrument, Profile("31-33", "20-49", "06", "Secret Inc."), consent_advisor=True)
    access.repo.save_answers(new.assessment_id, valid_answers(instrument))
    view = access.repo.load(new.assessment_id)
    access.repo.complete(view.id, score_firm(instrument, view.profile, view.answers))
    publish(access)
    outcome = sign_in_as(access, monkeypatch, "stat@gouv.qc.ca", ["analyst"])
    at = clean(run())
    for hidden in ("ui/pages/advisor/caseload.py", "ui/pages/advisor/client.py", "ui/pages/advisor/plan.py",
                   "ui/pages/questionnaire.py", "ui/pages/results.py", "ui/pages/welcome.py", "ui/pages/admin/releases.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(hidden)
    at.session_state["advisor_assessment"] = view.id  # a forged "open client file"
    at.query_params["client"] = view.id
    clean(at.run())
    assert page_titles(at) == ["Statistiques ministérielles"]
    assert "Secret Inc." not in str([e.value for e in at.main if hasattr(e, "value")])
    principal = access.principal_for_token(outcome.token)
    service = AdvisorService(access)
    for forged in (view.id, "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(AssessmentNotFound):
            service.open(principal, forged)
