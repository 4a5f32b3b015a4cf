"""Releases for the statistics page tests: the hand-made fixture release (synthetic, 2026) and an
official one (2025), served through ``ui.cache.statistics``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import ui.cache
from releases.model import Release, ReleaseRefused
from tests.release_fixture import sample_release


@dataclass(frozen=True)
class Summary:
    id: str
    period: str
    stages: tuple[str, ...]
    created_at: datetime
    created_by: str
    synthetic: bool
    official: bool
    firms: int


class StandInStatistics:
    """The service's read side over fixed releases (until services.statistics lands)."""

    def __init__(self, releases: list[Release]):
        self.stored = {r.id: r for r in releases}

    def releases(self, principal):
        return [Summary(r.id, r.parameters.period, r.parameters.stages, r.created_at, r.created_by, r.parameters.synthetic, r.official,
                        r.firms) for r in sorted(self.stored.values(), key=lambda r: r.parameters.period, reverse=True)]

    def release(self, principal, release_id):
        return self.stored[release_id]

    def trend(self, principal, stage, table_id="total", key=()):
        return [(s, c) for s in reversed(self.releases(principal)) for c in self.stored[s.id].cells
                if c.table_id == table_id and c.stage == stage and c.key == tuple(key)]

    def export(self, principal, release_id, fmt, locale):
        return b"stand-in"


def publish(access, monkeypatch) -> list[Release]:
    older = replace(sample_release("r-2025", period="2025", synthetic=False))
    releases = [sample_release("r-2026"), older]
    service = StandInStatistics(releases)
    monkeypatch.setattr(ui.cache, "statistics", lambda: service)
    return releases


class StandInRuns(StandInStatistics):
    """Also runs releases: records each call; refuses a non-synthetic run (as a release with too
    few firms would be refused by the engine)."""

    def __init__(self, releases: list[Release]):
        super().__init__(releases)
        self.runs: list[dict] = []

    def run_release(self, principal, period, stages, *, k=None, synthetic=False, official=True, created_by="cli"):
        self.runs.append({"period": period, "stages": tuple(stages), "synthetic": synthetic, "official": official,
                          "created_by": created_by})
        if not synthetic:
            raise ReleaseRefused("the disclosure audit could not protect every small cell")
        made = replace(sample_release(f"r-{period}-{len(self.runs)}", period=period), official=official, created_by=created_by)
        self.stored[made.id] = made
        return made


def publish_for_admin(monkeypatch) -> StandInRuns:
    service = StandInRuns([sample_release("r-2025", period="2025", synthetic=False)])
    monkeypatch.setattr(ui.cache, "statistics", lambda: service)
    return service
