"""Issue 14, finding 5: ``cli.py score`` prints each dimension's answered / don't know / unanswered /
not-applicable counts and its low-confidence flag, additively (existing fields and CSV columns keep
their names and order); and ``[]`` means "answered, nothing ticked" in JSON, while an empty CSV
cell means "unanswered" (write ``none`` in CSV to say nothing is ticked)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from commands.answer_files import PROFILE_COLUMNS, answer_columns
from domain import Profile
from scoring.engine import score_answers
from scoring.layout import units
from tests.cli.test_cli import PROFILE, cli, write_json
from tests.unit.scoring.test_scoring import extreme_answers

OLD_FIELDS = ["questionnaire", "overall", "level", "dimensions", "modules", "dii"]
COUNTS = ["answered", "dont_know", "unanswered", "not_applicable", "low_confidence"]


def scored_units(q) -> dict[str, int]:
    total = {d.id: 0 for d in q.dimensions}
    for unit in units(q):
        if unit.weight > 0:
            total[unit.dimension] += 1
    return total


def test_counts_add_up_and_modules_that_do_not_apply_are_not_applicable(instrument):
    q = instrument.questionnaire
    total = scored_units(q)
    answers = extreme_answers(q, best=True)
    answers["fixed_connection_speed"] = "dont_know"
    answers.pop("strategy_review")
    for profile in (Profile("31-33", "20-49", "05"), Profile("44-45", "1-4", "06")):
        result = score_answers(q, profile, answers)
        for d in q.dimensions:
            s = result.dimensions[d.id]
            assert s.answered + s.dont_know + s.unanswered + s.not_applicable == total[d.id]
            assert s.applicable + s.not_applicable == total[d.id]
        manufacturing = sum(1 for u in units(q) if u.module == "manufacturing" and u.weight > 0)
        not_applicable = sum(s.not_applicable for s in result.dimensions.values())
        if profile.sector != "31-33":
            assert not_applicable >= manufacturing
        readiness = result.dimensions[next(x.dimension for x in q.questions if x.id == "fixed_connection_speed")]
        assert readiness.dont_know == 1
        assert result.dimensions["strategy"].unanswered == 1


def test_score_json_adds_confidence_after_the_existing_fields(tmp_path, instrument):
    q = instrument.questionnaire
    answers = {"digital_investment_areas": [], "fixed_connection_speed": "dont_know"}
    run = cli("score", write_json(tmp_path, {"profile": PROFILE, "answers": answers}))
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert list(doc) == [*OLD_FIELDS, "confidence"]  # additive: the old fields keep their names and order
    assert list(doc["confidence"]) == [d.id for d in q.dimensions]
    strategy = doc["confidence"]["strategy"]
    assert list(strategy) == ["applicable", *COUNTS]
    assert strategy["answered"] == 1 and strategy["low_confidence"] is True  # one item of several
    assert doc["dimensions"]["strategy"] == 0.0  # [] is an answer: nothing ticked, scored 0
    readiness = doc["confidence"][next(x.dimension for x in q.questions if x.id == "fixed_connection_speed")]
    assert readiness["dont_know"] == 1 and readiness["answered"] == 0 and readiness["low_confidence"] is True


def _csv_file(tmp_path, rows: list[dict], q) -> str:
    columns = [*PROFILE_COLUMNS, *answer_columns(q)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "firms.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


def test_empty_list_in_json_is_answered_empty_cell_in_csv_is_not(tmp_path, instrument):
    q = instrument.questionnaire
    base = {"firm_id": "", "name": "", "sector": "44-45", "size": "5-19", "region": "06"}
    # JSON: [] = answered, nothing ticked (same as ["none"]); absent or null = unanswered.
    for value, answered, score in (([], 1, 0.0), (["none"], 1, 0.0), (None, 0, None)):
        doc = {"profile": PROFILE, "answers": {"digital_investment_areas": value}}
        run = cli("score", write_json(tmp_path, doc))
        assert run.returncode == 0, run.stderr
        out = json.loads(run.stdout)
        assert out["confidence"]["strategy"]["answered"] == answered and out["dimensions"]["strategy"] == score, value
    # CSV: an empty cell is unanswered; "none" says nothing is ticked.
    path = _csv_file(tmp_path, [{**base, "firm_id": "empty", "digital_investment_areas": ""},
                                {**base, "firm_id": "none", "digital_investment_areas": "none"}], q)
    docs = {d["firm_id"]: d for d in json.loads(cli("score", path).stdout)}
    assert docs["empty"]["confidence"]["strategy"]["answered"] == 0 and docs["empty"]["dimensions"]["strategy"] is None
    assert docs["none"]["confidence"]["strategy"]["answered"] == 1 and docs["none"]["dimensions"]["strategy"] == 0.0


def test_score_csv_appends_the_counts_after_the_existing_columns(tmp_path, instrument):
    q = instrument.questionnaire
    dims = [d.id for d in q.dimensions]
    base = {"firm_id": "a", "name": "", "sector": "44-45", "size": "5-19", "region": "06", "digital_investment_areas": "none",
            "fixed_connection_speed": "dont_know"}
    path = _csv_file(tmp_path, [base], q)
    run = cli("score", path, "--format", "csv")
    assert run.returncode == 0, run.stderr
    reader = csv.reader(io.StringIO(run.stdout))
    header = next(reader)
    old = ["firm_id", "overall", "level", *dims, "dii_score", "dii_level", "dii_basic"]
    assert header[: len(old)] == old  # unchanged names and order
    assert header[len(old):] == [f"{d}_{c}" for d in dims for c in COUNTS]
    row = dict(zip(header, next(reader), strict=True))
    doc = json.loads(cli("score", path).stdout)[0]
    for d in dims:
        for c in COUNTS:
            assert row[f"{d}_{c}"] == str(doc["confidence"][d][c])
    assert row["strategy_answered"] == "1" and row["strategy_low_confidence"] == "True"


@pytest.mark.parametrize("sector", ["31-33", "54"])
def test_low_confidence_is_fewer_than_half_answered(instrument, sector):
    q = instrument.questionnaire
    best = extreme_answers(q, best=True)
    result = score_answers(q, Profile(sector, "20-49", "05"), best)
    assert not any(s.low_confidence for s in result.dimensions.values())
    strategy = [x.id for x in q.questions if x.dimension == "strategy"]
    thin = {k: v for k, v in best.items() if k not in strategy[1:]}
    s = score_answers(q, Profile(sector, "20-49", "05"), thin).dimensions["strategy"]
    assert s.low_confidence == (s.answered * 2 < s.applicable) and s.answered >= 1


@pytest.mark.parametrize(("answers", "variable", "met"), [
    ({"business_software": {"erp": "a3"}}, "erp", False),  # "testing" does not count
    ({"business_software": {"erp": "a4"}}, "erp", True),
    ({"business_software": {"crm": "a3"}}, "crm", False),
    ({"business_software": {"crm": "a4"}}, "crm", True),
    ({"ai_automation": {"generative_ai": "a3"}}, "ai_any", False),
    ({"ai_automation": {"generative_ai": "a4"}}, "ai_any", True),
    ({"data_analytics_frequency": "less_than_yearly"}, "data_analytics", False),
    ({"data_analytics_frequency": "yearly"}, "data_analytics", True),
])
def test_the_three_stricter_dii_readings_documented_in_the_methodology(instrument, answers, variable, met):
    from tests.conftest import ROOT

    result = score_answers(instrument.questionnaire, Profile("54", "20-49", "06"), answers)
    assert (variable in result.dii.met) == met
    text = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert "Stricter than a literal Eurostat reading, in three places" in text
    assert 'AI at "testing" does **not** count' in text and "**less than once a year** does not count" in text
