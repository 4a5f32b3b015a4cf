"""``cli.py seed-demo`` and ``cli.py score FILE --benchmarks`` against a throwaway SQLite (and PostgreSQL) database."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

import cli
from benchmarks.synthetic import synthetic_answers
from questionnaires.registry import Instrument
from questionnaires.segments import load_segments

PG_URL = os.environ.get("TEST_POSTGRES_URL")
NO_PG = "TEST_POSTGRES_URL is not set (make test starts a throwaway PostgreSQL server and sets it)"
PG_DATABASE = "benchmarks_tests"


def _pg_admin(sql: str) -> None:
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason=NO_PG))])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of our own holding 400 synthetic completed assessments and no real one."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'demo.db'}"
    else:
        _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{PG_DATABASE}"')
        url = make_url(PG_URL).set(database=PG_DATABASE).render_as_string(hide_password=False)
    assert cli.main(["seed-demo", "--n", "400", "--seed", "5", "--url", url]) == 0
    yield url
    if request.param == "postgresql":
        from storage import open_repository

        open_repository(url).engine.dispose()
        _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def _firm_file(tmp_path: Path, instrument: Instrument) -> Path:
    _, answers = synthetic_answers(instrument.questionnaire, load_segments(), 1, seed=11)
    doc = {"profile": {"sector": "44-45", "size": "1-4", "region": "06"}, "answers": answers[0]}
    path = tmp_path / "firm.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_seed_demo_stores_synthetic_completed_assessments(seeded: str, capsys: pytest.CaptureFixture[str]) -> None:
    from storage import open_repository

    repo = open_repository(seeded)
    demo = repo.completed_scores(synthetic=True)
    assert len(demo) == 400 and demo["synthetic"].all()
    assert len(repo.completed_scores(synthetic=False)) == 0  # nothing real was created


def test_score_with_benchmarks_adds_peers_indicators_archetype(seeded: str, tmp_path: Path, instrument: Instrument,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli.main(["score", str(_firm_file(tmp_path, instrument)), "--benchmarks", "--url", seeded]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["pool"] == {"synthetic": True, "size": 400, "k": 10}  # no real firms: the demo pool, labelled
    overall = doc["peers"]["metrics"]["overall"]
    assert overall["n"] >= 10 and overall["cell"] in ("sector+size+region", "sector+size", "sector", "all")
    assert set(doc["peers"]["metrics"]) == {"overall", *(d.id for d in instrument.questionnaire.dimensions)}
    sales = next(i for i in doc["indicators"] if i["id"] == "ecommerce_sales")
    assert sales["year"] == 2021 and "size_outside_population" in sales["caveats"] and sales["source"].startswith("https://")
    assert doc["archetype"]["available"] and doc["archetype"]["synthetic"]
    from benchmarks.archetype_names import ArchetypeName, archetype_label

    name = ArchetypeName(**doc["archetype"]["archetype"]["name"])  # named by what it is, not by a letter
    fr, en = archetype_label(name, "fr"), archetype_label(name, "en")
    assert doc["archetype"]["description"]["fr"][0] == f"Votre entreprise ressemble le plus au profil «\u00a0{fr}\u00a0»."
    assert doc["archetype"]["description"]["en"][0] == f"Your business is closest to the “{en}” profile."


def test_real_pool_below_k_says_not_enough_data(seeded: str, tmp_path: Path, instrument: Instrument,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli.main(["score", str(_firm_file(tmp_path, instrument)), "--benchmarks", "--pool", "real", "--url", seeded]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["pool"] == {"synthetic": False, "size": None, "k": 10}  # no count below k, even of the pool
    assert all(m["percentile"] is None and m["n"] == 0 for m in doc["peers"]["metrics"].values())
    assert doc["archetype"] == {**doc["archetype"], "available": False, "reason": "not_enough_data"}
    assert doc["neighbours"] == {**doc["neighbours"], "available": False, "reason": "not_enough_data", "signals": []}


def test_bad_arguments_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["seed-demo", "--n", "0"])
    assert "must be at least 1" in capsys.readouterr().err


def test_benchmarks_need_json_and_a_readable_database(tmp_path: Path, instrument: Instrument,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    firm = str(_firm_file(tmp_path, instrument))
    assert cli.main(["score", firm, "--benchmarks", "--format", "csv", "--url", f"sqlite:///{tmp_path / 'x.db'}"]) == 1
    assert "use --format json" in capsys.readouterr().err
    assert cli.main(["score", firm, "--benchmarks", "--url", "postgresql+psycopg://nobody@127.0.0.1:1/none"]) == 1
    captured = capsys.readouterr()
    assert "peer pool: cannot read the database" in captured.err and captured.out == ""
