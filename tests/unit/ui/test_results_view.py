"""The summary radar's data: closed polygons on one spoke per dimension, the median only where peers exist."""

from __future__ import annotations

import math

from ui.results_view import DimensionRow, PeerMedians, radar_records, wrap

ROWS = [DimensionRow(f"d{i}", f"Dimension {i}", s, str(s), False) for i, s in enumerate([100.0, 50.0, 0.0, 25.0])]


def test_the_firm_and_the_median_are_closed_polygons_on_the_dimensions_spokes() -> None:
    data = radar_records(ROWS, PeerMedians({"d0": 40.0, "d1": 40.0, "d2": 40.0, "d3": 40.0}), "You", "Median")
    firm = [r for r in data["series"] if r["series"] == "You"]
    assert [r["i"] for r in firm] == [0, 1, 2, 3, 4] and firm[0]["x"] == firm[-1]["x"] and firm[0]["y"] == firm[-1]["y"]
    assert (firm[0]["x"], firm[0]["y"]) == (0.0, 100.0)  # the first dimension at the top
    assert (firm[1]["x"], firm[1]["y"]) == (50.0, 0.0)  # the next one clockwise, at its score
    median = [r for r in data["series"] if r["series"] == "Median"]
    assert all(math.isclose(math.hypot(r["x"], r["y"]), 40.0, abs_tol=0.01) for r in median) and len(median) == 5
    assert sorted({r["ring"] for r in data["grid"]}) == [25, 50, 75, 100]
    assert [r["align"] for r in data["labels"]] == ["center", "left", "center", "right"]


def test_without_peers_only_the_firm_is_drawn_and_a_gap_is_not_joined() -> None:
    assert {r["series"] for r in radar_records(ROWS, None, "You", "Median")["series"]} == {"You"}
    data = radar_records(ROWS, PeerMedians({"d0": 40.0, "d1": None, "d2": 40.0, "d3": 40.0}), "You", "Median")
    median = [r for r in data["series"] if r["series"] == "Median"]
    assert [r["i"] for r in median] == [0, 2, 3] and not any(r["line"] for r in median)  # points only, no line through a gap


def test_long_labels_wrap_on_words() -> None:
    assert wrap("Data management, connectedness and cybersecurity") == "Data management,\nconnectedness and\ncybersecurity"
    assert wrap("Scores") == "Scores"
