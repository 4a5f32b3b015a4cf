"""The comparison pool, read from storage: completed, consenting assessments of one questionnaire,
real or synthetic (never both)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pandas as pd

from benchmarks.disclosure import DEFAULT_POLICY, DisclosurePolicy
from benchmarks.report import Pool, PoolSource
from domain import Answers, Profile
from questionnaires.registry import Instrument
from scoring.applicability import applicable_answers


class PoolStore(Protocol):
    """What the pool needs from storage (``storage.Repository`` provides it)."""

    def completed_scores(self, *, consented_only: bool = True, synthetic: bool | None = False,
                         questionnaire_id: str | None = None) -> pd.DataFrame: ...

    def completed_answers(self, ids: list[str] | None = None, *, consented_only: bool = True, synthetic: bool | None = False,
                          questionnaire_id: str | None = None) -> Sequence[tuple[str, Profile, Answers | None]]: ...


def load_pool(store: PoolStore, instrument: Instrument, source: PoolSource = "auto", policy: DisclosurePolicy = DEFAULT_POLICY,
              with_answers: bool = True) -> Pool:
    """Completed, consenting assessments of this questionnaire: real ones, or the synthetic
    (demonstration) ones; "auto" takes the real pool and falls back to synthetic below k firms."""
    qid = instrument.questionnaire.id
    synthetic = source == "synthetic"
    frame = store.completed_scores(consented_only=True, synthetic=synthetic, questionnaire_id=qid)
    if source == "auto" and not policy.allows(len(frame)):
        demo = store.completed_scores(consented_only=True, synthetic=True, questionnaire_id=qid)
        if len(demo) > len(frame):
            frame, synthetic = demo, True
    answers: dict[str, Answers] | None = {} if with_answers else None
    if answers is not None and len(frame):
        rows = store.completed_answers(list(frame["assessment_id"]), consented_only=True, synthetic=synthetic, questionnaire_id=qid)
        q = instrument.questionnaire
        answers = {aid: applicable_answers(q, profile, a or {})[1] for aid, profile, a in rows}
    return Pool(frame, synthetic, answers)
