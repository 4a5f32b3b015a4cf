"""The nouns every layer shares, as small frozen values (standard library only).

``Profile`` and ``Answers`` describe a firm's submission; ``Assessment`` is one stored assessment
(what storage hands out, the UI session holds, reports and services take). Nothing here imports
another package of this project.
"""

from domain.jsontypes import JsonDoc, JsonObject, JsonScalar, JsonValue
from domain.values import (
    PROFILE_FIELDS,
    Answers,
    AnswerValue,
    Assessment,
    AssessmentId,
    Consents,
    MutableAnswers,
    Profile,
    ProfileField,
    Stage,
    Status,
    Submission,
)

__all__ = ["PROFILE_FIELDS", "AnswerValue", "Answers", "Assessment", "AssessmentId", "Consents", "JsonDoc", "JsonObject", "JsonScalar",
           "JsonValue", "MutableAnswers", "Profile",
           "ProfileField", "Stage", "Status", "Submission"]
