"""Shared fixtures: the shipped instrument, the small hand-worked one, and answer generators."""

from __future__ import annotations

from pathlib import Path

import pytest

from questionnaires.registry import Instrument, get_instrument, load_questionnaire

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def instrument() -> Instrument:
    return get_instrument()


@pytest.fixture(scope="session")
def mini() -> Instrument:
    return load_questionnaire(FIXTURES / "mini.yaml")


@pytest.fixture(scope="session")
def catalogs(instrument: Instrument):
    from recommendations.catalog import load_catalogs

    return load_catalogs(instrument)
