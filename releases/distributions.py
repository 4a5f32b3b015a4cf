"""Disclosure control of the distributions inside a published cell (firms per maturity level, per
DII level, per score bin, per archetype).

Each category of a distribution is itself a count of firms, so the cell threshold applies to it:

- distributions are published for the total only. Elsewhere a margin minus its published children
  would give back any category hidden in one child, and protecting that would need the audit over a
  cube with one more dimension;
- in the total, a category with 1 to k − 1 firms is hidden ("x", ``None``), and more of the smallest
  non-zero categories are hidden until the hidden firms number at least k more than the hidden
  categories. Since the cell's n is published, the hidden categories' total is known; this keeps each
  of them anywhere between 1 and k + 1 or more, never pinned down. Zeros stay published, as empty
  cells do.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

Counts = tuple[int | None, ...]


def protect_counts(counts: Sequence[int], k: int) -> Counts:
    """``counts`` with the categories to hide set to None (see the module docstring)."""
    hidden = {i for i, c in enumerate(counts) if 0 < c < k}
    candidates = sorted((c, i) for i, c in enumerate(counts) if c >= k)  # smallest first
    while hidden and sum(counts[i] for i in hidden) - len(hidden) < k and candidates:
        hidden.add(candidates.pop(0)[1])
    return tuple(None if i in hidden else c for i, c in enumerate(counts))


def protect_mapping(counts: Mapping[str, int], k: int) -> dict[str, int | None]:
    """``protect_counts`` over a category id → firms mapping (order kept)."""
    return dict(zip(counts, protect_counts(list(counts.values()), k), strict=True))


def basic_share(dii_counts: Mapping[str, int | None], n: int | None, basic_levels: Collection[str]) -> float | None:
    """Share of the firms at a basic DII level or above; None when there is no DII distribution or
    one of its levels is hidden (the share would give that level back)."""
    if not n or not dii_counts or None in dii_counts.values():
        return None
    return sum(v or 0 for level, v in dii_counts.items() if level in basic_levels) / n
