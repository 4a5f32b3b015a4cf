"""Peer pool: percentiles checked by hand, fallback order, suppression below k at every level."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks.disclosure import DisclosurePolicy
from benchmarks.peers import PeerPool, percentile_rank, percentiles
from domain import Profile


def tiny(k: int) -> DisclosurePolicy:
    """A policy for hand-made cells of a few firms (allowed because labelled synthetic)."""
    return DisclosurePolicy(k, synthetic=True)


def _frame(rows: list[tuple[str, str, str, float]], synthetic: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["sector", "size", "region", "overall"])
    frame["synthetic"] = synthetic
    return frame


def test_percentile_rank_counts_ties_half() -> None:
    values = np.array([10.0, 20.0, 20.0, 30.0])
    assert percentile_rank(values, 5) == 0.0
    assert percentile_rank(values, 20) == 50.0  # 1 below, 2 equal: (1 + 1) / 4
    assert percentile_rank(values, 25) == 75.0
    assert percentile_rank(values, 30) == 87.5  # 3 below, 1 equal: (3 + 0.5) / 4
    assert percentile_rank(values, 99) == 100.0


def test_finest_cell_by_hand() -> None:
    # Region 06 holds k firms too: the sector+size cell minus region 05 may then be shown (see differencing below).
    rows = [("31-33", "5-19", "05", v) for v in (10, 20, 30, 40)] + [("31-33", "5-19", "06", v) for v in (90, 95, 96, 97)]
    pool = PeerPool.from_frame(_frame(rows), ["overall"], policy=tiny(4))
    m = percentiles(pool, Profile("31-33", "5-19", "05"), {"overall": 30.0}).metrics["overall"]
    assert (m.percentile, m.n, m.cell) == (62.5, 4, "sector+size+region")  # 2 below + half of 1 tie, of 4
    assert m.quartiles == (17.5, 25.0, 32.5)  # numpy's linear quantiles of 10, 20, 30, 40


@pytest.mark.parametrize(("profile", "cell", "n"), [
    (Profile("31-33", "5-19", "05"), "sector+size+region", 3),
    (Profile("31-33", "5-19", "06"), "sector+size", 6),  # region 06 holds 1 firm: region dropped
    (Profile("31-33", "1-4", "05"), "sector", 9),  # size 1-4 has 1 manufacturer: size dropped too
    (Profile("54", "1-4", "05"), "all", 12),  # no firm in sector 54: sector dropped
])
def test_fallback_drops_region_then_size_then_sector(profile: Profile, cell: str, n: int) -> None:
    # Each coarser cell holds k (3) firms outside the finer cells shown inside it, so none is withheld
    # for differencing: regions 06, 07, 08 of 31-33 × 5-19 and sizes 1-4, 20-49, 50-99 of 31-33 hold 1 firm each.
    rows = [("31-33", "5-19", "05", v) for v in (10, 20, 30)] + [("31-33", "5-19", r, v) for r, v in (("06", 40), ("07", 41), ("08", 42))]
    rows += [("31-33", "1-4", "05", 50), ("31-33", "20-49", "05", 60), ("31-33", "50-99", "05", 65)]
    rows += [("41", "1-4", "05", v) for v in (60, 70, 80)]
    pool = PeerPool.from_frame(_frame(rows), ["overall"], policy=tiny(3))
    m = percentiles(pool, profile, {"overall": 45.0}).metrics["overall"]
    assert (m.cell, m.n) == (cell, n)
    expected = {"sector+size+region": 100.0, "sector+size": 100.0, "sector": 100 * 6 / 9, "all": 50.0}[cell]
    assert m.percentile == pytest.approx(expected)


def test_below_k_everywhere_says_not_enough_data() -> None:
    pool = PeerPool.from_frame(_frame([("31-33", "5-19", "05", v) for v in (10, 20, 30)]), ["overall"], policy=tiny(4))
    comparison = percentiles(pool, Profile("31-33", "5-19", "05"), {"overall": 25.0})
    m = comparison.metrics["overall"]
    assert (m.percentile, m.n, m.cell, m.quartiles) == (None, 0, None, None)
    assert not comparison.enough_data
    assert comparison.to_json()["metrics"]["overall"] == {"score": 25.0, "percentile": None, "n": 0, "cell": None, "quartiles": None}
    assert comparison.to_json()["pool_size"] is None  # 3 firms: not even the count is exported


def test_each_level_is_suppressed_below_k_even_if_a_finer_cell_would_do() -> None:
    # k = 10: the firm's own cell (4 firms) and every coarser level below 10 are never shown.
    rows = [("31-33", "5-19", "05", float(v)) for v in range(4)] + [("41", "1-4", "01", float(v)) for v in range(5)]
    pool = PeerPool.from_frame(_frame(rows), ["overall"], policy=DisclosurePolicy(10))
    assert percentiles(pool, Profile("31-33", "5-19", "05"), {"overall": 1.0}).metrics["overall"].cell is None
    pool = PeerPool.from_frame(_frame(rows), ["overall"], policy=tiny(9))  # all firms: 9 >= k
    assert percentiles(pool, Profile("31-33", "5-19", "05"), {"overall": 1.0}).metrics["overall"].cell == "all"


def test_missing_scores_do_not_count_towards_n() -> None:
    rows = [("31-33", "5-19", "05", v) for v in (10, 20, np.nan, np.nan)]
    pool = PeerPool.from_frame(_frame(rows), ["overall"], policy=tiny(2))
    m = percentiles(pool, Profile("31-33", "5-19", "05"), {"overall": 15.0}).metrics["overall"]
    assert (m.n, m.percentile) == (2, 50.0)


def test_firm_without_a_score_gets_cell_but_no_percentile() -> None:
    pool = PeerPool.from_frame(_frame([("31-33", "5-19", "05", v) for v in (10, 20)]), ["overall"], policy=tiny(2))
    comparison = percentiles(pool, Profile("31-33", "5-19", "05"), {"overall": None})
    assert (comparison.metrics["overall"].percentile, comparison.metrics["overall"].n) == (None, 2)
    assert comparison.enough_data  # the peers can be shown; the firm just has no score to place


def test_real_and_synthetic_never_mix_silently() -> None:
    frame = pd.concat([_frame([("31-33", "5-19", "05", 10)]), _frame([("31-33", "5-19", "05", 20)], synthetic=True)])
    with pytest.raises(ValueError, match="synthetic"):
        PeerPool.from_frame(frame, ["overall"], policy=tiny(1))
    assert PeerPool.from_frame(frame, ["overall"], policy=tiny(1), mix_synthetic=True).synthetic
    assert PeerPool.from_frame(_frame([("31-33", "5-19", "05", 10)], synthetic=True), ["overall"], policy=tiny(1)).synthetic
    assert not PeerPool.from_frame(_frame([("31-33", "5-19", "05", 10)]), ["overall"], policy=tiny(1)).synthetic


def test_agrees_with_numpy_on_a_random_pool() -> None:
    rng = np.random.default_rng(3)
    n = 5000
    frame = pd.DataFrame({"sector": rng.choice(["31-33", "41", "54"], n), "size": rng.choice(["1-4", "5-19"], n),
                          "region": rng.choice(["05", "06"], n), "overall": rng.uniform(0, 100, n).round(1)})
    pool = PeerPool.from_frame(frame, ["overall"], policy=DisclosurePolicy(10))
    profile = Profile("41", "5-19", "06")
    m = percentiles(pool, profile, {"overall": 42.0}).metrics["overall"]
    cell = frame[(frame.sector == "41") & (frame["size"] == "5-19") & (frame.region == "06")].overall.to_numpy()
    assert m.n == len(cell)
    assert m.percentile == pytest.approx(100 * ((cell < 42).sum() + 0.5 * (cell == 42).sum()) / len(cell))
    assert m.quartiles == pytest.approx(tuple(np.percentile(cell, [25, 50, 75])))


def test_bad_frames_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match="lacks column"):
        PeerPool.from_frame(pd.DataFrame({"sector": ["41"]}), ["overall"])
    with pytest.raises(ValueError, match="k must be"):
        PeerPool.from_frame(_frame([("41", "1-4", "05", 1.0)]), ["overall"], policy=tiny(0))


def test_the_firms_own_assessment_is_left_out() -> None:
    rows = [("31-33", "5-19", "05", v) for v in (10, 20, 30, 40)] + [("31-33", "5-19", "06", v) for v in (50, 60, 70, 80)]
    pool = PeerPool.from_frame(_frame(rows), ["overall"], policy=tiny(4))
    profile = Profile("31-33", "5-19", "05")
    with_self = percentiles(pool, profile, {"overall": 30.0}).metrics["overall"]
    assert (with_self.n, with_self.percentile, with_self.cell) == (4, 62.5, "sector+size+region")
    # Its stored 30 is one of the 4: the 3 others are too few, so the next level (8 firms, 7 others) is used.
    alone = percentiles(pool, profile, {"overall": 30.0}, own={"overall": 30.0}).metrics["overall"]
    assert (alone.n, alone.cell, alone.percentile) == (7, "sector+size", 100 * 2 / 7)
    assert alone.quartiles == pytest.approx(tuple(np.percentile([10, 20, 40, 50, 60, 70, 80], [25, 50, 75])))
    assert percentiles(pool, profile, {"overall": 30.0}, own={"overall": 33.0}).metrics["overall"].n == 4  # not stored here
