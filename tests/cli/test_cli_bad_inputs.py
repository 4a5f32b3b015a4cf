"""Issue 13, finding 7: every bad input to the command line is one line on stderr and exit 1,
never a traceback; ids echoed into CSV output cannot run as spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import json

import pytest

from commands.answer_files import answer_columns
from exports.neutralise import neutralise
from tests.cli.test_cli import PROFILE, _csv, _row, cli, write_json


def one_line_failure(run) -> str:
    assert run.returncode == 1, run.stdout
    assert "Traceback" not in run.stderr and run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


def test_a_csv_field_over_the_size_limit(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("firm_id,name,sector,size,region\nx," + "A" * 140_000 + ",11,1-4,01\n", encoding="utf-8")
    assert "unreadable CSV" in one_line_failure(cli("score", str(path)))


def test_an_integer_too_large_for_a_float(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps({"profile": PROFILE, "answers": {}})[:-2] + '"online_sales_share": ' + "1" + "0" * 400 + "}}",
                    encoding="utf-8")
    assert "online_sales_share: expected a number" in one_line_failure(cli("score", str(path)))


@pytest.mark.parametrize(("profile", "message"), [
    ({**PROFILE, "sector": 11}, "profile: sector must be a string, got int"),
    ({**PROFILE, "name": {"first": "x"}}, "profile: name must be a string, got dict"),
    ({**PROFILE, "region": None}, "profile: region must be a string, got NoneType"),
])
def test_wrong_types_in_the_profile_are_refused(tmp_path, profile, message):
    assert message in one_line_failure(cli("score", write_json(tmp_path, {"profile": profile, "answers": {}})))


def test_report_out_pointing_at_a_directory(tmp_path):
    answers = write_json(tmp_path, {"profile": PROFILE, "answers": {}})
    assert "is a directory" in one_line_failure(cli("report", answers, "--out", str(tmp_path)))


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"profile": {"name": "Caf\u00e9"}}'.encode("latin-1"))
    assert "not UTF-8" in one_line_failure(cli("score", str(path)))


HOSTILE_IDS = ["=cmd|' /C calc'!A0", "+SUM(1+1)", "@SUM(1+1)", "\t=1+1", "-2+3", "  =1+1", "＝1+1"]  # "\r=1": below


def test_score_csv_neutralises_formula_like_firm_ids(tmp_path, instrument):
    q = instrument.questionnaire
    columns = ["firm_id", "name", "sector", "size", "region", *answer_columns(q)]
    path = tmp_path / "firms.csv"
    path.write_text(_csv([_row(q, firm, True) for firm in HOSTILE_IDS], columns), encoding="utf-8")
    run = cli("score", str(path), "--format", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [r["firm_id"] for r in rows] == ["'" + firm for firm in HOSTILE_IDS]
    assert all(r["overall"] == "100.0" for r in rows)  # numbers stay numbers


def test_neutralise_leaves_ordinary_text_alone():
    assert [neutralise(t) for t in ("ACME-1", "Café", "", "12", "a=b")] == ["ACME-1", "Café", "", "12", "a=b"]
    assert [neutralise(t) for t in ("\r=1", "\x00=1", "＠x")] == ["'\r=1", "'\x00=1", "'＠x"]
