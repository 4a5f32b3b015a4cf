"""Recommendation catalogs, what-if and roadmap prioritisation (no PDF here: see test_pdf.py)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest

from benchmarks.peers import percentile_rank
from benchmarks.synthetic import synthetic_answers
from cli import main as cli_main
from commands.report import safe_filename
from content.errors import ContentError
from domain import Profile
from questionnaires.registry import load_questionnaire
from questionnaires.segments import load_segments
from recommendations.catalog import PROGRAMMES_FILE, load_actions, load_programmes
from recommendations.model import HORIZONS
from recommendations.prioritise import MAX_ACTIONS, build_roadmap, signals_from, suits
from recommendations.whatif import PercentileOf, apply_effects, project
from scoring.answers import check_answers
from scoring.engine import score_answers
from tests.conftest import ROOT

MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
SIZES = ["1-4", "5-19", "20-49", "50-99", "100-249", "250-499", "500+"]


@pytest.fixture(scope="module")
def population(instrument):
    return synthetic_answers(instrument.questionnaire, load_segments(), 60, seed=11)


@pytest.fixture(scope="module")
def mini_instrument():
    return load_questionnaire(MINI)


def percentile(score: float | None, pool: list[float]) -> float | None:
    """The peer percentile the app uses (benchmarks.peers.percentile_rank), None without a score or a pool."""
    return None if score is None or not pool else percentile_rank(np.sort(np.asarray(pool, dtype=float)), score)


def pool_percentile(pool: list[float]) -> PercentileOf:
    return lambda score: percentile(score, pool)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


MINI_ACTIONS = """\
    kind: actions
    schema_version: 1
    questionnaire: mini
    actions:
      - id: get_plan
        dimension: alpha
        title: {fr: "Plan", en: "Plan"}
        why: {fr: "Parce que", en: "Because"}
        first_steps: [{fr: "Un", en: "One"}]
        triggers: [{dimension_below: {dimension: alpha, score: 75}}]
        effects: [{question: plan, set: high}]
        effort: low
        cost: under_5k
        horizon: h0_3
        supports: [c3i]
      - id: get_erp
        dimension: alpha
        title: {fr: "PGI", en: "ERP"}
        why: {fr: "Parce que", en: "Because"}
        first_steps: [{fr: "Un", en: "One"}]
        triggers: [{when: {not: {question: tools, includes: [erp]}}}]
        effects: [{question: tools, add: [erp]}, {question: tech, item: cloud, set: a4}]
        effort: high
        cost: 25k_100k
        horizon: h3_12
        prerequisites: [get_plan]
      - id: shop_mes
        dimension: beta
        title: {fr: "MES", en: "MES"}
        why: {fr: "Parce que", en: "Because"}
        first_steps: [{fr: "Un", en: "One"}]
        triggers: [{dimension_below: {dimension: beta, score: 90}}]
        effects: [{question: shop, item: mes, set: "yes"}]
        effort: high
        cost: over_100k
        horizon: h12_24
        prerequisites: [get_erp]
        applies_to: {sectors: ["31-33"], sizes: ["20-49", "50-99"]}
