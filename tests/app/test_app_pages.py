"""Each page's logic through Streamlit's AppTest, on a throwaway SQLite database per test."""


import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.sections as results_sections
from domain import Profile
from questionnaires.registry import get_instrument
from tests.answer_gen import fill_other_steps, one_top_answer_per_step
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
HOSTILE = "Café <b>Bob & Fils</b> <font size=80>"


@pytest.fixture(autouse=True)
def fresh_app(tmp_path, monkeypatch):
    """Empty caches and a new database for every test (AppTest shares the pytest process)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def new_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def repo(url):
    from storage import open_repository

    return open_repository(url)


def start_through_profile(at: AppTest, sector="44-45", size="5-19", region="06", name="") -> AppTest:
    at.button(key="start").click().run()  # at.switch_page would pin the page for every later run
    at.selectbox(key="profile_sector").select(sector)
    at.selectbox(key="profile_size").select(size)
    at.selectbox(key="profile_region").select(region)
    at.text_input(key="profile_name").input(name)
    return at.button[0].click().run()


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "error", "warning")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def created_profile() -> Profile:
    return Profile("44-45", "1-4", "01")


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


# --- welcome and language ----------------------------------------------------------------------

def test_welcome_is_french_by_default_with_duration_and_privacy_summary():
    at = new_app()
    assert_clean(at)
    low, high = get_instrument().questionnaire.estimated_minutes
    assert at.title[0].value == "Diagnostic de maturité numérique"
    assert f"environ {low} à {high} minutes" in texts(at)
    assert "180 jours" in texts(at)
    assert at.query_params["lang"] == "fr"


def test_language_from_the_link_and_the_switch_persists_across_pages():
    at = new_app(lang="en")
    assert at.title[0].value == "Digital maturity self-assessment"
    at.radio(key="language_choice").set_value("fr").run()
    assert at.title[0].value == "Diagnostic de maturité numérique"
    at.switch_page("ui/pages/privacy.py").run()
    assert at.title[0].value == "Confidentialité" and at.query_params["lang"] == "fr"
    at.radio(key="language_choice").set_value("en").run()
    at.switch_page("ui/pages/resume.py").run()
    assert at.title[0].value == "Resume an assessment"


# --- profile --------------------------------------------------------------------------------------

def test_profile_requires_the_three_segments_and_consents_start_unticked(fresh_app):
    at = new_app()
    at.switch_page("ui/pages/profile.py").run()
    assert at.checkbox(key="profile_consent_statistics").value is False
    assert at.checkbox(key="profile_consent_advisor").value is False
    at.selectbox(key="profile_sector").select("31-33")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Choisissez une valeur pour «\u00a0Nombre d'employés\u00a0»."
                                           , "Choisissez une valeur pour «\u00a0Région administrative\u00a0»."]
    with repo(fresh_app).engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from assessment")).scalar() == 0


def test_starting_stores_the_profile_shows_the_code_and_opens_the_questionnaire(fresh_app):
    at = start_through_profile(new_app(), sector="31-33", name=HOSTILE)
    assert_clean(at)
    draft = at.session_state["draft"]
    assert at.title[0].value == "Questionnaire"
    assert [c.value for c in at.code].count(draft.resume_code) == 2  # the prominent box and the sidebar
    view = repo(fresh_app).load(draft.assessment_id)
    assert view.profile == Profile("31-33", "5-19", "06", HOSTILE)
    assert (view.consent_statistics, view.consent_advisor) == (False, False)
    assert "Entreprise\u00a0: " + HOSTILE in [e.value for e in at.text]  # shown literally as plain text, never as HTML
    assert HOSTILE not in texts(at) and "Bob" not in texts(at)  # and never through Markdown


# --- questionnaire --------------------------------------------------------------------------------

def test_each_change_is_autosaved_and_conditional_questions_follow_the_answers(fresh_app):
    at = start_through_profile(new_app())
    assessment = at.session_state["draft"].assessment_id
    assert "w:strategy_review" not in [r.key for r in at.radio]
    at.radio(key="w:strategy_readiness:written_plan").set_value("yes").run()
    assert "w:strategy_review" in [r.key for r in at.radio]
    assert repo(fresh_app).load(assessment).answers == {"strategy_readiness": {"written_plan": "yes"}}
    at.radio(key="w:strategy_readiness:written_plan").set_value("no").run()
    assert "w:strategy_review" not in [r.key for r in at.radio]
    at.checkbox(key="w:digital_investment_areas:finance").check().run()
    assert repo(fresh_app).load(assessment).answers["digital_investment_areas"] == ["finance"]


def test_exclusive_none_with_others_is_flagged_next_to_the_field_kept_and_not_saved(fresh_app):
    at = start_through_profile(new_app())
    assessment = at.session_state["draft"].assessment_id
    at.checkbox(key="w:digital_investment_areas:finance").check().run()
    at.checkbox(key="w:digital_investment_areas:none").check().run()
    assert [e.value for e in at.error] == [
        "«\u00a0Aucune de ces fonctions\u00a0» ne peut pas être coché avec d'autres cases. Décochez l'un ou l'autre."]
    assert at.session_state["draft"].answers["digital_investment_areas"] == ["finance", "none"]
    assert repo(fresh_app).load(assessment).answers["digital_investment_areas"] == ["finance"]
    at.button(key="next").click().run()
    assert at.header[0].value == "Stratégie d'affaires numérique"  # Next waits for a valid answer
    at.checkbox(key="w:digital_investment_areas:finance").uncheck().run()
    assert not at.error
    at.button(key="next").click().run()
    assert at.header[0].value == "Préparation numérique"
    assert repo(fresh_app).load(assessment).answers["digital_investment_areas"] == ["none"]


def test_back_and_next_keep_answers_and_progress_and_module_only_for_manufacturers():
    at = start_through_profile(new_app(), sector="31-33")
    assert at.session_state["draft"].profile.sector == "31-33"
    at.button(key="next").click().run()
    assert any(r.key.startswith("w:production_technologies:") for r in at.radio)
    first_row = next(r.key for r in at.radio if r.key.startswith("w:business_software:"))
    option = next(scale for scale in get_instrument().questionnaire.answer_scales if scale.id == "adoption").options[2].id
    at.radio(key=first_row).set_value(option).run()
    at.button(key="back").click().run()
    at.button(key="next").click().run()
    assert at.radio(key=first_row).value == option
    shop = start_through_profile(new_app(), sector="44-45")
    shop.button(key="next").click().run()
    assert not any(r.key.startswith("w:production_technologies:") for r in shop.radio)


def test_numbers_out_of_range_get_a_message_in_the_firms_language_and_dont_know_works(fresh_app):
    at = start_through_profile(new_app())
    at.session_state["step"] = "ecommerce"
    at.run()
    at.checkbox(key="w:online_sales_channels:own_website").check().run()
    assessment = at.session_state["draft"].assessment_id
    assert at.text_input(key="w:online_sales_share").value is None
    assert "Un nombre de 0 à 100." in texts(at)
    at.text_input(key="w:online_sales_share").input("150").run()
    assert [e.value for e in at.error] == ["Entrez un nombre entre 0 et 100."]
    assert "online_sales_share" not in repo(fresh_app).load(assessment).answers
    at.text_input(key="w:online_sales_share").input("12.5").run()
    assert not at.error and repo(fresh_app).load(assessment).answers["online_sales_share"] == 12.5
    at.checkbox(key="w:online_sales_share:dont_know").check().run()
    assert at.text_input(key="w:online_sales_share").disabled
    assert repo(fresh_app).load(assessment).answers["online_sales_share"] == "dont_know"


# --- results ----------------------------------------------------------------------------------------

def test_results_show_levels_dii_and_complete_marks_the_assessment(fresh_app):
    at = start_through_profile(new_app(), name=HOSTILE)
    at.radio(key="w:strategy_readiness:written_plan").set_value("yes").run()
    fill_other_steps(at)  # results need a scored answer in every dimension
    seen = []
    results_sections.RESULT_SECTIONS.append(seen.append)
    try:
        at.switch_page("ui/pages/results.py").run()
    finally:
        results_sections.RESULT_SECTIONS.remove(seen.append)
    assert_clean(at)
    q = get_instrument().questionnaire
    top, lowest_dii = q.levels[-1].label.fr, q.dii.levels[0].label.fr  # one answer at the top of its scale; no DII item met
    own = [(m.label, m.value) for m in at.metric][:4]  # sections appended by other packages follow
    assert own == [("Score global", "100,0"), ("Niveau", top), ("Score IIN (sur 12)", "0 / 12"), ("Niveau", lowest_dii)]
    assert "population d'Eurostat" in texts(at) and "Niveau de base non atteint (moins de 4 sur 12)." in texts(at)
    assert HOSTILE in [e.value for e in at.text] and "Bob" not in texts(at)  # the name as plain text, never Markdown
    [context] = seen
    assert context.locale == "fr" and context.bundle.result.overall == 100.0 and context.bundle.profile.name == HOSTILE
    at.button(key="complete").click().run()
    view = repo(fresh_app).load(context.assessment_id)
    assert view.status == "completed" and view.result["overall"] == 100.0
    assert "Diagnostic terminé" in texts(at)


def test_a_failing_section_does_not_hide_the_results():
    at = start_through_profile(new_app(lang="en"))
    fill_other_steps(at, skip=())

    def broken(ctx):
        raise RuntimeError("boom")

    results_sections.RESULT_SECTIONS.append(broken)
    try:
        at.switch_page("ui/pages/results.py").run()
    finally:
        results_sections.RESULT_SECTIONS.remove(broken)
    assert at.metric[0].label == "Overall score"
    assert at.error[-1].value == "This section could not be shown (RuntimeError)."


def test_pages_without_an_open_assessment_point_to_start_or_resume():
    at = new_app()
    for page in ("ui/pages/questionnaire.py", "ui/pages/results.py"):
        at.switch_page(page).run()
        assert_clean(at)
        assert "Aucun diagnostic n'est ouvert" in at.info[0].value


# --- resume -----------------------------------------------------------------------------------------

def test_resume_by_code_in_a_new_session_restores_every_answer(fresh_app):
    first = start_through_profile(new_app(), sector="31-33")
    first.radio(key="w:strategy_readiness:written_plan").set_value("partly").run()
    first.checkbox(key="w:digital_investment_areas:finance").check().run()
    code = first.session_state["draft"].resume_code
    st.cache_resource.clear()  # as after a server restart: only the database remains
    later = new_app()
    later.switch_page("ui/pages/resume.py").run()
    later.text_input(key="resume_code_input").input(code.lower().replace("-", " "))
    later.button[0].click().run()
    assert_clean(later)
    assert later.title[0].value == "Questionnaire"
    assert later.session_state["draft"].answers == {"strategy_readiness": {"written_plan": "partly"},
                                                     "digital_investment_areas": ["finance"]}
    assert later.radio(key="w:strategy_readiness:written_plan").value == "partly"
    assert later.checkbox(key="w:digital_investment_areas:finance").value is True
    assert later.session_state["draft"].resume_code == code
    assert "Diagnostic repris" in texts(later)


def test_resume_by_link_opens_the_questionnaire_and_drops_the_code_from_the_address(fresh_app):
    created = repo(fresh_app).start_assessment(get_instrument(), Profile("44-45", "1-4", "01"))
    repo(fresh_app).save_answers(created.assessment_id, {"digital_investment_areas": ["finance"]}, step="strategy")
    at = new_app(resume=created.resume_code, lang="en")
    assert_clean(at)
    assert at.title[0].value == "Questionnaire"
    assert at.checkbox(key="w:digital_investment_areas:finance").value is True
    assert "resume" not in at.query_params


def test_wrong_code_reveals_nothing_and_repeated_failures_ask_to_wait():
    at = new_app(resume="AAAA-BBBB-CCCC")
    assert at.title[0].value == "Reprendre un diagnostic"
    assert at.error[0].value == "Ce code ne correspond à aucun diagnostic. Vérifiez-le et réessayez."
    assert "draft" not in at.session_state
    for _ in range(6):
        at.text_input(key="resume_code_input").input("WRONG-CODE")
        at.button[0].click().run()
    assert at.error[0].value.startswith("Trop d'essais avec un code erroné. Veuillez patienter ")
    assert "secondes" in at.error[0].value


# --- privacy ----------------------------------------------------------------------------------------

def test_delete_with_code_removes_the_assessment_from_the_database(fresh_app):
    at = start_through_profile(new_app(), name="Bob")
    at.checkbox(key="w:digital_investment_areas:finance").check().run()
    code = at.session_state["draft"].resume_code
    at.switch_page("ui/pages/privacy.py").run()
    assert "hachage" in texts(at) and "180 jours" in texts(at)
    at.text_input(key="delete_code").input(code)
    at.button[0].click().run()
    assert at.warning[0].value == "Entrez votre code et cochez la confirmation."
    at.text_input(key="delete_code").input(code)
    at.checkbox(key="delete_confirm").check()
    at.button[0].click().run()
    assert at.success[0].value == "Votre diagnostic a été supprimé."
    assert "draft" not in at.session_state
    with repo(fresh_app).engine.connect() as conn:
        for table in ("assessment", "firm", "resume_credential", "assessment_log"):
            assert conn.execute(sa.text(f"select count(*) from {table}")).scalar() == 0, table
    at.text_input(key="delete_code").input(code)
    at.checkbox(key="delete_confirm").check()
    at.button[0].click().run()
    assert at.error[0].value == "Ce code ne correspond à aucun diagnostic. Vérifiez-le et réessayez."


# --- later changes ----------------------------------------------------------------------------------

def test_editing_the_profile_updates_the_database_and_the_questions(fresh_app):
    at = start_through_profile(new_app(), sector="31-33")
    assessment = at.session_state["draft"].assessment_id
    at.button(key="next").click().run()
    assert any(r.key.startswith("w:production_technologies:") for r in at.radio)
    at.switch_page("ui/pages/profile.py").run()
    assert at.selectbox(key="profile_sector").value == "31-33"  # the form shows the stored profile
    at.selectbox(key="profile_sector").select("44-45")
    at.checkbox(key="profile_consent_advisor").check()
    at.button[0].click().run()
    view = repo(fresh_app).load(assessment)
    assert view.profile.sector == "44-45" and view.consent_advisor and not view.consent_statistics
    assert at.session_state["draft"].profile.sector == "44-45"


def test_switching_language_mid_questionnaire_keeps_the_answers():
    at = start_through_profile(new_app())
    at.radio(key="w:strategy_readiness:written_plan").set_value("partly").run()
    at.checkbox(key="w:digital_investment_areas:finance").check().run()
    at.radio(key="language_choice").set_value("en").run()
    assert at.header[0].value == get_instrument().questionnaire.dimensions[0].label.en
    assert at.radio(key="w:strategy_readiness:written_plan").value == "partly"
    assert at.checkbox(key="w:digital_investment_areas:finance").value is True
    assert at.button(key="next").label == "Next"


def test_changing_an_answer_after_completion_reopens_the_draft(fresh_app):
    created = repo(fresh_app).start_assessment(get_instrument(), Profile("44-45", "1-4", "01"))
    repo(fresh_app).save_answers(created.assessment_id, one_top_answer_per_step(get_instrument().questionnaire, created_profile()))
    at = new_app(resume=created.resume_code)
    at.switch_page("ui/pages/results.py").run()
    at.button(key="complete").click().run()
    assert repo(fresh_app).load(created.assessment_id).status == "completed"
    later = new_app(resume=created.resume_code)
    later.checkbox(key="w:digital_investment_areas:finance").uncheck().run()  # ticked by the seeded answers
    assert repo(fresh_app).load(created.assessment_id).status == "draft"
    assert later.session_state["draft"].status == "draft"


def test_closing_forgets_the_assessment_in_this_window_only(fresh_app):
    at = start_through_profile(new_app())
    at.checkbox(key="w:digital_investment_areas:finance").check().run()
    draft = at.session_state["draft"]
    at.button(key="close_assessment").click().run()
    assert "draft" not in at.session_state
    assert at.title[0].value == "Diagnostic de maturité numérique"
    assert at.button(key="start")
    assert repo(fresh_app).load(draft.assessment_id).answers == {"digital_investment_areas": ["finance"]}


def test_a_database_outage_keeps_the_answers_in_the_session_and_says_so(fresh_app, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from storage.repository import Repository

    at = start_through_profile(new_app())
    real_save = Repository.save_answers

    def outage(self, *args, **kwargs):
        raise OperationalError("UPDATE assessment", {}, Exception("database is locked"))

    monkeypatch.setattr(Repository, "save_answers", outage)
    at.checkbox(key="w:digital_investment_areas:finance").check().run()
    assert at.session_state["draft"].answers["digital_investment_areas"] == ["finance"]
    assert at.warning[0].value.startswith("Vos dernières réponses n'ont pas pu être enregistrées (OperationalError).")
    monkeypatch.setattr(Repository, "save_answers", real_save)
    at.button(key="next").click().run()  # Next saves the whole step again
    assert not at.warning
    assert repo(fresh_app).load(at.session_state["draft"].assessment_id).answers["digital_investment_areas"] == ["finance"]


def test_a_url_in_the_firm_name_is_plain_text_never_a_link(fresh_app):
    """Issue 13, finding 6: Markdown turned URLs in a name into clickable links, escaped or not."""
    name = "Visitez www.evil.example ou https://evil.example/x"
    at = start_through_profile(new_app(), name=name)
    assert_clean(at)
    fill_other_steps(at, skip=())  # enough answers for results (issue 12)
    at.switch_page("ui/pages/results.py").run()
    assert_clean(at)
    assert name in [e.value for e in at.text] and "Entreprise\u00a0: " + name in [e.value for e in at.text]
    assert "evil" not in texts(at)  # no Markdown element carries it


# --- issue 12 ---------------------------------------------------------------------------------------

def test_browsing_a_completed_assessment_keeps_it_completed_and_a_real_change_says_it_reopens(fresh_app):
    created = repo(fresh_app).start_assessment(get_instrument(), Profile("44-45", "1-4", "01"))
    repo(fresh_app).save_answers(created.assessment_id, {"digital_investment_areas": ["finance"]})
    repo(fresh_app).complete(created.assessment_id, {"overall": 10.0, "level": "beginner", "dimensions": {}})
    at = new_app(resume=created.resume_code)
    assert "Ce diagnostic est terminé" in texts(at)
    at.button(key="next").click().run()
    at.button(key="back").click().run()
    view = repo(fresh_app).load(created.assessment_id)
    assert view.status == "completed" and view.expires_at is None  # browsing reopens nothing
    at.checkbox(key="w:digital_investment_areas:finance").uncheck().run()
    assert repo(fresh_app).load(created.assessment_id).status == "draft"
    assert "Votre modification a rouvert le diagnostic" in texts(at)


@pytest.mark.parametrize(("typed", "stored", "shown"), [("2,5", 2.5, "2,5"), ("12,5", 12.5, "12,5"), ("12.5", 12.5, "12,5")])
def test_a_french_decimal_comma_is_read_as_a_decimal_never_as_another_value(fresh_app, typed, stored, shown):
    at = start_through_profile(new_app())
    at.session_state["step"] = "ecommerce"
    at.run()
    at.checkbox(key="w:online_sales_channels:own_website").check().run()
    at.text_input(key="w:online_sales_share").input(typed).run()
    assert not at.error
    assert repo(fresh_app).load(at.session_state["draft"].assessment_id).answers["online_sales_share"] == stored
    at.radio(key="language_choice").set_value("en").run()
    at.radio(key="language_choice").set_value("fr").run()
    assert at.text_input(key="w:online_sales_share").value == shown


def test_text_that_is_not_a_number_is_kept_flagged_and_not_saved(fresh_app):
    at = start_through_profile(new_app(lang="en"))
    at.session_state["step"] = "ecommerce"
    at.run()
    at.checkbox(key="w:online_sales_channels:own_website").check().run()
    at.text_input(key="w:online_sales_share").input("2,5").run()  # ambiguous in English: refused, not read as 25
    assert [e.value for e in at.error] == ["Enter a number."]
    assert at.session_state["draft"].answers["online_sales_share"] == "2,5"
    assert "online_sales_share" not in repo(fresh_app).load(at.session_state["draft"].assessment_id).answers


def test_an_empty_assessment_gets_no_results_and_is_told_what_is_missing_and_where(fresh_app):
    at = start_through_profile(new_app())
    at.radio(key="w:strategy_readiness:written_plan").set_value("yes").run()
    at.switch_page("ui/pages/results.py").run()
    assert_clean(at)
    # no report to download (the resume card's downloads in the sidebar are the code, not results)
    assert not at.metric and [b.key for b in at.get("download_button") if not b.key.startswith("resume_card_")] == []
    assert "complete" not in [b.key for b in at.button]  # nothing to complete, no PDF projected from nothing
    assert "Pas encore de résultats" in texts(at)
    assert "**Préparation numérique**\u00a0: 0 question(s) répondue(s) sur" in texts(at)
    assert "Stratégie d'affaires numérique" not in texts(at)  # that step has a scored answer
    at.button(key="answer_readiness").click().run()
    assert at.title[0].value == "Questionnaire" and at.header[0].value == "Préparation numérique"


def test_after_deletion_the_sidebar_no_longer_shows_the_firm_or_its_code(fresh_app):
    at = start_through_profile(new_app(), name="Boulangerie Tremblay")
    code = at.session_state["draft"].resume_code
    at.switch_page("ui/pages/privacy.py").run()
    at.text_input(key="delete_code").input(code)
    at.checkbox(key="delete_confirm").check()
    at.button[0].click().run()
    assert at.success[0].value == "Votre diagnostic a été supprimé."
    sidebar = "\n".join(str(e.value) for e in at.sidebar.markdown)
    assert "Tremblay" not in sidebar and not at.sidebar.code and code not in str(at.sidebar)


def test_profile_messages_sit_under_their_fields_and_go_as_soon_as_they_are_fixed(fresh_app):
    at = new_app()
    at.switch_page("ui/pages/profile.py").run()
    at.button(key="profile_submit").click().run()
    assert len(at.error) == 3
    children = list(at.main)
    keys = [getattr(e, "key", None) for e in children]
    size_at = keys.index("profile_size")
    assert children[size_at + 1].type == "error" and "Nombre d'employés" in children[size_at + 1].value  # right under it
    at.selectbox(key="profile_size").select("5-19").run()
    assert [e.value for e in at.error] == ["Choisissez une valeur pour «\u00a0Secteur d'activité (SCIAN)\u00a0».",
                                           "Choisissez une valeur pour «\u00a0Région administrative\u00a0»."]


def test_the_low_confidence_footnote_is_a_footnote_not_a_bullet(fresh_app):
    at = start_through_profile(new_app())
    at.radio(key="w:strategy_readiness:written_plan").set_value("yes").run()
    fill_other_steps(at)
    at.switch_page("ui/pages/results.py").run()
    [note] = [c.value for c in at.caption if "Moins de la moitié" in c.value]
    assert note.startswith("\\*")  # Markdown would draw "* text" as a bullet list
