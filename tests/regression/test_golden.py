"""Regression: the CLI's score JSON/CSV, report PDF bytes (fr, en, fixed date) and ``score
--benchmarks`` on a seeded pool are exactly as recorded in tests/golden/expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.outputs import EXPECTED, generate


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return dict(generate(Path(tmp_path_factory.mktemp("golden"))))


def test_every_golden_file_is_produced(outputs: dict[str, bytes]) -> None:
    assert sorted(outputs) == sorted(p.name for p in EXPECTED.iterdir())
    assert len(outputs) >= 14


@pytest.mark.parametrize("name", sorted(p.name for p in EXPECTED.iterdir()))
def test_output_is_unchanged(outputs: dict[str, bytes], name: str) -> None:
    expected = (EXPECTED / name).read_bytes()
    actual = outputs[name]
    if name.endswith(".pdf") and actual != expected:
        assert _pdf_text(actual) == _pdf_text(expected)  # a readable diff first
    assert actual == expected
