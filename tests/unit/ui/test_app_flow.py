"""The app's pure helpers (no Streamlit): steps, navigation, widget mapping, validation, results view."""


import pytest

from domain import Profile
from questionnaires.model import DONT_KNOW
from questionnaires.registry import get_instrument, load_questionnaire
from scoring.answers import check_answers
from scoring.engine import score_answers
from tests.conftest import FIXTURES
from ui import flow
from ui.results_view import chart_data, dimension_rows, level_label
from ui.text import literal

MINI = load_questionnaire(FIXTURES / "mini.yaml").questionnaire
REAL = get_instrument().questionnaire
SHOP = Profile("44-45", "5-19", "06")
FACTORY = Profile("31-33", "20-49", "06")


def ids(steps):
    return {s.id: [x.id for x in s.questions] for s in steps}


def test_one_step_per_dimension_in_order_with_module_questions_only_for_manufacturers():
    assert ids(flow.steps(MINI, SHOP, {})) == {"alpha": ["plan", "tools"], "beta": ["tech"]}
    assert ids(flow.steps(MINI, FACTORY, {})) == {"alpha": ["plan", "tools"], "beta": ["tech", "shop"]}
    real = flow.steps(REAL, SHOP, {})
    assert [s.id for s in real] == [d.id for d in REAL.dimensions]
    assert not any(x.module == "manufacturing" for s in real for x in s.questions)
    assert any(x.module == "manufacturing" for s in flow.steps(REAL, FACTORY, {}) for x in s.questions)


def test_conditional_question_appears_and_disappears_with_the_answer():
    assert "online_share" in ids(flow.steps(MINI, SHOP, {"tools": ["web"]}))["beta"]
    assert "online_share" not in ids(flow.steps(MINI, SHOP, {"tools": ["erp"]}))["beta"]
    shown = ids(flow.steps(REAL, SHOP, {"strategy_readiness": {"written_plan": "yes"}}))["strategy"]
    hidden = ids(flow.steps(REAL, SHOP, {"strategy_readiness": {"written_plan": "no"}}))["strategy"]
    assert "strategy_review" in shown and "strategy_review" not in hidden


def test_step_position_falls_forward_when_a_step_vanishes():
    only_beta = [s for s in flow.steps(MINI, SHOP, {}) if s.id == "beta"]
    assert flow.step_position(MINI, only_beta, "alpha") == 0
    steps = flow.steps(MINI, SHOP, {})
    assert flow.step_position(MINI, steps, "beta") == 1
    assert flow.step_position(MINI, steps, None) == 0
    assert flow.progress(1, 2) == 1.0 and flow.progress(0, 4) == 0.25


def test_resume_continues_at_the_first_step_with_an_unanswered_question():
    assert flow.first_open_step(MINI, SHOP, {}) == "alpha"
    assert flow.first_open_step(MINI, SHOP, {"plan": "low", "tools": ["erp"]}) == "beta"
    everything = {"plan": "low", "tools": ["erp"], "tech": {"cloud": "a1"}}
    assert flow.first_open_step(MINI, SHOP, everything) == "beta"  # all answered: the last step


SAMPLES = {
    "single": ["mid", DONT_KNOW, None],
    "multi": [["web", "erp"], ["none"], None],
    "adoption": [{"cloud": "a3", "ai": DONT_KNOW}, {"ai": "a0"}, None],
    "npy": [{"mes": "yes"}, None],
    "number": [12.5, 0.0, DONT_KNOW, None],
}


@pytest.mark.parametrize("question", MINI.questions, ids=lambda x: x.id)
def test_widget_state_round_trips_every_answer(question):
    for value in SAMPLES[question.type]:
        if value == DONT_KNOW and not question.dont_know:
            continue
        if isinstance(value, dict) and not all(row in {i.id for i in question.items} for row in value):
            continue
        expected = {k: v for k, v in value.items() if v != DONT_KNOW or question.dont_know} if isinstance(value, dict) else value
        state = flow.widget_values(question, expected)
        assert flow.answer_from_widgets(question, state) == expected


def test_widget_keys_cover_every_part_of_the_real_instrument():
    for question in REAL.questions:
        state = flow.widget_values(question, None)
        assert all(key.startswith(flow.widget_key(question.id)) for key in state)
        assert flow.answer_from_widgets(question, state) is None


