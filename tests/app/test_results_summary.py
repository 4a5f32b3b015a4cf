"""The results page leads with its summary (issue 12): level and meaning, the radar against the peer
median (or why there is none), strongest and weakest dimensions, the first three actions and the
PDF, then completing as one step, then the details in tabs. AppTest, French and English."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

import cli
from i18n import t
from questionnaires.registry import get_instrument
from services.results import results_for
from tests.answer_gen import one_top_answer_per_step
from tests.app.test_app_pages import assert_clean, fresh_app, new_app, start_through_profile  # noqa: F401 (fixture)

HIGH = ("strategy", "readiness", "human", "data")  # one top answer each; the other steps one bottom answer
PROFILE = {"sector": "44-45", "size": "5-19", "region": "06"}


def results(lang: str, low: tuple[str, ...] = ("automation", "green", "ecommerce")) -> AppTest:
    """A firm at 100 in HIGH and at 0 in ``low`` (every step answered), on its results page."""
    at = start_through_profile(new_app(lang=lang), **PROFILE)
    from ui.cache import repository

    draft = at.session_state["draft"]
    q = draft.instrument.questionnaire
    high = tuple(d.id for d in q.dimensions if d.id not in low)
    answers = {**one_top_answer_per_step(q, draft.profile, skip=low), **one_top_answer_per_step(q, draft.profile, skip=high, top=False)}
    draft.answers.update(answers)
    draft.saved = repository().save_answers(draft.assessment_id, answers)
    return at.switch_page("ui/pages/results.py").run()


def summary_block(at: AppTest) -> Block:
    blocks = list(at.main.children.values())
    title = t("app.summary.title", _lang(at))
    return next(b for b in blocks if isinstance(b, Block) and b.get("subheader") and b.subheader[0].value == title)


def _lang(at: AppTest) -> str:
    return at.query_params["lang"][0] if isinstance(at.query_params["lang"], list) else at.query_params["lang"]


def radar_series(block: Block) -> list[dict]:
    """The plotted points of the summary's radar (AppTest has no Vega-Lite element type: read its spec)."""
    [spec] = [json.loads(c.proto.spec) for c in block.children.values() if hasattr(c.proto, "spec")]
    return [row for layer in spec["layer"] for row in layer["data"]["values"] if "series" in row]


def block_text(block: Block) -> str:
    return "\n".join(str(e.value) for kind in ("subheader", "markdown", "caption", "info") for e in block.get(kind))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_summary_comes_first_with_the_pdf_then_completing_then_the_tabs(lang: str) -> None:
    at = results(lang)
    assert_clean(at)
    children = list(at.main.children.values())
    summary = summary_block(at)
    tabs = next(i for i, c in enumerate(children) if isinstance(c, Block) and c.type == "tab_container")
    assert children.index(summary) < tabs
    names = ("scores", "comparison", "statistics", "roadmap", "whatif")
    assert [tab.label for tab in at.tabs] == [t(f"app.results.tab.{k}", lang) for k in names]
    [pdf] = summary.get("download_button")
    assert pdf.proto.label == t("roadmap.download", lang)
    reports = [b for b in at.get("download_button") if b.key.startswith("roadmap_pdf_")]
    assert len(reports) == 1  # the report PDF is offered once, in the summary (the sidebar offers the resume card)
    complete = next(i for i, c in enumerate(children) if isinstance(c, Block) and any(b.key == "complete" for b in c.get("button")))
    assert children.index(summary) < complete < tabs  # one clear step between the essentials and the details
    assert t("app.summary.complete_step", lang) in block_text(children[complete])


