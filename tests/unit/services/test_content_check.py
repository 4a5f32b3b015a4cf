"""`python cli.py content check`: review status of the shipped content (issue 11).

Structural problems exit non-zero; entries past their review date and outdated statistics only warn.
"""

from __future__ import annotations

import datetime as dt

from cli import main as cli_main
from recommendations import catalog as cat
from services.content_review import review_content


def test_shipped_content_passes_and_prints_the_review_status(capsys):
    assert cli_main(["content", "check", "--today", "2026-12-05"]) == 0
    out = capsys.readouterr().out
    assert "programme catalog as of 2026-12-05, next review by 2027-06-05" in out
    assert "structure: OK" in out
    assert "warning: stale statistic" in out and "internet_connected (1 to 4 employees, 2016)" in out  # ISQ 2023 exists


def test_staleness_only_warns(capsys):
    review = review_content(dt.date(2028, 1, 1))
    assert review.ok
    kinds = {item.kind for item in review.stale}
    assert {"catalog", "programme", "statistic"} <= kinds
    assert any(item.id == "essor_volet1_b" for item in review.stale)
    assert cli_main(["content", "check", "--today", "2028-01-01"]) == 0
    assert "warning: stale catalog programmes.yaml: review_by 2027-06-05 has passed" in capsys.readouterr().out


def test_max_age_controls_which_statistics_are_flagged():
    today = dt.date(2026, 12, 5)
    assert not [i for i in review_content(today, max_age_years=20).stale if i.kind == "statistic"]
    assert [i for i in review_content(today, max_age_years=5).stale if i.kind == "statistic"]


def test_structural_problems_fail(tmp_path, monkeypatch, capsys):
    text = cat.ACTIONS_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "actions.yaml"
    bad.write_text(text.replace("supports: [essor_volet1_c, c3i]", "supports: [credit_integration_ti]", 1), encoding="utf-8")
    review = review_content(dt.date(2026, 12, 5), actions_path=bad)
    assert not review.ok
    assert any("'credit_integration_ti' is history" in line for line in review.structural)
    monkeypatch.setattr(cat, "ACTIONS_FILE", bad)
    assert cli_main(["content", "check", "--today", "2026-12-05"]) == 1
    captured = capsys.readouterr()
    assert "structural problems: FAIL" in captured.out and "credit_integration_ti" in captured.err


def test_a_broken_programme_file_fails(tmp_path):
    bad = tmp_path / "programmes.yaml"
    bad.write_text(cat.PROGRAMMES_FILE.read_text(encoding="utf-8").replace("    review_by: 2027-06-05\n", "", 1), encoding="utf-8")
    review = review_content(dt.date(2026, 12, 5), programmes_path=bad)
    assert not review.ok and any("review_by" in line for line in review.structural)
