"""One disclosure rule for every minimum group size: the policy object, and the CLI options that use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.disclosure import DEFAULT_POLICY, FLOOR, DisclosureError, DisclosurePolicy, policy_for
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"


def test_the_default_is_ten_distinct_firms() -> None:
    assert DEFAULT_POLICY.k == 10 and FLOOR == 5
    assert not DEFAULT_POLICY.allows(9) and DEFAULT_POLICY.allows(10)


@pytest.mark.parametrize("k", [1, 4])
def test_below_the_floor_is_refused_on_real_data_with_a_clear_message(k: int) -> None:
    with pytest.raises(DisclosureError, match=f"k = {k} is below the disclosure floor of 5"):
        DisclosurePolicy(k)
    assert DisclosurePolicy(k, synthetic=True).k == k  # demo data: nobody to protect


def test_zero_is_refused_everywhere() -> None:
    with pytest.raises(DisclosureError, match="at least 1"):
        DisclosurePolicy(0, synthetic=True)


def test_policy_for_an_operator_choice() -> None:
    assert policy_for(None, synthetic=False) == DEFAULT_POLICY
    assert policy_for(7, synthetic=False).k == 7


def test_archetypes_peers_and_neighbours_read_the_same_policy() -> None:
    import inspect

    import benchmarks.archetypes
    import benchmarks.neighbours
    import benchmarks.peers

    for module in (benchmarks.archetypes, benchmarks.neighbours, benchmarks.peers):
        source = inspect.getsource(module)
        assert "DEFAULT_POLICY" in source and "MIN_CLUSTER" not in source and "MIN_LEADERS" not in source


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def pools(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A synthetic pool, and a real one (12 completed, consenting assessments)."""
    from commands.answer_files import parse_json_submission
    from questionnaires.registry import get_instrument
    from questionnaires.segments import load_segments
    from scoring.engine import score_firm
    from storage import open_repository

    base = tmp_path_factory.mktemp("pools")
    synthetic = f"sqlite:///{base / 'synthetic.db'}"
    assert _cli("seed-demo", "--n", "150", "--seed", "4", "--url", synthetic).returncode == 0
    real = f"sqlite:///{base / 'real.db'}"
    repo, instrument = open_repository(real), get_instrument()
    sub = parse_json_submission((GOLDEN / "retailer.json").read_text(encoding="utf-8"), instrument.questionnaire, load_segments())
    for _ in range(12):
        started = repo.start_assessment(instrument, sub.profile, consent_statistics=True)
        repo.save_answers(started.assessment_id, dict(sub.answers))
        repo.complete(started.assessment_id, score_firm(instrument, sub.profile, sub.answers))
    return {"synthetic": synthetic, "real": real}


def test_cli_refuses_k_below_the_floor_on_a_real_pool(pools: dict[str, str], tmp_path: Path) -> None:
    run = _cli("score", str(GOLDEN / "retailer.json"), "--benchmarks", "--pool", "real", "--k", "2", "--url", pools["real"])
    assert run.returncode == 1 and "below the disclosure floor of 5" in run.stderr and not run.stdout
    run = _cli("report", str(GOLDEN / "retailer.json"), "--out", str(tmp_path / "r.pdf"), "--benchmarks", "--pool", "real",
               "--k", "1", "--url", pools["real"])
    assert run.returncode == 1 and "below the disclosure floor" in run.stderr and not (tmp_path / "r.pdf").exists()
    assert "Traceback" not in run.stderr


def test_cli_uses_the_policy_default_and_allows_small_k_on_synthetic_pools(pools: dict[str, str]) -> None:
    run = _cli("score", str(GOLDEN / "retailer.json"), "--benchmarks", "--pool", "real", "--url", pools["real"])
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["pool"] == {"synthetic": False, "size": 12, "k": 10}
    run = _cli("score", str(GOLDEN / "retailer.json"), "--benchmarks", "--pool", "synthetic", "--k", "2", "--url", pools["synthetic"])
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["pool"]["k"] == 2