@pytest.mark.parametrize(("lang", "strong", "weak", "meaning"), [
    ("fr", "Vos trois dimensions les plus fortes", "Vos trois dimensions à renforcer", "Ce que veut dire votre niveau"),
    ("en", "Your three strongest dimensions", "Your three dimensions to strengthen", "What your level means"),
])
def test_level_meaning_strongest_weakest_and_first_actions(lang: str, strong: str, weak: str, meaning: str) -> None:
    at = results(lang)
    summary = summary_block(at)
    q = get_instrument().questionnaire
    label = {d.id: d.label.get(lang) for d in q.dimensions}
    draft = at.session_state["draft"]
    bundle = results_for(draft.instrument, draft.profile, draft.answers)
    level = next(lv for lv in q.levels if lv.id == bundle.result.level)
    assert [(m.label, m.value) for m in summary.get("metric")][1] == (t("common.level", lang), level.label.get(lang))
    text = block_text(summary)
    assert (f"{meaning}\u00a0: " if lang == "fr" else f"{meaning}: ") in text
    assert level.description.get(lang) in text
    markdown = [m.value for m in summary.markdown]
    strongest = markdown[markdown.index(f"**{strong}**") + 1].replace("\\", "")  # labels are Markdown-escaped
    weakest = markdown[markdown.index(f"**{weak}**") + 1].replace("\\", "")
    assert [line.split(" (")[0] for line in strongest.split("\n")] == [f"- {label[d]}" for d in HIGH[:3]]
    assert [line.split(" (")[0] for line in weakest.split("\n")] == [f"- {label[d]}" for d in ("ecommerce", "green", "automation")]
    titles = [item.action.title.get(lang) for item in bundle.roadmap.items[:3]]
    assert len(titles) == 3
    first = markdown[markdown.index(f"**{t('app.summary.first_actions', lang)}**") + 1].replace("\\", "")
    assert first.split("\n") == [f"{i}. {title}" for i, title in enumerate(titles, start=1)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_empty_peer_group_is_said_and_the_chart_shows_the_firm_alone(lang: str) -> None:
    at = results(lang)  # a new database: nobody to compare with
    summary = summary_block(at)
    assert [i.value for i in summary.info] == [t("app.summary.no_peers", lang, k=10)]
    assert t("app.summary.radar_scores_only", lang) in block_text(summary)
    [table] = summary.get("table")  # the chart's figures, in its expander
    assert list(table.value.columns) == [t("app.results.dimension", lang), t("app.summary.radar_firm", lang)]
    [series] = {row["series"] for row in radar_series(summary)}
    assert series == t("app.summary.radar_firm", lang)  # no median drawn from nobody


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_with_peers_the_radar_has_their_median_and_a_rank_of_0_is_explained(lang: str, fresh_app: str) -> None:  # noqa: F811
    assert cli.main(["seed-demo", "--n", "400", "--seed", "5", "--url", fresh_app]) == 0
    at = results(lang, low=tuple(d.id for d in get_instrument().questionnaire.dimensions))  # the bottom everywhere
    assert_clean(at)
    summary = summary_block(at)
    assert not summary.info
    assert t("app.summary.radar_title", lang) in block_text(summary)
    [table] = summary.get("table")
    assert list(table.value.columns) == [t("app.results.dimension", lang), t("app.summary.radar_firm", lang),
                                         t("app.summary.radar_median", lang)]
    assert all(v not in ("", "—") for v in table.value.iloc[:, 2])
    assert {row["series"] for row in radar_series(summary)} == {t("app.summary.radar_firm", lang), t("app.summary.radar_median", lang)}
    overall = at.session_state["draft"]
    bundle = results_for(overall.instrument, overall.profile, overall.answers, None)
    assert bundle.result.overall == 0.0
    expected = "inférieur à ceux des" if lang == "fr" else "below those of all"
    sentence = next(m.value for m in summary.markdown if expected in m.value)
    assert (" 0." in sentence) and any(ch.isdigit() for ch in sentence.split(expected)[1])
    archetype = "\n".join(m.value for m in at.markdown)
    assert "Profil " not in archetype and "Profile " not in archetype  # named by what it is, not by a letter
