"""Scoring: pure functions from answers to dimension scores, levels and the DII (no UI code)."""

from domain import Answers, Profile
from scoring.answers import AnswerError, InvalidAnswers
from scoring.engine import score_answers, score_firm
from scoring.result import DiiResult, DimensionScore, Result

__all__ = ["AnswerError", "Answers", "DiiResult", "DimensionScore", "InvalidAnswers", "Profile", "Result",
           "score_answers", "score_firm"]
