"""Issue 12, progress on the questionnaire: every step named in advance with its counts, the
current one marked, the adoption scale's definitions where the scale is used, the unanswered
questions before results with a way to each step; and answers written off the critical path
without ever being lost."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from domain import Profile
from questionnaires.registry import get_instrument
from tests.app.test_app_pages import new_app, repo, start_through_profile
from ui import flow

Q = get_instrument().questionnaire


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    """Empty caches and a new SQLite file for every test (AppTest shares the pytest process)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def step_list(at: AppTest) -> str:
    [block] = [m.value for m in at.markdown if "1. " in m.value and ("Les étapes" in m.value or "The questionnaire" in m.value)]
    return block


def line_of(block: str, name: str) -> str:
    [line] = [x for x in block.splitlines() if name in x.replace("\\", "")]
    return line.replace("\\", "")


def steps_for(profile: Profile) -> list[flow.Step]:
    return flow.steps(Q, profile, {})


def test_every_step_is_named_in_advance_with_the_current_one_marked_and_its_counts():
    at = start_through_profile(new_app())
    block = step_list(at)
    steps = steps_for(Profile("44-45", "5-19", "06"))
    for n, step in enumerate(steps, start=1):
        line = line_of(block, step.dimension.label.fr)
        assert line.startswith(f"{n}. ")
        assert f"réponses\u00a0: 0 sur {len(step.questions)} · à faire\u00a0: {len(step.questions)}" in line
    first = line_of(block, steps[0].dimension.label.fr)
    assert "(étape en cours)" in first and first.count("**") == 2  # marked in words, not only in bold
    assert sum("(étape en cours)" in x for x in block.splitlines()) == 1
    at.button(key="next").click().run()
    assert "(étape en cours)" in line_of(step_list(at), steps[1].dimension.label.fr)


def test_the_counts_change_when_a_question_is_answered_and_when_the_answer_is_taken_back():
    at = start_through_profile(new_app(lang="en"))
    strategy = steps_for(Profile("44-45", "5-19", "06"))[0]
    total = len(strategy.questions)
    assert f"answered: 0 of {total} · left: {total}" in line_of(step_list(at), strategy.dimension.label.en)
    at.checkbox(key="w:digital_investment_areas:finance").check().run()
    assert f"answered: 1 of {total} · left: {total - 1}" in line_of(step_list(at), strategy.dimension.label.en)
    at.radio(key="w:strategy_readiness:written_plan").set_value("yes").run()  # opens the conditional review question
    assert f"answered: 2 of {total + 1} · left: {total - 1}" in line_of(step_list(at), strategy.dimension.label.en)
    at.checkbox(key="w:digital_investment_areas:finance").uncheck().run()
    assert f"answered: 1 of {total + 1} · left: {total}" in line_of(step_list(at), strategy.dimension.label.en)


def last_step(at: AppTest) -> AppTest:
    at.session_state["step"] = steps_for(at.session_state["draft"].profile)[-1].id
    return at.run()


def test_the_last_step_lists_the_unanswered_questions_with_a_button_to_each_step():
    at = start_through_profile(new_app())
    at.checkbox(key="w:digital_investment_areas:finance").check().run()
    steps = steps_for(at.session_state["draft"].profile)
    assert not [s for s in at.subheader if "sans réponse" in s.value]  # only on the last step
    last_step(at)
    [title] = [s.value for s in at.subheader if "sans réponse" in s.value]
    assert title == "Avant vos résultats\u00a0: les questions sans réponse"
    text = "\n".join(m.value.replace("\\", "") for m in at.markdown)
    strategy = steps[0]
    assert f"**{strategy.dimension.label.fr}**\u00a0: {len(strategy.questions) - 1} sans réponse" in text
    assert strategy.questions[1].label.fr in text and strategy.questions[0].label.fr not in text  # answered: not listed
    buttons = {b.key: b.label for b in at.button if b.key and b.key.startswith("goto_")}
    assert set(buttons) == {f"goto_{s.id}" for s in steps[:-1]}  # every earlier step; the last one is on screen
    assert buttons["goto_readiness"] == f"Aller à l'étape «\u00a0{steps[1].dimension.label.fr}\u00a0»"
    required = [w.value for w in at.warning if "au moins une réponse" in w.value]
    assert len(required) == len(steps) - 1  # the strategy step has a scored answer; no other step has one yet
    at.button(key="goto_readiness").click().run()
    assert at.header[0].value == steps[1].dimension.label.fr
    assert "(étape en cours)" in line_of(step_list(at), steps[1].dimension.label.fr)


