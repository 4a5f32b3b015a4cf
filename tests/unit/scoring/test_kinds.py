"""Question kinds: every type has one, each checks its answers with problem codes, the command
line and the UI word the same codes, and the UI accepts exactly what the core accepts."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.model import DONT_KNOW, QUESTION_TYPES, Question, Questionnaire
from questionnaires.registry import get_instrument, load_questionnaire
from scoring.answers import check_answers, describe
from scoring.kinds import KINDS, AnswerProblem, QuestionKind, answer_problems, kind_of
from scoring.layout import units_of
from tests.conftest import FIXTURES
from ui import flow

MINI = load_questionnaire(FIXTURES / "mini.yaml").questionnaire
REAL = get_instrument().questionnaire
Q = {x.id: x for x in MINI.questions}


def codes(question: Question, value: object, q: Questionnaire = MINI) -> list[tuple[str, dict]]:
    return [(p.code, dict(p.params)) for p in answer_problems(q, question, value)]


# --- registry ----------------------------------------------------------------------------------

def test_every_question_type_has_a_registered_kind():
    assert set(KINDS) == set(QUESTION_TYPES)
    members = {name: member for name, member in vars(QuestionKind).items() if not name.startswith("_")}
    for name, kind in KINDS.items():
        missing = [m for m, member in members.items()
                   if not hasattr(kind, m) or (not isinstance(member, property) and not callable(getattr(kind, m)))]
        assert not missing, f"kind for {name!r} lacks {missing}"
        assert kind.effect_form in ("set", "add", "at_least")


def test_the_small_instrument_uses_every_question_type():
    """So every test run on it covers every kind (the shipped instrument need not)."""
    assert {x.type for x in MINI.questions} == set(QUESTION_TYPES)


# --- rules shared by every kind -----------------------------------------------------------------

@pytest.mark.parametrize("question", MINI.questions, ids=lambda x: x.id)
def test_no_answer_is_never_a_problem_and_dont_know_only_where_offered(question):
    assert codes(question, None) == []
    assert codes(question, DONT_KNOW) == ([] if question.dont_know else [("dont_know_not_allowed", {})])


# --- per kind: valid values and the codes of invalid ones ---------------------------------------

def test_single_choice():
    plan = Q["plan"]
    assert codes(plan, "mid") == []
    assert codes(plan, "huge") == [("not_an_option", {"given": "'huge'", "allowed": ("low", "mid", "high")})]
    assert codes(plan, ["mid"])[0][0] == "not_an_option"
    assert codes(plan, 1.0)[0][0] == "not_an_option"


def test_checklist():
    tools = Q["tools"]
    assert codes(tools, []) == [] and codes(tools, ["web", "erp"]) == [] and codes(tools, ["none"]) == []
    assert codes(tools, "web") == [("not_a_list", {})]
    assert codes(tools, ["web", 3]) == [("not_a_list", {})]
    assert codes(tools, ["cloud"]) == [("unknown_option", {"unknown": ("cloud",), "allowed": ("web", "erp", "none")})]
    assert codes(tools, ["web", DONT_KNOW])[0][0] == "dont_know_with_others"
    assert codes(tools, [DONT_KNOW])[0][0] == "unknown_option"  # "dont_know" alone is the string, not a list
    assert codes(tools, ["web", "web"]) == [("ticked_twice", {})]
    assert codes(tools, ["web", "none"]) == [("exclusive_with_others", {"option": "none"})]


def test_matrix():
    tech, shop = Q["tech"], Q["shop"]
    assert codes(tech, {"cloud": "a3", "ai": None}) == [] and codes(shop, {"mes": "partly"}) == []
    assert codes(tech, ["a3"]) == [("not_a_mapping", {})]
    assert codes(tech, {"robots": "a1", "ai": "yes", "cloud": DONT_KNOW}) == [
        ("unknown_row", {"row": "robots"}),
        ("not_an_option", {"row": "ai", "given": "'yes'", "allowed": ("a0", "a1", "a2", "a3", "a4", "a5")}),
        ("dont_know_not_allowed", {"row": "cloud"}),
    ]


def test_number():
    share = Q["online_share"]
    assert codes(share, 0) == [] and codes(share, 100.0) == [] and codes(share, 12.5) == []
    for bad in ("12", True, float("nan"), float("inf"), [1]):
        assert codes(share, bad) == [("not_a_number", {"given": repr(bad)})]
    assert codes(share, 150.0) == [("out_of_range", {"value": 150.0, "min": 0.0, "max": 100.0})]


def test_the_command_line_wording_is_unchanged():
    """The English messages are the ones the CLI printed before the kinds existed."""
    def messages(qid: str, value: object) -> list[str]:
        return [e.message for e in check_answers(MINI, {qid: value})]

    assert messages("plan", "huge") == ["'huge' is not one of ['low', 'mid', 'high']"]
    assert messages("tech", DONT_KNOW) == ["'dont_know' is not allowed for this question"]
    assert messages("tools", "web") == ["expected a list of option ids"]
    assert messages("tools", ["web", DONT_KNOW]) == ["unknown option(s) ['dont_know']; expected among ['web', 'erp', 'none']"]
    assert messages("tools", ["web", "web"]) == ["an option is ticked twice"]
    assert messages("tools", ["web", "none"]) == ["'none' cannot be ticked together with other options"]
    assert messages("tech", "a1") == ["expected a mapping of row id to answer"]
    assert messages("tech", {"robots": "a1", "ai": "yes", "cloud": DONT_KNOW}) == [
        "unknown row 'robots'", "row 'ai': 'yes' is not one of ['a0', 'a1', 'a2', 'a3', 'a4', 'a5']",
        "row 'cloud': 'dont_know' is not allowed"]
    assert messages("online_share", "12") == ["expected a number, got '12'"]
    assert messages("online_share", 150) == ["150 is outside [0, 100]"]
    assert messages("online_share", 150.5) == ["150.5 is outside [0, 100]"]
    assert describe(AnswerProblem("ticked_twice")) == "an option is ticked twice"


# --- generated values are valid, extremes score 0 and 1, widgets round-trip ---------------------

@pytest.mark.parametrize("q", [MINI, REAL], ids=["mini", "real"])
def test_generated_values_fit_and_extremes_span_the_scale(q):
    rnd = random.Random(7)
    for question in q.questions:
        kind = kind_of(question)
        for _ in range(20):
            value = kind.random_value(q, question, rnd)
            assert answer_problems(q, question, value) == [], (question.id, value)
            shown = None if value == [] or value == {} else value  # nothing ticked or chosen reads as no answer
            if isinstance(shown, list):  # the boxes give ticked options in the checklist's order
                shown = [o.id for o in question.options or [] if o.id in shown]
            assert flow.answer_from_widgets(question, flow.widget_values(question, value)) == shown
        low, high = kind.extremes(q, question)
        assert answer_problems(q, question, low) == [] and answer_problems(q, question, high) == []
        for row, _ in kind.units(question):
            unit = (lambda v, row=row: v[row] if row is not None else v)  # noqa: E731
            assert kind.unit_score(q, question, unit(low)) == 0.0
            assert kind.unit_score(q, question, unit(high)) == pytest.approx(1.0)
        assert [u.item for u in units_of(question)] == [row for row, _ in kind.units(question)]


def test_what_if_effects_only_raise_answers():
    tools, tech, share, plan = Q["tools"], Q["tech"], Q["online_share"], Q["plan"]
    assert kind_of(tools).apply_effect(MINI, tools, ["none"], None, ["web"]) == ["web"]
    assert kind_of(tools).apply_effect(MINI, tools, ["erp"], None, ["web", "erp"]) == ["erp", "web"]
    row = {"cloud": "a4"}
    assert kind_of(tech).apply_effect(MINI, tech, row, "cloud", "a2") == {"cloud": "a4"}
    assert kind_of(tech).apply_effect(MINI, tech, row, "ai", "a2") == {"cloud": "a4", "ai": "a2"} and row == {"cloud": "a4"}
    assert kind_of(share).apply_effect(MINI, share, 30.0, None, 20.0) == 30.0
    assert kind_of(share).apply_effect(MINI, share, DONT_KNOW, None, 20.0) == 20.0
    assert kind_of(plan).apply_effect(MINI, plan, DONT_KNOW, None, "mid") == "mid"
    assert kind_of(plan).apply_effect(MINI, plan, "high", None, "mid") == "high"


# --- the UI and the core agree ------------------------------------------------------------------

def _values(q: Questionnaire) -> st.SearchStrategy[object]:
    ids = sorted({o.id for s in q.answer_scales for o in s.options} | {o.id for x in q.questions for o in x.options or []}
                 | {i.id for x in q.questions for i in x.items or []} | {DONT_KNOW, "junk", ""})
    word = st.sampled_from(ids)
    number = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 1000), st.booleans())
    scalar = st.one_of(st.none(), word, number)
    return st.one_of(scalar, st.lists(st.one_of(word, number), max_size=4),
                     st.dictionaries(word, st.one_of(st.none(), word, number), max_size=4))


@pytest.mark.parametrize("q", [MINI, REAL], ids=["mini", "real"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_ui_and_core_validation_agree(q, data):
    question = data.draw(st.sampled_from(q.questions))
    value = data.draw(_values(q))
    core_accepts = not check_answers(q, {question.id: value})
    assert flow.is_savable(q, question, value) == core_accepts
    for locale in ("fr", "en"):
        message = flow.field_error(q, question, value, locale)
        assert (message is None) == core_accepts
        assert message is None or message.strip()
    assert (question.id in flow.savable_changes(q, {question.id: value}, [question.id])) == core_accepts


@pytest.mark.parametrize(("text", "locale", "expected"), [
    ("2,5", "fr", 2.5), ("12,5", "fr", 12.5), ("12.5", "fr", 12.5), ("1 234,5", "fr", 1234.5), ("1\u00a0234", "fr", 1234.0),
    ("1\u202f234,25", "fr", 1234.25), (" 7 ", "fr", 7.0), (",5", "fr", 0.5), ("", "fr", None), ("   ", "en", None),
    ("12.5", "en", 12.5), ("1,234.5", "en", 1234.5), ("2,5", "en", "2,5"), ("12,5", "en", "12,5"), ("1,2,3", "fr", "1,2,3"),
    ("12 5", "fr", "12 5"), ("abc", "fr", "abc"), ("1e3", "en", "1e3"), ("nan", "en", "nan"), ("-3,5", "fr", -3.5),
])
def test_number_text_is_read_in_the_firms_language_and_never_changed_silently(text, locale, expected):
    from scoring.kinds.number import parse_text

    assert parse_text(text, locale) == expected


@pytest.mark.parametrize(("value", "locale", "text"), [(12.5, "fr", "12,5"), (12.5, "en", "12.5"), (40.0, "fr", "40"),
                                                      (0.25, "fr", "0,25")])
def test_number_text_round_trips(value, locale, text):
    from scoring.kinds.number import format_text, parse_text

    assert format_text(value, locale) == text and parse_text(text, locale) == value
