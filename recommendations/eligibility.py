"""Which supports a firm can turn to: pure functions over the catalog and the firm profile.

A support is *offered* to a firm when it is open today and its eligibility matches the firm:
the firm is a business (the tool assesses businesses), its size band, SCIAN sector and region
code are in the lists (an absent list means every code) and its region is not excluded.
Closed, ended and unknown-status entries are never offered. When none of an action's supports is
offered, the firm is pointed to the advisor network of its region (``advice_for``).

No Streamlit, no I/O: the roadmap, the PDF and the results page call these with the profile.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from recommendations.model import Action, Applicability, Eligibility, Support
from scoring.answers import Profile

if TYPE_CHECKING:
    from recommendations.catalog import Catalogs

FIRM_ORGANISATION = "business"  # what a firm filling in the questionnaire is


def matches(rule: Eligibility, profile: Profile) -> bool:
    """Whether a firm with ``profile`` fits the rule (status is not looked at here)."""
    return (FIRM_ORGANISATION in rule.organisations
            and (rule.sizes is None or profile.size in rule.sizes)
            and (rule.sectors is None or profile.sector in rule.sectors)
            and (rule.regions is None or profile.region in rule.regions)
            and profile.region not in rule.excluded_regions)


def is_offered(support: Support, profile: Profile) -> bool:
    """Open today and eligible for this firm."""
    return support.is_open and matches(support.eligibility, profile)


def offered_supports(action: Action, catalogs: Catalogs, profile: Profile) -> list[Support]:
    """The action's supports this firm can apply to today, in the action's order."""
    return [s for s in (catalogs.support(sid) for sid in action.supports) if is_offered(s, profile)]


def advice_for(catalogs: Catalogs, profile: Profile) -> list[Support]:
    """The advisor network(s) of the firm's region (any status: it is where to ask, not a subsidy)."""
    return [s for s in catalogs.programmes.supports if s.kind == "advice" and matches(s.eligibility, profile)]


@dataclass(frozen=True)
class SupportsFor:
    """What the roadmap prints under one action for one firm."""

    offered: tuple[Support, ...]
    advice: tuple[Support, ...]  # only when nothing is offered


def supports_for(action: Action, catalogs: Catalogs, profile: Profile) -> SupportsFor:
    offered = offered_supports(action, catalogs, profile)
    return SupportsFor(tuple(offered), () if offered else tuple(advice_for(catalogs, profile)))


def can_ever_match(rule: Eligibility, applies_to: Applicability, sectors: Iterable[str], sizes: Iterable[str],
                   regions: Iterable[str]) -> bool:
    """Whether some firm the action applies to could fit the rule (used by the catalog checks)."""
    if FIRM_ORGANISATION not in rule.organisations:
        return False
    region_ok = any((rule.regions is None or r in rule.regions) and r not in rule.excluded_regions for r in regions)
    sector_ok = any(s in (applies_to.sectors or sectors) for s in (rule.sectors or sectors))
    size_ok = any(z in (applies_to.sizes or sizes) for z in (rule.sizes or sizes))
    return region_ok and sector_ok and size_ok