"""


# ----------------------------------------------------------------------------- catalogs

def test_shipped_catalogs_validate_against_the_instrument(instrument, catalogs):
    assert len(catalogs.actions) >= 40
    dims = {d.id for d in instrument.questionnaire.dimensions}
    assert {a.dimension for a in catalogs.actions} == dims  # every dimension has actions
    supports = {s.id for s in catalogs.programmes.supports}
    assert all(sid in supports for a in catalogs.actions for sid in a.supports)


def test_programme_catalog_keeps_to_the_sources():
    programmes = load_programmes()
    assert [a.number for a in programmes.plan.axes] == [1, 2, 3, 4, 5]
    numbered = [s for s in programmes.supports if s.measure_number is not None]
    assert [(s.id, s.measure_number) for s in numbered] == [("paen_m14_centres_excellence", 14)]  # the only number a source gives
    by_id = {s.id: s for s in programmes.supports}
    for closed in ("cdap_bybt", "cdap_gybo", "quebec_branche"):
        assert by_id[closed].status.value == "closed"
    assert "19 février 2024" in by_id["cdap_bybt"].status.note.fr and "19 February 2024" in by_id["cdap_bybt"].status.note.en
    assert by_id["audit_industrie_40"].plan_link == "unconfirmed"
    assert all(s.sources for s in programmes.supports)


def test_mini_library_loads_and_links_to_programmes(tmp_path, mini_instrument):
    actions = load_actions(mini_instrument, load_programmes(), write(tmp_path, "a.yaml", MINI_ACTIONS))
    assert [a.id for a in actions] == ["get_plan", "get_erp", "shop_mes"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("prerequisites: [get_plan]", "prerequisites: [nowhere]", "unknown action 'nowhere'"),
    ("supports: [c3i]", "supports: [paen_mesure_99]", "unknown measure or programme 'paen_mesure_99'"),
    ("supports: [c3i]", "supports: [quebec_branche]", "'quebec_branche' is history (closed or ended): an action may only link open"),
    ("supports: [c3i]", "supports: [audit_industrie_40]", "'audit_industrie_40' is history (closed or ended)"),
    ("supports: [c3i]", "supports: [programme_aide_ia]", "'programme_aide_ia' is status 'unknown'"),
    ("supports: [c3i]", "supports: [pme_mtl]", "'pme_mtl' is an advice network"),
    ("{question: tech, item: cloud, set: a4}", "{question: tech, item: robots, set: a4}", "has no row 'robots'"),
    ("{question: plan, set: high}", "{question: plan, set: huge}", "['huge'] not among the answers of 'plan'"),
    ("{question: plan, set: high}", "{question: plan, add: [high]}", "its effect uses 'set', not 'add'"),
    ("{question: tools, add: [erp]}", "{question: tools, add: [none]}", "exclusive 'none' box"),
    ("includes: [erp]", "includes: [crm]", "['crm'] not among the options of 'tools'"),
    ('sizes: ["20-49", "50-99"]', 'sizes: ["3-person"]', "unknown size code(s) ['3-person']"),
    ("dimension: beta\n", "dimension: gamma\n", "unknown dimension 'gamma'"),
])
def test_broken_references_are_reported_with_their_line(tmp_path, mini_instrument, old, new, message):
    assert old in MINI_ACTIONS
    path = write(tmp_path, "a.yaml", MINI_ACTIONS.replace(old, new, 1))
    with pytest.raises(ContentError) as caught:
        load_actions(mini_instrument, load_programmes(), path)
    text = str(caught.value)
    assert message in text
    assert str(path) in text and text.split(":")[1].isdigit()  # PATH:LINE:


def test_prerequisite_cycles_are_rejected(tmp_path, mini_instrument):
    text = MINI_ACTIONS.replace("horizon: h0_3\n", "horizon: h0_3\n        prerequisites: [shop_mes]\n", 1)
    with pytest.raises(ContentError, match=r"prerequisite cycle: .*get_plan"):
        load_actions(mini_instrument, load_programmes(), write(tmp_path, "a.yaml", text))


def test_schema_errors_duplicates_and_unconfirmed_numbers(tmp_path, mini_instrument):
    extra = MINI_ACTIONS.replace("effort: low", "effort: low\n        colour: red", 1)
    with pytest.raises(ContentError, match=r"a.yaml:\d+: actions\[0\].colour: Extra inputs"):
        load_actions(mini_instrument, load_programmes(), write(tmp_path, "a.yaml", extra))
    twice = MINI_ACTIONS.replace("effort: low", "effort: low\n        effort: high", 1)
    with pytest.raises(ContentError, match="duplicate key 'effort'"):
        load_actions(mini_instrument, load_programmes(), write(tmp_path, "b.yaml", twice))
    programmes = PROGRAMMES_FILE.read_text(encoding="utf-8")
    locomotives = '    plan_link: confirmed\n    axis: {id: axis2, confirmed: false}\n    audience:\n      fr: "PME fournisseurs'
    unconfirmed = programmes.replace(locomotives, locomotives.replace("confirmed\n", "unconfirmed\n    measure_number: 7\n", 1), 1)
    assert unconfirmed != programmes
    with pytest.raises(ContentError, match="a measure number needs a confirmed plan link"):
        load_programmes(write(tmp_path, "p.yaml", unconfirmed))
    with pytest.raises(ContentError, match="unknown plan axis 'axis9'"):
        load_programmes(write(tmp_path, "q.yaml", programmes.replace("axis: {id: axis4,", "axis: {id: axis9,", 1)))


# ----------------------------------------------------------------------------- what-if

def test_effects_only_raise_answers_and_never_mutate_the_input(mini_instrument, tmp_path):
    q = mini_instrument.questionnaire
    actions = load_actions(mini_instrument, load_programmes(), write(tmp_path, "a.yaml", MINI_ACTIONS))
    answers = {"plan": "mid", "tools": ["none"], "tech": {"cloud": "a5", "ai": "a1"}}
    frozen = json.dumps(answers, sort_keys=True)
    out = apply_effects(q, answers, actions)
    assert json.dumps(answers, sort_keys=True) == frozen
    assert out["plan"] == "high"
    assert out["tools"] == ["erp"]  # the exclusive "none" box is unticked
    assert out["tech"] == {"cloud": "a5", "ai": "a1"}  # already above the effect's a4
    assert out["shop"] == {"mes": "yes"}
    assert check_answers(q, out) == []


def test_projection_rescores_with_the_engine(mini_instrument, tmp_path):
    q = mini_instrument.questionnaire
    actions = load_actions(mini_instrument, load_programmes(), write(tmp_path, "a.yaml", MINI_ACTIONS))
    profile = Profile("31-33", "20-49", "05")
    answers = {"plan": "low", "tools": ["web"], "tech": {"cloud": "a0", "ai": "a0"}, "online_share": 0.0, "shop": {"mes": "no"}}
    projection = project(mini_instrument, profile, answers, actions, pool_percentile([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]))
    expected = score_answers(q, profile, apply_effects(q, answers, actions))
    assert projection.after.overall == pytest.approx(expected.overall)
    assert projection.after.overall > projection.before.overall
    assert projection.after.dii.score == projection.before.dii.score + 2  # v_erp and v_cloud now met
    assert projection.percentile_after > projection.percentile_before


def test_percentile_counts_ties_half():
    assert percentile(50, [10, 50, 90]) == pytest.approx(50.0)
    assert percentile(100, [10, 50, 90]) == pytest.approx(100.0)
    assert percentile(None, [1]) is None and percentile(5, []) is None


def test_every_shipped_effect_gives_valid_answers(instrument, catalogs):
    q = instrument.questionnaire
    assert check_answers(q, apply_effects(q, {}, catalogs.actions)) == []


# ----------------------------------------------------------------------------- roadmap

def test_no_mes_for_micro_firms_or_outside_manufacturing(instrument, catalogs, population):
    mes = catalogs.action("implement_mes")
    for size in SIZES:
        for sector in ("31-33", "44-45", "54"):
            assert suits(mes, Profile(sector, size, "05")) == (sector == "31-33" and size not in ("1-4", "5-19"))
    _, answers = population
    low = {"production_technologies": {"mes": "a0"}, **answers[0]}
    for sector, size in (("44-45", "1-4"), ("31-33", "1-4"), ("54", "5-19")):
        roadmap = build_roadmap(instrument, catalogs, Profile(sector, size, "06"), low)
        ids = {c.action.id for c in roadmap.candidates}
        assert "implement_mes" not in ids and "digital_twin_pilot" not in ids


def test_roadmaps_respect_limit_horizons_and_prerequisites(instrument, catalogs, population):
    profiles, answers = population
    for profile, firm in zip(profiles, answers, strict=True):
        roadmap = build_roadmap(instrument, catalogs, profile, firm)
        items = roadmap.items
        assert len(items) <= MAX_ACTIONS
        assert [HORIZONS.index(i.horizon) for i in items] == sorted(HORIZONS.index(i.horizon) for i in items)
        position = {i.action.id: n for n, i in enumerate(items)}
        for n, item in enumerate(items):
            assert suits(item.action, profile)
            for prereq in item.action.prerequisites:
                if prereq in position:  # a listed prerequisite comes before, in an earlier or the same horizon
                    assert position[prereq] < n
                    assert HORIZONS.index(items[position[prereq]].horizon) <= HORIZONS.index(item.horizon)
                else:  # otherwise it is already done, or it does not suit the firm
                    action = catalogs.action(prereq)
                    done = apply_effects(instrument.questionnaire, firm, [action]) == firm
                    assert done or not suits(action, profile)
        if items:
            assert roadmap.projection.after.overall >= roadmap.projection.before.overall


def test_candidate_gains_match_the_per_firm_engine(instrument, catalogs, population):
    q = instrument.questionnaire
    profiles, answers = population
    for profile, firm in list(zip(profiles, answers, strict=True))[:8]:
        before = score_answers(q, profile, firm)
        for cand in build_roadmap(instrument, catalogs, profile, firm, before).candidates:
            after = score_answers(q, profile, apply_effects(q, firm, [cand.action]))
            assert cand.overall_gain == pytest.approx(after.overall - before.overall, abs=1e-6)
            changes = {c.dimension: c for c in cand.effect.dimensions}
            for d in q.dimensions:
                old, new = before.dimensions[d.id].score, after.dimensions[d.id].score
                if d.id not in changes:  # unchanged
                    assert (old is None) == (new is None) and (old is None or new == pytest.approx(old, abs=1e-6))
                    continue
                assert changes[d.id].before == pytest.approx(old, abs=1e-6) and changes[d.id].after == pytest.approx(new, abs=1e-6)
                if old is not None and new is not None:  # a first score is never a "gain from 0"
                    assert cand.dimension_gains[d.id] == pytest.approx(new - old, abs=1e-6)
                else:
                    assert d.id not in cand.dimension_gains


def test_quick_wins_come_first_and_dependants_follow(instrument, catalogs):
    from tests.unit.scoring.test_scoring import extreme_answers

    profile = Profile("31-33", "50-99", "04")
    lowest = extreme_answers(instrument.questionnaire, best=False)  # everything answered at the bottom: everything is a gap
    roadmap = build_roadmap(instrument, catalogs, profile, lowest)
    ranked = [c.quadrant for c in roadmap.candidates]
    assert ranked == sorted(ranked, key=["quick_win", "major_project", "fill_in", "reconsider"].index)
    assert roadmap.items[0].candidate.quadrant == "quick_win"
    assert {i.horizon for i in roadmap.items} == set(HORIZONS)  # the balanced pass reaches every horizon


def test_nothing_answered_has_no_gain_to_rank_on(instrument, catalogs):
    """With nothing answered there is no overall score: no action has a gain (a first score is not
    one), so none is a quick win, a major project or an immediate priority; each gives a first score."""
    roadmap = build_roadmap(instrument, catalogs, Profile("31-33", "50-99", "04"), {})
    assert roadmap.candidates and roadmap.items
    assert all(c.quadrant in ("fill_in", "reconsider") and not c.ranked_on_gain for c in roadmap.candidates)
    assert all(c.effect.first_scores and c.overall_gain is None for c in roadmap.candidates)
    assert roadmap.immediate() == ()


def test_peer_signals_raise_an_action(instrument, catalogs, population):
    profiles, answers = population
    profile, firm = profiles[0], answers[0]
    plain = build_roadmap(instrument, catalogs, profile, firm)
    last = plain.candidates[-1]
    keys = {f"{e.question}.{e.item}" if e.item else e.question for e in last.action.effects}
    keys |= {f"{e.question}.{o}" for e in last.action.effects for o in e.add or []}

    class Signal:
        def __init__(self, item):
            self.item, self.share = item, 1.0

    class Neighbours:
        available = True

        def __init__(self):
            self.signals = [Signal(k) for k in keys]

    signals = signals_from(Neighbours())
    boosted = build_roadmap(instrument, catalogs, profile, firm, signals=signals)
    before = next(c for c in plain.candidates if c.action.id == last.action.id)
    after = next(c for c in boosted.candidates if c.action.id == last.action.id)
    assert after.peer_share == 1.0 and after.priority == pytest.approx(before.priority * 1.5)
    assert signals_from(None) == {}


def test_a_firm_that_did_everything_gets_no_roadmap(instrument, catalogs):
    profile = Profile("31-33", "100-249", "06")
    everything = apply_effects(instrument.questionnaire, {}, catalogs.actions)
    roadmap = build_roadmap(instrument, catalogs, profile, everything)
    assert roadmap.items == () and roadmap.candidates == ()
    assert roadmap.projection.after.overall == roadmap.projection.before.overall


# ----------------------------------------------------------------------------- CLI

def test_safe_filenames():
    assert safe_filename("../../etc/passwd", "x") == "etc_passwd"
    assert safe_filename("Café Bob & Fils", "x") == "Caf_Bob_Fils"
    assert safe_filename("...", "firm_3") == "firm_3"


def test_report_cli_single_and_batch(tmp_path, instrument, population, capsys):
    profiles, answers = population
    doc = {"profile": {"sector": profiles[0].sector, "size": profiles[0].size, "region": profiles[0].region, "name": "Café"},
           "answers": json.loads(json.dumps(answers[0], default=float))}
    source = write(tmp_path, "one.json", json.dumps(doc))
    out = tmp_path / "out" / "one.pdf"
    assert cli_main(["report", str(source), "--lang", "en", "--out", str(out), "--date", "2026-11-26"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    header = "firm_id,name,sector,size,region,web_presence\n"
    rows = '../evil,"Café <b>",31-33,20-49,05,website;seo\n../evil,B,44-45,1-4,06,\n,C,54,5-19,03,\n'
    csv_path = write(tmp_path, "many.csv", header + rows)
    folder = tmp_path / "batch"
    assert cli_main(["report", "--batch", str(csv_path), "--out", str(folder), "--date", "2026-11-26"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["evil.pdf", "evil_2.pdf", "row4.pdf"]
    bad = write(tmp_path, "bad.csv", header + "x,n,99,1-4,05,\n")
    assert cli_main(["report", "--batch", str(bad), "--out", str(folder)]) == 1
    assert "row 2 (x): sector" in capsys.readouterr().err


def test_report_cli_with_a_synthetic_peer_pool(tmp_path, population):
    from pypdf import PdfReader

    url = f"sqlite:///{tmp_path / 'pool.db'}"
    assert cli_main(["seed-demo", "--n", "150", "--seed", "3", "--url", url]) == 0
    profiles, answers = population
    doc = {"profile": {"sector": profiles[1].sector, "size": profiles[1].size, "region": profiles[1].region},
           "answers": json.loads(json.dumps(answers[1], default=float))}
    out = tmp_path / "peers.pdf"
    source = write(tmp_path, "f.json", json.dumps(doc))
    args = ["report", str(source), "--out", str(out), "--benchmarks", "--pool", "synthetic", "--url", url]
    assert cli_main([*args, "--date", "2026-11-26"]) == 0
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Médiane des pairs" in text and "données synthétiques" in text  # the pool is labelled synthetic
    assert "Rang centile parmi les entreprises comparables" in text  # the what-if percentile of the whole roadmap
    assert "Comparaison avec les statistiques publiées" in text and "https://" in text
