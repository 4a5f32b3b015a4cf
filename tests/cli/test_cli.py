"""The command line: template, score (JSON and CSV), and its error handling."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from commands.answer_files import answer_columns
from tests.conftest import ROOT
from tests.unit.scoring.test_scoring import extreme_answers


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def write_json(tmp_path, doc) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


PROFILE = {"sector": "31-33", "size": "20-49", "region": "05", "name": "Atelier <b>Test</b>"}


def test_template_json_lists_profile_and_every_question(instrument):
    run = cli("template")
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert set(doc["answers"]) == {x.id for x in instrument.questionnaire.questions}
    assert doc["_allowed"]["profile"]["size"][0] == "1-4"
    single = next(x for x in instrument.questionnaire.questions if x.type == "single")
    assert doc["_allowed"]["answers"][single.id]["type"] == "single"


def test_template_csv_has_a_column_per_question_and_matrix_row(instrument):
    run = cli("template", "--format", "csv")
    assert run.returncode == 0, run.stderr
    header = next(csv.reader(io.StringIO(run.stdout)))
    assert header[:5] == ["firm_id", "name", "sector", "size", "region"]
    assert header[5:] == answer_columns(instrument.questionnaire)


def test_score_json_round_trip(tmp_path, instrument):
    answers = extreme_answers(instrument.questionnaire, best=True)
    run = cli("score", write_json(tmp_path, {"profile": PROFILE, "answers": answers}))
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["overall"] == pytest.approx(100.0)
    assert set(doc["dimensions"]) == {d.id for d in instrument.questionnaire.dimensions}
    assert doc["dii"]["basic"] is True and doc["dii"]["level"] == "very_high"


def test_template_output_is_accepted_by_score(tmp_path):
    blank = json.loads(cli("template").stdout)
    blank["profile"] = PROFILE
    run = cli("score", write_json(tmp_path, blank))
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["overall"] is None


def _csv(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _row(q, firm: str, best: bool) -> dict:
    row = {"firm_id": firm, "name": "=HYPERLINK(\"x\")", "sector": "44-45", "size": "1-4", "region": "06"}
    for qid, value in extreme_answers(q, best).items():
        question = next(x for x in q.questions if x.id == qid)
        if question.is_matrix:
            row.update({f"{qid}.{k}": v for k, v in value.items()})
        elif question.type == "multi":
            row[qid] = ";".join(value)
        else:
            row[qid] = value
    return row


def test_score_csv_many_firms_json_and_csv_output(tmp_path, instrument):
    q = instrument.questionnaire
    columns = ["firm_id", "name", "sector", "size", "region", *answer_columns(q)]
    path = tmp_path / "firms.csv"
    path.write_text(_csv([_row(q, "a", False), _row(q, "b", True)], columns), encoding="utf-8")
    run = cli("score", str(path))
    assert run.returncode == 0, run.stderr
    docs = json.loads(run.stdout)
    assert [(d["firm_id"], d["overall"]) for d in docs] == [("a", 0.0), ("b", 100.0)]
    run = cli("score", str(path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [r["firm_id"] for r in rows] == ["a", "b"] and rows[1]["dii_basic"] == "True"


@pytest.mark.parametrize(("answers", "message"), [
    ({"no_such_question": "x"}, "no_such_question: unknown question id"),
    ({"fixed_connection_speed": "warp"}, "fixed_connection_speed: 'warp' is not one of"),
    ({"online_sales_share": 250}, "online_sales_share: 250 is outside [0, 100]"),
    ({"online_sales_share": "lots"}, "online_sales_share: expected a number"),
    ({"business_software": {"erp": "a9"}}, "business_software: row 'erp': 'a9' is not one of"),
    ({"business_software": ["erp"]}, "business_software: expected a mapping"),
])
def test_score_rejects_bad_answers_with_a_message_and_no_output(tmp_path, answers, message):
    run = cli("score", write_json(tmp_path, {"profile": PROFILE, "answers": answers}))
    assert run.returncode == 1
    assert message in run.stderr, run.stderr
    assert run.stdout == "" and "Traceback" not in run.stderr


def test_score_rejects_bad_profile(tmp_path):
    run = cli("score", write_json(tmp_path, {"profile": {**PROFILE, "region": "99"}, "answers": {}}))
    assert run.returncode == 1 and "region: unknown region '99'" in run.stderr


def test_score_csv_names_row_and_question_and_prints_nothing(tmp_path, instrument):
    q = instrument.questionnaire
    columns = ["firm_id", "name", "sector", "size", "region", *answer_columns(q)]
    good, bad = _row(q, "ok", True), _row(q, "bad", True)
    bad["online_sales_share"] = "-5"
    path = tmp_path / "firms.csv"
    path.write_text(_csv([good, bad], columns), encoding="utf-8")
    run = cli("score", str(path))
    assert run.returncode == 1 and run.stdout == ""
    assert "row 3 (bad): online_sales_share: -5.0 is outside [0, 100]" in run.stderr


def test_score_csv_unknown_column(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text("firm_id,sector,size,region,mystery\nx,11,1-4,01,1\n", encoding="utf-8")
    run = cli("score", str(path))
    assert run.returncode == 1 and "unknown column(s) ['mystery']" in run.stderr


def test_score_invalid_json_and_missing_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    assert "invalid JSON" in cli("score", str(path)).stderr
    assert cli("score", str(tmp_path / "missing.json")).returncode == 1


def test_the_readme_answers_example_scores(tmp_path):
    import re

    example = re.search(r"```json\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    path = tmp_path / "example.json"
    path.write_text(example, encoding="utf-8")
    run = cli("score", str(path))
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["overall"] is not None
