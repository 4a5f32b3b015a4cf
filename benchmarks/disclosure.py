"""The one disclosure rule: the smallest group of distinct firms any figure may describe.

Peers' percentiles and quartiles, archetypes, nearest-peer signals, every CLI option and (later)
published statistics read their minimum group size from a ``DisclosurePolicy``. The default is
k = 10; nothing below the floor of 5 is allowed except on a pool labelled synthetic (demo data,
where there is no one to protect).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_K = 10
FLOOR = 5


class DisclosureError(ValueError):
    """A minimum group size that the policy refuses."""


@dataclass(frozen=True, slots=True)
class DisclosurePolicy:
    k: int = DEFAULT_K
    synthetic: bool = False  # a synthetic pool may use any k >= 1 (demos, tests)

    def __post_init__(self) -> None:
        if self.k < 1:
            raise DisclosureError(f"k must be at least 1, got {self.k}")
        if self.k < FLOOR and not self.synthetic:
            raise DisclosureError(f"k = {self.k} is below the disclosure floor of {FLOOR} distinct firms; "
                                  f"smaller groups are allowed only on a synthetic pool")

    def allows(self, firms: int) -> bool:
        """Whether a figure about ``firms`` distinct firms may be shown."""
        return firms >= self.k


DEFAULT_POLICY = DisclosurePolicy()


def policy_for(k: int | None, synthetic: bool) -> DisclosurePolicy:
    """The policy for an operator's requested ``k`` (None: the default) on a real or synthetic pool."""
    return DisclosurePolicy(DEFAULT_K if k is None else k, synthetic)
