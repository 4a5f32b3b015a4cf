"""The questionnaire instrument: typed model, validation and loading (no UI code here)."""

from questionnaires.model import Question, Questionnaire
from questionnaires.registry import Instrument, get_instrument, load_questionnaire

__all__ = ["Instrument", "Question", "Questionnaire", "get_instrument", "load_questionnaire"]
