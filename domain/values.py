"""Profile, answers, assessment: one definition each, used by storage, services, UI, CLI and reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Literal, NewType

from domain.jsontypes import JsonDoc

ProfileField = Literal["sector", "size", "region"]
PROFILE_FIELDS: tuple[ProfileField, ...] = ("sector", "size", "region")

# One answer, as stored and as the scoring core reads it (see scoring/answers.py for the rules):
# an option id or "dont_know"; a list of option ids (checklist); {row id: option id} (matrix); a number.
AnswerValue = str | float | list[str] | dict[str, str]
Answers = Mapping[str, AnswerValue]  # question id -> answer; read-only where it is passed around
MutableAnswers = dict[str, AnswerValue]  # only where answers are being built

AssessmentId = NewType("AssessmentId", str)


@dataclass(frozen=True, slots=True)
class Profile:
    """The firm profile that decides which items apply and which peers it is compared with."""

    sector: str
    size: str
    region: str
    name: str = ""


class Status(StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"


class Stage(StrEnum):
    T0 = "T0"  # first assessment
    T1 = "T1"  # after support
    T2 = "T2"


@dataclass(frozen=True, slots=True)
class Consents:
    statistics: bool = False  # anonymised statistics and the peer pool
    advisor: bool = False  # an advisor may see this assessment


@dataclass(frozen=True, slots=True)
class Submission:
    """A firm's profile and answers outside storage (an answers file, a CLI call): ``firm_id`` is the
    caller's label, not a stored id."""

    firm_id: str
    profile: Profile
    answers: Answers


def frozen_answers(answers: Answers) -> Answers:
    """A read-only copy (nested lists and rows copied too), so a shared value cannot be changed."""
    return MappingProxyType({k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v) for k, v in answers.items()})


@dataclass(frozen=True, slots=True)
class Assessment:
    """One stored assessment at one revision (storage is the source of truth)."""

    id: AssessmentId
    firm_id: str
    profile: Profile
    answers: Answers
    status: Status
    stage: Stage
    consents: Consents
    synthetic: bool
    questionnaire_id: str
    questionnaire_version: str
    content_hash: str
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    result: JsonDoc | None  # the Result JSON snapshot taken at completion
    revision: int
    expires_at: datetime | None = None  # drafts are purged after this
    baseline_id: AssessmentId | None = None  # the T0 assessment a T1/T2 compares with
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def consent_statistics(self) -> bool:
        return self.consents.statistics

    @property
    def consent_advisor(self) -> bool:
        return self.consents.advisor

    @property
    def submission(self) -> Submission:
        return Submission(self.firm_id, self.profile, self.answers)

    def with_answers(self, answers: Answers, revision: int | None = None) -> Assessment:
        return replace(self, answers=frozen_answers(answers), revision=self.revision if revision is None else revision)
