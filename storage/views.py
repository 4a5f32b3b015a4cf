"""Values the repository hands out and takes in, and its errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain import Profile
from scoring.result import Result


@dataclass(frozen=True)
class NewAssessment:
    assessment_id: str
    resume_code: str  # shown once to the user; only its hash is stored


@dataclass(frozen=True)
class AssessmentView:
    id: str
    firm_id: str
    profile: Profile
    answers: dict[str, Any]
    status: str  # "draft" | "completed"
    stage: str  # "T0" | "T1" | "T2"
    consent_statistics: bool
    consent_advisor: bool
    synthetic: bool
    questionnaire_id: str
    questionnaire_version: str
    content_hash: str
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    result: dict | None  # Result.to_json() snapshot taken at completion
    revision: int
    expires_at: datetime | None = None  # drafts are purged after this
    baseline_id: str | None = None  # the T0 assessment a T1/T2 compares with


@dataclass(frozen=True)
class SyntheticCompleted:
    """One synthetic completed assessment for ``Repository.add_completed_bulk`` (demo data)."""

    instrument: Any  # questionnaires.registry.Instrument
    profile: Profile
    answers: dict[str, Any]
    result: Result | dict
    completed_at: datetime
    stage: str = "T0"
    firm_id: str | None = None  # None: a new synthetic firm
    consent_statistics: bool = True


class AssessmentNotFound(KeyError):
    def __str__(self) -> str:
        return f"no assessment {self.args[0]!r}"


class TooManyAttempts(Exception):
    """Too many wrong resume codes from this client; try again after ``retry_after_seconds``."""

    def __init__(self, retry_after_seconds: float):
        self.retry_after_seconds = retry_after_seconds
        super().__init__(f"too many failed attempts; retry in {retry_after_seconds:.0f} s")


class UnknownInstrument(LookupError):
    """The questionnaire an assessment was started with is not available any more."""