def test_when_everything_is_answered_the_last_step_says_so(database):
    import random

    from scoring.applicability import applicable_answers
    from scoring.kinds import kind_of

    profile = Profile("31-33", "20-49", "06")
    rnd = random.Random(3)
    every = {x.id: kind_of(x).random_value(Q, x, rnd) for x in Q.questions}
    applicable, _ = applicable_answers(Q, profile, every)
    created = repo(database).start_assessment(get_instrument(), profile)
    repo(database).save_answers(created.assessment_id, {k: v for k, v in every.items() if k in applicable})
    at = last_step(new_app(lang="en", resume=created.resume_code))
    assert all(c.remaining == 0 for c in flow.step_counts(Q, profile, at.session_state["draft"].answers))
    assert "Every question has an answer." in [s.value for s in at.success]
    assert not [b for b in at.button if b.key and b.key.startswith("goto_")]


@pytest.mark.parametrize(("lang", "intro", "first", "last"), [
    ("fr", "Ce que veut dire chaque réponse de l'échelle\u00a0:", "**Non utilisé**\u00a0: ", "**Opérationnel**\u00a0: "),
    ("en", "What each answer on the scale means:", "**Not used**: ", "**Operational**: "),
])
def test_the_adoption_scale_is_defined_where_it_is_used_in_both_languages(lang, intro, first, last):
    at = start_through_profile(new_app(lang=lang))
    adoption = next(s for s in Q.answer_scales if s.id == "adoption")
    step = next(s for s in steps_for(Profile("44-45", "5-19", "06")) if any(x.type == "adoption" for x in s.questions))
    at.session_state["step"] = step.id
    at.run()
    legends = [c.value for c in at.caption if c.value.startswith(intro)]
    assert len(legends) == 1  # once per step, where the scale is first used
    [legend] = legends
    for option in adoption.options:  # the instrument's own words, none invented
        assert f"{option.label.get(lang)}**" in legend and option.help.get(lang) in legend  # type: ignore[union-attr]
    assert first in legend and last in legend
    at.session_state["step"] = Q.dimensions[0].id  # the strategy step uses no adoption matrix
    at.run()
    assert not [c for c in at.caption if c.value.startswith(intro)]


def test_an_answer_is_written_off_the_critical_path_and_a_failed_write_keeps_it_and_says_so(database, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from storage.repository import Repository
    from ui import autosave

    at = start_through_profile(new_app())
    draft = at.session_state["draft"]
    real_save = Repository.save_answers

    def outage(self, *args, **kwargs):
        raise OperationalError("UPDATE assessment", {}, Exception("database is locked"))

    monkeypatch.setattr(Repository, "save_answers", outage)
    at.checkbox(key="w:digital_investment_areas:finance").check().run()
    assert draft.pending == {"digital_investment_areas": ["finance"]}  # kept until a write confirms it
    assert at.warning[0].value.startswith("Vos dernières réponses n'ont pas pu être enregistrées (OperationalError).")
    monkeypatch.setattr(Repository, "save_answers", real_save)
    at.radio(key="w:strategy_readiness:written_plan").set_value("no").run()  # the next write carries the failed one too
    autosave.settle(draft)
    assert draft.pending == {} and draft.save_error is None
    assert repo(database).load(draft.assessment_id).answers == {
        "digital_investment_areas": ["finance"], "strategy_readiness": {"written_plan": "no"}}
    assert not at.warning
