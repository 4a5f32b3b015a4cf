"""Answers files for the command line: one firm as JSON, or many firms as CSV (one row each).

JSON::

    {"questionnaire": {"id": "digital-maturity", "version": "2026.1"},   # optional
     "profile": {"sector": "31-33", "size": "20-49", "region": "05", "name": "Atelier X"},
     "answers": {"strategy_plan": "partial", "software_adoption": {"erp": "a5"}, ...}}

CSV: columns ``firm_id, name, sector, size, region`` then one column per question id, or
``question.row`` for each matrix row; checklist answers are ``;``-separated option ids.

Empty answers: in JSON a checklist ``[]`` is answered with nothing ticked (scored 0, like
``["none"]``) while a missing key, ``null`` or a matrix ``{}`` is unanswered; in CSV an empty cell
is always unanswered (write ``none`` for nothing ticked). Tested in tests/test_score_confidence.py.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from domain import AnswerValue, MutableAnswers, Profile, Submission
from questionnaires.model import DONT_KNOW, Questionnaire
from questionnaires.registry import Instrument
from questionnaires.segments import Segments
from scoring.answers import AnswerError, check_answers, check_profile
from scoring.kinds import kind_of

PROFILE_COLUMNS = ("firm_id", "name", "sector", "size", "region")


class AnswerFileError(ValueError):
    """Every problem found in an answers file, each naming its row (or file) and question."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


def answer_columns(q: Questionnaire) -> list[str]:
    return [column for x in q.questions for column in kind_of(x).csv_columns(x)]


def template_json(instrument: Instrument, segments: Segments) -> dict[str, Any]:
    """A blank answers document listing every field with its allowed values."""
    q = instrument.questionnaire
    allowed = {x.id: kind_of(x).template_allowed(q, x) for x in q.questions}
    return {
        "questionnaire": {"id": q.id, "version": q.version},
        "profile": {"sector": None, "size": None, "region": None, "name": ""},
        "answers": {x.id: kind_of(x).template_blank() for x in q.questions},
        "_allowed": {"profile": {f: segments.codes(f) for f in ("sector", "size", "region")}, "answers": allowed},
    }


def template_csv(instrument: Instrument, segments: Segments) -> str:
    """Header row plus a second row describing each column's allowed values."""
    q = instrument.questionnaire
    out = io.StringIO()
    writer = csv.writer(out)
    columns = list(PROFILE_COLUMNS) + answer_columns(q)
    writer.writerow(columns)
    hints = ["your id", "optional", *("|".join(segments.codes(f)) for f in ("sector", "size", "region"))]
    hints += [hint for x in q.questions for hint in kind_of(x).csv_hints(q, x)]
    writer.writerow(hints)
    return out.getvalue()


def parse_json_submission(text: str, q: Questionnaire, segments: Segments) -> Submission:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswerFileError([f"line {exc.lineno}: invalid JSON: {exc.msg}"]) from None
    except (ValueError, RecursionError) as exc:  # an integer of thousands of digits, nesting too deep
        raise AnswerFileError([f"invalid JSON: {str(exc).splitlines()[0][:200]}"]) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("profile"), dict) or not isinstance(doc.get("answers"), dict):
        raise AnswerFileError(["expected an object with 'profile' and 'answers' objects"])
    extra = set(doc) - {"questionnaire", "profile", "answers", "_allowed", "firm_id"}
    if extra:
        raise AnswerFileError([f"unknown top-level field(s) {sorted(extra)}"])
    raw = doc["profile"]
    unknown = set(raw) - {"sector", "size", "region", "name"}
    if unknown:
        raise AnswerFileError([f"profile: unknown field(s) {sorted(unknown)}"])
    wrong_type = [f"profile: {f} must be a string, got {type(raw.get(f)).__name__}" for f in ("sector", "size", "region")
                  if not isinstance(raw.get(f), str)]
    if raw.get("name") is not None and not isinstance(raw.get("name"), str):
        wrong_type.append(f"profile: name must be a string, got {type(raw['name']).__name__}")
    if "firm_id" in doc and not isinstance(doc["firm_id"], str | int):
        wrong_type.append(f"firm_id must be a string, got {type(doc['firm_id']).__name__}")
    if wrong_type:
        raise AnswerFileError(wrong_type)
    profile = Profile(raw["sector"], raw["size"], raw["region"], raw.get("name") or "")
    answers = {k: v for k, v in doc["answers"].items() if v is not None and v != {}}
    errors = check_profile(profile, segments) + check_answers(q, answers)
    if errors:
        raise AnswerFileError([f"{e.question}: {e.message}" for e in errors])
    return Submission(str(doc.get("firm_id", "")), profile, answers)


def _cell(q: Questionnaire, column: str, text: str) -> tuple[str, AnswerValue | None]:
    """(question id, value) for one CSV cell; matrix cells come back as {row: value}."""
    qid, _, row = column.partition(".")
    question = next((x for x in q.questions if x.id == qid), None)
    if question is None or text == "":
        return qid, None
    if text == DONT_KNOW:
        return qid, ({row: DONT_KNOW} if row else DONT_KNOW)
    return qid, kind_of(question).parse_cell(question, row, text)


def parse_csv_submissions(text: str, q: Questionnaire, segments: Segments) -> list[Submission]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        columns = reader.fieldnames or []
    except csv.Error as exc:
        raise AnswerFileError([f"line 1: unreadable CSV header: {exc}"]) from None
    known = set(PROFILE_COLUMNS) | set(answer_columns(q))
    unknown = [c for c in columns if c not in known]
    missing = [c for c in ("sector", "size", "region") if c not in columns]
    header_problems = [f"header: unknown column(s) {unknown}"] if unknown else []
    header_problems += [f"header: missing column(s) {missing}"] if missing else []
    if header_problems:
        raise AnswerFileError(header_problems)
    messages, submissions = [], []
    try:
        rows = list(enumerate(reader, start=2))
    except csv.Error as exc:  # e.g. a field over csv.field_size_limit(), a NUL byte
        raise AnswerFileError([f"line {reader.line_num}: unreadable CSV: {exc}"]) from None
    for n, row in rows:
        if None in row:
            messages.append(f"row {n}: more cells than header columns")
            continue
        firm = row.get("firm_id") or f"row{n}"
        profile = Profile(row.get("sector") or "", row.get("size") or "", row.get("region") or "", row.get("name") or "")
        answers: MutableAnswers = {}
        for column in columns:
            if column in PROFILE_COLUMNS:
                continue
            qid, value = _cell(q, column, (row.get(column) or "").strip())
            if isinstance(value, dict):
                answers.setdefault(qid, {}).update(value)
            elif value is not None:
                answers[qid] = value
        errors: list[AnswerError] = check_profile(profile, segments) + check_answers(q, answers)
        messages.extend(f"row {n} ({firm}): {e.question}: {e.message}" for e in errors)
        submissions.append(Submission(firm, profile, answers))
    if messages:
        raise AnswerFileError(messages)
    return submissions
