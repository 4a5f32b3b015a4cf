"""ui/statistics_ui.bars: a hidden category ("x") draws no bar but keeps its place, marked "x"."""

from __future__ import annotations

import math

import pandas as pd

from ui.statistics_ui import bars


def _spec(chart) -> dict:
    return chart.to_dict()


def test_a_hidden_category_keeps_its_place_on_the_axis_with_an_x():
    frame = pd.DataFrame({"bin": ["0–10", "10–20", "20–30"], "firms": [12.0, math.nan, 40.0]})
    spec = _spec(bars(frame, "bin", "firms", "Score", "Firms", horizontal=False, sort=False, counts=True))
    drawn, marks = spec["layer"]
    assert drawn["encoding"]["x"]["sort"] == ["0–10", "10–20", "20–30"]
    assert drawn["encoding"]["y"]["axis"]["format"] == ",d"  # whole firms, though the column is float
    assert marks["mark"]["type"] == "text" and marks["encoding"]["text"]["field"] == "x"
    data = spec["datasets"][marks["data"]["name"]]
    assert data == [{"bin": "10–20", "firms": 0.0, "x": "x"}]


def test_nothing_hidden_is_a_plain_bar_chart_and_nothing_published_is_no_chart():
    frame = pd.DataFrame({"bin": ["a", "b"], "firms": [1.0, 2.0]})
    assert _spec(bars(frame, "bin", "firms", "c", "v", sort=False))["mark"]["type"] == "bar"
    assert bars(frame.assign(firms=math.nan), "bin", "firms", "c", "v") is None
