"""``score FILE.csv --format csv`` for files of any size: read in chunks, score vectorised, bounded memory.

The file is read ``CHUNK`` rows at a time (pandas' C parser, every cell as text). Each column's
distinct values are checked and encoded once (with the same per-kind rules and messages as
``commands.answer_files``) and mapped onto the chunk's rows, so the cost per row is a few array
operations; rows are then scored by ``scoring.vectorized.score_table``, which equals the per-firm
engine up to summation order. Output goes to a temporary file and is copied to stdout only if no
row had a problem, so a bad file still prints nothing but its messages (at most ``MAX_MESSAGES``).
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from commands.answer_files import PROFILE_COLUMNS, AnswerFileError, _cell, answer_columns
from commands.score import CONFIDENCE_COLUMNS
from domain import PROFILE_FIELDS
from exports.neutralise import neutralise
from questionnaires.model import DONT_KNOW, Questionnaire
from questionnaires.segments import Segments
from scoring.answers import describe
from scoring.engine import dii_level
from scoring.kinds import answer_problems, kind_of
from scoring.vectorized import ResponseTable, TableScores, compile_instrument, levels_of, score_table

CHUNK = 100_000
MAX_MESSAGES = 50
NAME_MAX = 200
_CONTROL = r"[\x00-\x1f\x7f-\x9f\u2028\u2029]"

Encoded = tuple[list[str], list[int], list[float], list[bool]]  # problems, columns, codes, don't-know flags


class _Encoder:
    """Checks and encodes one CSV cell value per (column, text), once for the whole file."""

    def __init__(self, q: Questionnaire):
        self.q, self.comp = q, compile_instrument(q)
        self.questions = {x.id: x for x in q.questions}
        self.cache: dict[tuple[str, str], Encoded] = {}

    def encode(self, column: str, text: str) -> Encoded:
        key = (column, text)
        if key not in self.cache:
            self.cache[key] = self._encode(column, text)
        return self.cache[key]

    def _encode(self, column: str, text: str) -> Encoded:
        qid, value = _cell(self.q, column, text)
        if value is None:
            return [], [], [], []
        question = self.questions[qid]
        problems = [describe(p) for p in answer_problems(self.q, question, value)]
        if problems:
            return problems, [], [], []
        cols = list(self.comp.question_columns[qid])
        if value == DONT_KNOW:
            return [], cols, [0.0] * len(cols), [True] * len(cols)
        if isinstance(value, dict) and all(v == DONT_KNOW for v in value.values()):
            row = next(iter(value))
            return [], [self.comp.column_index(qid, row)], [0.0], [True]
        codes, dk = kind_of(question).encode(self.q, question, value)
        keep = [i for i, (c, d) in enumerate(zip(codes, dk, strict=True)) if c or d]
        return [], [cols[i] for i in keep], [float(codes[i]) for i in keep], [bool(dk[i]) for i in keep]


def _chunks(path: Path) -> Iterator[pd.DataFrame]:
    try:
        yield from pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, chunksize=CHUNK,
                               encoding="utf-8-sig", engine="c")
    except pd.errors.ParserError as exc:
        raise AnswerFileError([f"unreadable CSV: {str(exc).strip().splitlines()[-1]}"]) from None
    except pd.errors.EmptyDataError:
        raise AnswerFileError(["the file is empty"]) from None


def score_csv_to_stdout(path: Path, q: Questionnaire, segments: Segments) -> None:
    """Validate and score every row of the CSV at ``path``; write the score CSV to stdout, or raise
    AnswerFileError with every problem (row and question named) and write nothing."""
    encoder, comp = _Encoder(q), compile_instrument(q)
    dims = [d.id for d in q.dimensions]
    known = set(PROFILE_COLUMNS) | set(answer_columns(q))
    messages: list[tuple[int, int, str]] = []
    total_messages = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["firm_id", "overall", "level", *dims, "dii_score", "dii_level", "dii_basic",
                         *(f"{d}_{c}" for d in dims for c in CONFIDENCE_COLUMNS)])
        first_row = 2
        for frame in _chunks(path):
            columns = list(frame.columns)
            if first_row == 2:
                unknown = [c for c in columns if c not in known]
                missing = [c for c in ("sector", "size", "region") if c not in columns]
                problems = [f"header: unknown column(s) {unknown}"] if unknown else []
                problems += [f"header: missing column(s) {missing}"] if missing else []
                if problems:
                    raise AnswerFileError(problems)
            n = len(frame)
            rows = np.arange(first_row, first_row + n)
            firm = frame["firm_id"].to_numpy(dtype=object) if "firm_id" in frame else np.full(n, "", dtype=object)
            for i in np.flatnonzero(firm == ""):
                firm[i] = f"row{rows[i]}"
            bad = np.zeros(n, dtype=bool)
            found: list[tuple[int, int, str]] = []
            profile_index = {}
            for position, f in enumerate(PROFILE_FIELDS):
                codes = segments.codes(f)
                values = frame[f].to_numpy(dtype=object)
                index = pd.Index(codes).get_indexer(values)
                for i in np.flatnonzero(index < 0):
                    found.append((i, position, f"{f}: unknown {f} {values[i]!r}; expected one of {codes}"))
                bad |= index < 0
                profile_index[f] = np.maximum(index, 0).astype(np.int16)
            if "name" in frame:
                names = frame["name"]
                for i in np.flatnonzero((names.str.len() > NAME_MAX).to_numpy()):
                    found.append((i, 3, f"name: firm name longer than {NAME_MAX} characters"))
                for i in np.flatnonzero(names.str.contains(_CONTROL, regex=True).to_numpy()):
                    found.append((i, 3, "name: firm name contains control characters"))
            table_codes = np.zeros((n, comp.width))
            table_dk = np.zeros((n, comp.width), dtype=bool)
            for position, column in enumerate(columns, start=10):
                if column in PROFILE_COLUMNS:
                    continue
                cells = frame[column].str.strip()
                positions, uniques = pd.factorize(cells, sort=False)
                for u, text in enumerate(uniques):
                    problems, cols, codes, dk = encoder.encode(column, str(text))
                    if not (problems or cols):
                        continue
                    where = np.flatnonzero(positions == u)
                    if problems:
                        qid = column.partition(".")[0]
                        found.extend((i, position, f"{qid}: {p}") for i in where[:MAX_MESSAGES] for p in problems)
                        bad[where] = True
                        total_messages += max(0, len(where) - MAX_MESSAGES) * len(problems)
                        continue
                    table_codes[np.ix_(where, cols)] += np.asarray(codes)
                    table_dk[np.ix_(where, cols)] |= np.asarray(dk)
            bad[[i for i, _, _ in found]] = True
            total_messages += len(found)
            if found:
                if len(messages) < MAX_MESSAGES:
                    found.sort()
                    messages.extend((first_row + i, p, f"row {first_row + i} ({firm[i]}): {m}") for i, p, m in found)
                    del messages[MAX_MESSAGES:]
            elif not messages:
                table = ResponseTable(table_codes, table_dk, profile_index, comp.categories)
                out.flush()
                _write_scores(out, q, dims, firm, score_table(q, table, with_counts=True))
            first_row += n
        if messages:
            lines = [m for _, _, m in messages]
            if total_messages > len(lines):
                lines.append(f"... and {total_messages - len(lines)} more problem(s)")
            raise AnswerFileError(lines)
        out.seek(0)
        shutil.copyfileobj(out, sys.stdout)


def _write_scores(out: Any, q: Questionnaire, dims: list[str], firm: np.ndarray, scores: TableScores) -> None:
    """One chunk's output rows, written by pandas (the csv module's format: minimal quoting, CRLF)."""
    def rounded(column: np.ndarray) -> np.ndarray:
        # Rounded first to 9 places: a summation-order error never gives "-0.0" and an exact half
        # cent rounds as the true score does (the engine's own order may land either side of it).
        return np.round(np.round(column, 9), 2) + 0.0

    points = scores.dii.astype(int)
    dii_levels = np.array([dii_level(q, p) for p in range(int(points.max(initial=0)) + 1)], dtype=object)
    levels = levels_of(q, scores.overall)
    frame = pd.DataFrame({"firm_id": [neutralise(str(f)) for f in firm], "overall": rounded(scores.overall),
                          "level": np.where(levels == None, "", levels),  # noqa: E711 (element-wise)
                          **{d: rounded(scores.column(d)) for d in dims},
                          "dii_score": points, "dii_level": dii_levels[points], "dii_basic": points >= q.dii.basic_min,
                          **{f"{d}_{c}": scores.confidence(i)[c] for i, d in enumerate(dims) for c in CONFIDENCE_COLUMNS}})
    frame.to_csv(out, header=False, index=False, na_rep="", lineterminator="\r\n")
