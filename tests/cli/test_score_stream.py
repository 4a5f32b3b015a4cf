"""Issue 13, finding 7: `score FILE.csv --format csv` streams in chunks with bounded memory and
gives exactly what the per-firm engine gives (random answers: don't know, partial matrices,
numbers, conditional questions, every profile)."""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
from pathlib import Path

import commands.csv_stream as stream
import commands.score as score
from commands.answer_files import PROFILE_COLUMNS, answer_columns
from questionnaires.segments import load_segments
from tests.answer_gen import random_answers
from tests.conftest import ROOT


def random_csv(instrument, path: Path, n: int, seed: int) -> None:
    q, segments, rnd = instrument.questionnaire, load_segments(), random.Random(seed)
    columns = [*PROFILE_COLUMNS, *answer_columns(q)]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for i in range(n):
            row = {"firm_id": f"=f{i}" if i % 7 == 0 else f"f{i}", "name": f"Firme {i}",
                   **{field: rnd.choice(segments.codes(field)) for field in ("sector", "size", "region")}}
            for qid, value in random_answers(q, rnd, blank=0.2).items():
                if isinstance(value, dict):
                    row.update({f"{qid}.{k}": v for k, v in value.items()})
                elif isinstance(value, list):
                    row[qid] = ";".join(value)
                else:
                    row[qid] = value
            writer.writerow(row)


def test_streamed_scores_equal_the_engine_row_by_row(tmp_path, instrument, monkeypatch):
    path = tmp_path / "firms.csv"
    random_csv(instrument, path, 700, seed=5)
    monkeypatch.setattr(stream, "CHUNK", 128)  # several chunks, the last one partial
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    stream.score_csv_to_stdout(path, instrument.questionnaire, load_segments())
    docs, _ = score.score_documents(path)
    streamed = list(csv.reader(io.StringIO(out.getvalue())))
    engine = list(csv.reader(io.StringIO(score._csv_rows(docs))))
    assert len(streamed) == len(engine) == 701 and streamed[0] == engine[0]
    for mine, theirs in zip(streamed[1:], engine[1:], strict=True):
        # Same firm, level and DII; scores equal to the cent, except a score lying exactly on a
        # half cent (e.g. 21.875), which the two summation orders may round either way.
        assert [c for c in mine if not _number(c)] == [c for c in theirs if not _number(c)]
        for a, b in zip(mine, theirs, strict=True):
            if _number(a):
                assert abs(float(a) - float(b)) < 0.0100001, (mine, theirs)
    assert "'=f0" in out.getvalue()  # neutralised like the other exports


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return "." in cell


def test_a_bad_row_in_a_late_chunk_prints_nothing_but_its_message(tmp_path, instrument, monkeypatch):
    path = tmp_path / "firms.csv"
    random_csv(instrument, path, 300, seed=6)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = next(csv.reader([lines[250]]))
    cells[header.index("region")] = "99"
    lines[250] = ",".join(f'"{c}"' for c in cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "cli.py", "score", str(path), "--format", "csv"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 1 and run.stdout == "" and "Traceback" not in run.stderr
    assert "row 251 (f249): region: unknown region '99'" in run.stderr
