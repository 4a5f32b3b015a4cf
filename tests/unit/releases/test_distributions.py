"""releases/distributions.py: a distribution's categories are counts of firms, protected like cells."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from releases.distributions import protect_counts, protect_mapping


def test_a_small_category_is_hidden_with_the_next_smallest_so_neither_can_be_recomputed_from_n():
    assert protect_counts([50, 3, 0, 20], 10) == (50, None, 0, None)  # n − published = 23 for two hidden categories


def test_nothing_small_nothing_hidden_and_zeros_stay_published():
    assert protect_counts([0, 10, 31, 0], 10) == (0, 10, 31, 0)


def test_hiding_goes_on_until_the_hidden_firms_leave_room():
    # 2 + 3 hidden: 5 − 2 < 10, so 11 goes too: 16 − 3 = 13 ≥ 10
    assert protect_counts([2, 3, 11, 40], 10) == (None, None, None, 40)


def test_mappings_keep_their_order():
    assert protect_mapping({"basic": 4, "average": 30, "advanced": 12}, 10) == {"basic": None, "average": 30, "advanced": None}


@given(st.lists(st.integers(0, 60), min_size=1, max_size=10), st.sampled_from([5, 10, 20]))
def test_no_category_can_be_pinned_down(counts, k):
    """Whatever the counts (with at least k firms, as every published cell has): no published
    category holds 1 to k − 1 firms; zeros stay; and when anything is hidden, at least two
    categories are and the hidden firms (known from n) leave each of them a range of at least k."""
    if sum(counts) < k:
        return
    out = protect_counts(counts, k)
    assert all(v is None or v == 0 or v >= k for v in out)
    assert all(v == 0 for c, v in zip(counts, out, strict=True) if c == 0)
    hidden = [c for c, v in zip(counts, out, strict=True) if v is None]
    if hidden:
        assert len(hidden) >= 2 or not [v for v in out if v]
        assert sum(hidden) - len(hidden) >= k or not [v for v in out if v]
