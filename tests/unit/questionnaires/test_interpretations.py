"""Per-dimension interpretations: one per level in both languages, checked on load, shown beside each score."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.errors import ContentError
from questionnaires.registry import Instrument, load_questionnaire
from scoring.engine import level_for
from scoring.result import DiiResult, DimensionScore, Result
from tests.conftest import FIXTURES
from ui.results_view import dimension_rows, strongest_and_weakest


def test_every_dimension_interprets_every_level_in_both_languages(instrument: Instrument) -> None:
    q = instrument.questionnaire
    levels = [lv.id for lv in q.levels]
    for d in q.dimensions:
        assert list(d.interpretation) == levels
        texts = [d.interpretation[lv].get(loc) for lv in levels for loc in ("fr", "en")]
        assert len(set(texts)) == len(texts)  # no text copied from one level or language to another
        assert all(text.endswith(".") for text in texts)


def test_a_missing_level_is_named_with_its_file_and_line(tmp_path: Path) -> None:
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace(' moderate: {fr: "a2", en: "a2"},', "", 1)
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_questionnaire(path)
    [problem] = [str(p) for p in exc.value.problems]
    assert problem == f"{path}:37: dimensions[0].interpretation: no interpretation for level(s) ['moderate']"


def test_an_unknown_level_is_refused(tmp_path: Path) -> None:
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace('advanced: {fr: "b3"', 'expert: {fr: "b3"', 1)
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_questionnaire(path)
    found = [str(p) for p in exc.value.problems]
    assert any("dimensions[1].interpretation: unknown level(s) ['expert']" in p for p in found), found


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_each_dimension_row_carries_its_levels_interpretation(mini: Instrument, locale: str) -> None:
    q = mini.questionnaire
    result = Result(50.0, "moderate", {"alpha": DimensionScore("alpha", 10.0, 2, 2, 0), "beta": DimensionScore("beta", 80.0, 1, 1, 0)},
                    {}, DiiResult(0, "very_low", False))
    alpha, beta = dimension_rows(q, result, locale)
    assert (alpha.interpretation, beta.interpretation) == ("a0", "b3")
    assert alpha.level == next(lv.label.get(locale) for lv in q.levels if lv.id == level_for(q, 10.0))


def test_strongest_and_weakest_never_share_a_dimension(instrument: Instrument) -> None:
    from ui.results_view import DimensionRow

    rows = [DimensionRow(f"d{i}", f"D{i}", float(s), str(s), False) for i, s in enumerate([40, 90, 10, 70, 55, 20, 65])]
    strong, weak = strongest_and_weakest(rows)
    assert [r.id for r in strong] == ["d1", "d3", "d6"] and [r.id for r in weak] == ["d2", "d5", "d0"]
    strong, weak = strongest_and_weakest(rows[:4])
    assert [r.id for r in strong] == ["d1", "d3"] and [r.id for r in weak] == ["d2", "d0"]
