"""Values the repository hands out and takes in, and its errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain import Answers, Assessment, JsonDoc, Profile, Stage
from questionnaires.registry import Instrument
from scoring.result import Result


@dataclass(frozen=True)
class NewAssessment:
    assessment_id: str
    resume_code: str  # shown once to the user; only its hash is stored


AssessmentView = Assessment  # the repository hands out the one assessment value (domain.Assessment)


@dataclass(frozen=True)
class SyntheticCompleted:
    """One synthetic completed assessment for ``Repository.add_completed_bulk`` (demo data)."""

    instrument: Instrument
    profile: Profile
    answers: Answers
    result: Result | JsonDoc
    completed_at: datetime
    stage: Stage = Stage.T0
    firm_id: str | None = None  # None: a new synthetic firm
    consent_statistics: bool = True


class AssessmentNotFound(KeyError):
    def __str__(self) -> str:
        return f"no assessment {self.args[0]!r}"


class MixedSyntheticData(ValueError):
    """A synthetic assessment for a real firm, or a real one for a synthetic firm: refused, so demo
    data never mixes with real data."""

    def __init__(self, firm_id: str, firm_synthetic: bool):
        kind, other = ("synthetic", "real") if firm_synthetic else ("real", "synthetic")
        super().__init__(f"firm {firm_id!r} is {kind}: a {other} assessment cannot be added to it "
                         "(synthetic demo data and real data are never mixed in one firm)")
        self.firm_id = firm_id
        self.firm_synthetic = firm_synthetic


class TooManyAttempts(Exception):
    """Too many wrong resume codes from this client; try again after ``retry_after_seconds``."""

    def __init__(self, retry_after_seconds: float):
        self.retry_after_seconds = retry_after_seconds
        super().__init__(f"too many failed attempts; retry in {retry_after_seconds:.0f} s")


class UnknownInstrument(LookupError):
    """The questionnaire an assessment was started with is not available any more."""


class StorageUnavailable(RuntimeError):
    """The database cannot be used safely (e.g. its file disappeared under the running app)."""
