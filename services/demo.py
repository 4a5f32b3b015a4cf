"""Demonstration data: a synthetic population of completed assessments, stored labelled synthetic
(``python cli.py seed-demo``). Never mixed with real data: the pool, the peers and every view
say when what they show is synthetic."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from benchmarks.synthetic import completion_times, generate_population, result_snapshots
from questionnaires.registry import Instrument
from questionnaires.segments import load_segments
from storage.views import SyntheticCompleted


class SyntheticStore(Protocol):
    def add_completed_bulk(self, rows: Iterable[SyntheticCompleted]) -> int: ...


@dataclass(frozen=True, slots=True)
class SeededDemo:
    inserted: int
    seed: int
    questionnaire_id: str
    questionnaire_version: str
    content_hash: str


def seed_demo(store: SyntheticStore, instrument: Instrument, n: int, seed: int) -> SeededDemo:
    """Generate ``n`` synthetic completed assessments (deterministic for a seed) and store them."""
    q = instrument.questionnaire
    population = generate_population(q, load_segments(), n, seed)
    meta = {"id": q.id, "version": q.version, "content_hash": instrument.content_hash}
    snapshots = result_snapshots(q, population, meta)
    times = completion_times(n, seed)
    rows = (SyntheticCompleted(instrument, p, a, s, t)
            for p, a, s, t in zip(population.profiles, population.answers, snapshots, times, strict=True))
    return SeededDemo(store.add_completed_bulk(rows), seed, q.id, q.version, instrument.content_hash)
