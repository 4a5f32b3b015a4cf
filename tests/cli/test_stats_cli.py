"""``cli.py stats release|export|list`` and ``seed-demo --with-release`` on a throwaway SQLite database:
a release, then each export format written and read back; refusals exit 1 with one clear line."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import openpyxl
import pyarrow.parquet as pq
import pytest

import cli
from storage import open_repository
from tests.unit.storage.test_statistics_cube import populate

YEAR = str(datetime.now(UTC).year)


@pytest.fixture
def url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    repo = open_repository(url)
    populate(repo, 40, at=datetime(2026, 5, 1, tzinfo=UTC))
    populate(repo, 3, at=datetime(2026, 7, 1, tzinfo=UTC), regions=("07",))  # a cell below k
    return url


def last_json(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_release_then_export_each_format_and_list(url, tmp_path, capsys):
    assert cli.main(["stats", "release", "--period", "2026", "--stage", "T0", "--url", url]) == 0
    out = last_json(capsys)
    assert (out["period"], out["stages"], out["firms"], out["synthetic"], out["official"]) == ("2026", ["T0"], 43, False, True)
    assert out["cells"] > 0 and out["audit"]["passed"] is True and "suppressed" in out
    release_id = out["release_id"]

    for fmt in ("csv", "xlsx", "parquet"):
        path = tmp_path / f"release.{fmt}"
        assert cli.main(["stats", "export", "--release", release_id, "--format", fmt, "--out", str(path), "--url", url]) == 0
        assert path.stat().st_size > 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "release.csv").read_bytes().decode("utf-8-sig"), newline="")))
    total = next(r for r in rows if r["table_id"] == "total")
    assert (total["release_id"], total["n"], total["status"]) == (release_id, "43", "")
    # every published figure is about 0 firms (an empty cell, published as such) or at least k
    assert all(r["status"] == "x" or int(r["n"]) in (0, *range(10, 44)) for r in rows)
    assert any(r["status"] == "x" for r in rows) and all(r["mean_overall"] == "" for r in rows if r["status"] == "x")
    sheet = openpyxl.load_workbook(tmp_path / "release.xlsx")["data"]
    assert sheet.max_row == len(rows) + 1
    assert pq.read_table(tmp_path / "release.parquet").num_rows == len(rows)

    assert cli.main(["stats", "list", "--url", url]) == 0
    listed = last_json(capsys)
    assert (listed["release_id"], listed["firms"], listed["official"]) == (release_id, 43, True)
    log = [r for r in open_repository(url).users.access_log() if r.action in ("run_release", "export_statistics")]
    assert len(log) == 4 and {r.email for r in log} == {"cli"}


def test_a_second_release_of_the_period_an_empty_one_and_an_unknown_id_fail_with_one_line(url, tmp_path, capsys):
    assert cli.main(["stats", "release", "--period", "2026", "--stage", "T0", "--url", url]) == 0
    capsys.readouterr()
    assert cli.main(["stats", "release", "--period", "2026", "--url", url]) == 1
    assert "frozen" in capsys.readouterr().err
    assert cli.main(["stats", "release", "--period", "2024", "--url", url]) == 1
    err = capsys.readouterr().err
    assert "refused" in err and "2024" in err and "Traceback" not in err
    assert cli.main(["stats", "export", "--release", "nope", "--format", "csv", "--out", str(tmp_path / "x.csv"),
                     "--url", url]) == 1
    assert "no release 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_seed_demo_with_release_stores_a_synthetic_release_never_mixed_with_real_ones(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert cli.main(["seed-demo", "--n", "300", "--seed", "3", "--with-release", "--url", url]) == 0
    out = last_json(capsys)
    release = out["release"]
    assert release["synthetic"] is True and release["period"] == YEAR and 0 < release["firms"] <= 300
    assert cli.main(["stats", "list", "--url", url]) == 0
    assert last_json(capsys)["synthetic"] is True
    # the synthetic assessments never reach a real release
    assert cli.main(["stats", "release", "--period", YEAR, "--url", url]) == 1
    assert "no consenting, non-synthetic" in capsys.readouterr().err
    path = tmp_path / "demo.xlsx"
    assert cli.main(["stats", "export", "--release", release["release_id"], "--format", "xlsx", "--out", str(path),
                     "--locale", "en", "--url", url]) == 0
    notes = openpyxl.load_workbook(path)["Notes"]
    assert any("SYNTH" in str(c.value) for row in notes.iter_rows() for c in row)