def test_exclusive_box_or_dont_know_with_others_gets_a_message_and_is_not_saved():
    tools = next(x for x in MINI.questions if x.id == "tools")
    assert flow.field_error(MINI, tools, ["web", "none"], "fr") == (
        "«\u00a0Aucun\u00a0» ne peut pas être coché avec d'autres cases. Décochez l'un ou l'autre.")
    assert "“None” cannot be ticked" in flow.field_error(MINI, tools, ["none", "erp"], "en")
    assert flow.field_error(MINI, tools, ["web", "erp"], "fr") is None
    cloud = next(x for x in REAL.questions if x.id == "cloud_services")
    first = cloud.options[0].id
    assert "Je ne sais pas" in flow.field_error(REAL, cloud, [first, DONT_KNOW], "fr")
    answers = {"tools": ["web", "none"], "plan": "mid"}
    assert flow.savable_changes(MINI, answers, ["plan", "tools"]) == {"plan": "mid"}


def test_numbers_out_of_range_get_a_localised_message():
    share = next(x for x in MINI.questions if x.id == "online_share")
    assert flow.field_error(MINI, share, 150.0, "fr") == "Entrez un nombre entre 0 et 100."
    assert flow.field_error(MINI, share, -1, "en") == "Enter a number between 0 and 100."
    assert flow.field_error(MINI, share, float("nan"), "en") == "Enter a number."
    assert flow.field_error(MINI, share, 42.0, "fr") is None
    assert flow.field_error(MINI, share, DONT_KNOW, "fr") is None


def test_step_errors_only_for_questions_of_the_step():
    alpha = flow.steps(MINI, SHOP, {})[0]
    assert list(flow.step_errors(MINI, alpha, {"tools": ["erp", "none"]}, "en")) == ["tools"]
    assert flow.step_errors(MINI, alpha, {"tools": ["erp"]}, "en") == {}


def test_every_choice_option_has_a_label_in_both_languages():
    for question in REAL.questions:
        if question.type in ("single", "adoption", "npy"):
            options = flow.choice_options(REAL, question)
            assert (DONT_KNOW in options) == question.dont_know
            offered = {question.id: options[-1]} if question.type == "single" else {question.id: {question.items[0].id: options[-1]}}
            assert not check_answers(REAL, offered)  # what the widget offers is what the scoring accepts
            for locale in ("fr", "en"):
                assert all(flow.option_label(REAL, question, o, locale) for o in options)


def test_results_view_uses_level_labels_and_locale_formatted_scores():
    result = score_answers(MINI, SHOP, {"plan": "mid", "tools": ["erp"], "tech": {"cloud": "a5"}})
    rows = dimension_rows(MINI, result, "fr")
    assert [r.label for r in rows] == ["Alpha", "Bêta"]
    assert rows[0].shown == "72,5" and dimension_rows(MINI, result, "en")[0].shown == "72.5"
    assert rows[1].shown == "100,0"  # beta: only the cloud row answered, at the top of the scale
    # overall (72.5 × 1 + 100 × 2) / 3 = 90.8: the top band
    assert level_label(MINI, result.level, "fr") == "Expert" and level_label(MINI, result.level, "en") == "Advanced"
    assert level_label(MINI, None, "en") == "No answers yet"
    assert [b["dimension"] for b in chart_data(rows)] == ["Alpha", "Bêta"]
    empty = dimension_rows(MINI, score_answers(MINI, SHOP, {}), "fr")
    assert chart_data(empty) == [] and empty[0].shown == "—"


@pytest.mark.parametrize("hostile", ["Café <b>Bob & Fils</b> <font size=80>", '=HYPERLINK("http://x.example","clic")',
                                     "[lien](javascript:alert(1)) :red[rouge] $x^2$ &amp; **gras**"])
def test_literal_escapes_every_markdown_and_html_special_character(hostile):
    escaped = literal(hostile)
    unescaped = escaped.replace("\\\\", "")
    for char in "<>&[]()*$:=":
        assert all(unescaped[i - 1] == "\\" for i, c in enumerate(unescaped) if c == char)
    assert escaped.replace("\\", "") == hostile.replace("\\", "")
