"""Vectorised scoring of a whole table of responses (one row per firm).

Responses are a wide float64 matrix with one column per *code column*: the option position
for single-choice questions and matrix rows, the value for numbers, 0/1 per checklist option.
NaN means no answer and -1 means "don't know". Scoring is then a few column operations and one
matrix product per chunk of rows, chunked so the working set stays in cache and memory flat:

    [X | M] @ [[A, 0], [B, W]] = [numerators | denominators]

where M marks scorable cells, X holds codes (0 where not scorable), A and B fold each unit's
affine code->score map and weight, and W holds the weights. Results equal ``engine.score_answers``
(up to floating-point summation order, < 1e-9).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


import numpy as np

from questionnaires.model import DONT_KNOW, Condition, Question, Questionnaire, per_questionnaire
from scoring.answers import Answers, Profile, scale_option_ids
from scoring.layout import scale_scores, units_of

CHUNK_ROWS = 4096
DK_CODE = -1.0


@dataclass(frozen=True)
class Column:
    question: str
    key: str | None  # matrix row id or checklist option id


@dataclass(frozen=True)
class Compiled:
    """The instrument turned into matrices for table scoring."""

    columns: tuple[Column, ...]
    outputs: tuple[str, ...]  # dimension ids, then non-core module ids (prefixed "module:")
    coef: np.ndarray  # (2m, 2k): [[A, 0], [B, W]]
    lut_columns: tuple[tuple[int, np.ndarray], ...]  # single-choice columns whose scores are not affine
    interp_columns: tuple[tuple[int, np.ndarray, np.ndarray], ...]  # number columns
    question_columns: dict[str, tuple[int, ...]]
    dim_weights: np.ndarray

    @property
    def width(self) -> int:
        return len(self.columns)

    def column_index(self, question: str, key: str | None = None) -> int:
        return self.columns.index(Column(question, key))


def _affine(scores: list[float]) -> tuple[float, float] | None:
    """(a, b) with score = a + b * position, if the scale is evenly spaced."""
    b = (scores[-1] - scores[0]) / (len(scores) - 1)
    a = scores[0]
    return (a, b) if all(abs(a + b * i - s) < 1e-12 for i, s in enumerate(scores)) else None


def _question_columns(question: Question) -> list[Column]:
    if question.type == "multi":
        return [Column(question.id, o.id) for o in question.options]
    if question.is_matrix:
        return [Column(question.id, i.id) for i in question.items]
    return [Column(question.id, None)]


@per_questionnaire
def compile_instrument(q: Questionnaire) -> Compiled:
    columns = [col for question in q.questions for col in _question_columns(question)]
    index = {col: i for i, col in enumerate(columns)}
    modules = [m.id for m in q.modules if m.id != "core"]
    outputs = [d.id for d in q.dimensions] + [f"module:{m}" for m in modules]
    m, k = len(columns), len(outputs)
    A, B, W = np.zeros((m, k)), np.zeros((m, k)), np.zeros((m, k))
    luts, interps = [], []
    for question in q.questions:
        for unit in units_of(question):
            targets = [outputs.index(unit.dimension)] + ([outputs.index(f"module:{unit.module}")] if unit.module != "core" else [])
            if question.type == "multi":
                total = sum(o.points for o in question.options)
                first = index[Column(question.id, question.options[0].id)]
                for o in question.options:
                    A[index[Column(question.id, o.id)], targets] = unit.weight * o.points / total
                W[first, targets] = unit.weight
                continue
            col = index[Column(question.id, unit.item)]
            W[col, targets] = unit.weight
            if question.type == "number":
                xs, ys = zip(*question.scoring.points, strict=True)
                interps.append((col, np.array(xs, float), np.array(ys, float)))
                A[col, targets] = unit.weight
                continue
            scores = scale_scores(q, question)
            affine = _affine(scores)
            if affine is None:
                luts.append((col, np.array(scores, float)))
                A[col, targets] = unit.weight
            else:
                A[col, targets] = unit.weight * affine[1]
                B[col, targets] = unit.weight * affine[0]
    coef = np.block([[A, np.zeros((m, k))], [B, W]])
    question_columns = {question.id: tuple(index[c] for c in _question_columns(question)) for question in q.questions}
    dim_weights = np.array([d.weight for d in q.dimensions])
    return Compiled(tuple(columns), tuple(outputs), coef, tuple(luts), tuple(interps), question_columns, dim_weights)


@dataclass
class ResponseTable:
    """Encoded responses: ``codes`` (n × columns) plus profile codes per row."""

    codes: np.ndarray
    sector: np.ndarray  # object/str arrays of profile codes
    size: np.ndarray
    region: np.ndarray

    def __len__(self) -> int:
        return self.codes.shape[0]


def encode_answers(q: Questionnaire, answers: Answers) -> np.ndarray:
    """One firm's answers as a code row (see the module docstring)."""
    comp = compile_instrument(q)
    row = np.full(comp.width, np.nan)
    for question in q.questions:
        value = answers.get(question.id)
        cols = comp.question_columns[question.id]
        if value is None:
            continue
        if value == DONT_KNOW:
            row[list(cols)] = DK_CODE
        elif question.type == "multi":
            row[list(cols)] = [1.0 if o.id in value else 0.0 for o in question.options]
        elif question.type == "number":
            row[cols[0]] = float(value)
        elif question.type == "single":
            row[cols[0]] = scale_option_ids(q, question).index(value)
        else:
            options = scale_option_ids(q, question)
            for col, item in zip(cols, question.items, strict=True):
                cell = value.get(item.id)
                if cell is not None:
                    row[col] = DK_CODE if cell == DONT_KNOW else options.index(cell)
    return row


def encode_table(q: Questionnaire, records: Sequence[tuple[Profile, Answers]]) -> ResponseTable:
    codes = np.vstack([encode_answers(q, answers) for _, answers in records]) if records else np.empty((0, compile_instrument(q).width))
    return ResponseTable(codes, *(np.array([getattr(p, f) for p, _ in records], dtype=object) for f in ("sector", "size", "region")))


def _eval(cond: Condition, q: Questionnaire, comp: Compiled, X: np.ndarray, profile: dict[str, np.ndarray]) -> np.ndarray:
    """Vectorised twin of ``applicability.evaluate`` over the rows of X."""
    n = X.shape[0]
    if cond.all is not None:
        return np.logical_and.reduce([_eval(c, q, comp, X, profile) for c in cond.all])
    if cond.any is not None:
        return np.logical_or.reduce([_eval(c, q, comp, X, profile) for c in cond.any])
    if cond.not_ is not None:
        return ~_eval(cond.not_, q, comp, X, profile)
    if cond.profile is not None:
        return np.isin(profile[cond.profile], cond.in_)
    question = next(x for x in q.questions if x.id == cond.question)
    cols = comp.question_columns[question.id]
    if cond.item is not None:
        cols = (comp.column_index(question.id, cond.item),)
    if cond.answered is not None:
        answered = ~np.isnan(X[:, cols]).all(axis=1) if question.is_matrix and cond.item is None else ~np.isnan(X[:, cols[0]])
        return answered if cond.answered else ~answered
    if cond.includes is not None:
        picked = [comp.column_index(question.id, o) for o in cond.includes]
        return (X[:, picked] == 1.0).any(axis=1)
    values = X[:, cols[0]]
    if cond.in_ is not None:
        options = scale_option_ids(q, question)
        codes = [DK_CODE if v == DONT_KNOW else options.index(v) for v in cond.in_]
        return np.isin(values, codes)
    result = values >= 0  # NaN and "don't know" satisfy no numeric test
    if cond.gte is not None:
        result &= values >= cond.gte
    if cond.lte is not None:
        result &= values <= cond.lte
    return result if n else np.zeros(0, bool)


def _apply_applicability(q: Questionnaire, comp: Compiled, X: np.ndarray, profile: dict[str, np.ndarray]) -> None:
    """Blank (NaN) the columns of questions that do not apply, in question order."""
    module_ok = {m.id: (None if m.applies_if is None else _eval(m.applies_if, q, comp, X, profile)) for m in q.modules}
    for question in q.questions:
        shown = module_ok[question.module]
        if question.show_if is not None:
            cond = _eval(question.show_if, q, comp, X, profile)
            shown = cond if shown is None else shown & cond
        if shown is not None:
            hidden = ~shown
            if hidden.any():
                X[np.ix_(hidden, comp.question_columns[question.id])] = np.nan


@dataclass
class TableScores:
    """Per-row results: NaN where a dimension (or the overall) has nothing scored."""

    outputs: tuple[str, ...]
    scores: np.ndarray  # (n, k) 0–100 per dimension and module
    overall: np.ndarray  # (n,)
    dii: np.ndarray  # (n,) int 0..12

    def column(self, output: str) -> np.ndarray:
        return self.scores[:, self.outputs.index(output)]


def score_table(q: Questionnaire, table: ResponseTable, chunk_rows: int = CHUNK_ROWS) -> TableScores:
    comp = compile_instrument(q)
    n, m, k = len(table), comp.width, len(comp.outputs)
    scores, dii = np.empty((n, k)), np.zeros(n, dtype=np.int8)
    big = np.empty((min(chunk_rows, max(n, 1)), 2 * m))
    for start in range(0, n, chunk_rows):
        stop = min(start + chunk_rows, n)
        rows = stop - start
        X = table.codes[start:stop].copy()
        profile = {"sector": table.sector[start:stop], "size": table.size[start:stop], "region": table.region[start:stop]}
        _apply_applicability(q, comp, X, profile)
        dii[start:stop] = sum(_eval(mp.when, q, comp, X, profile).astype(np.int8) for question in q.questions for mp in question.dii)
        left, right = big[:rows, :m], big[:rows, m:]
        np.greater_equal(X, 0, out=right, casting="unsafe")  # NaN and -1 -> 0: not scorable
        for col, lut in comp.lut_columns:
            X[:, col] = lut[np.clip(np.nan_to_num(X[:, col], nan=0), 0, len(lut) - 1).astype(np.intp)]
        for col, xs, ys in comp.interp_columns:
            X[:, col] = np.interp(X[:, col], xs, ys)
        np.copyto(left, X)
        np.copyto(left, 0.0, where=right == 0)
        out = big[:rows] @ comp.coef
        num, den = out[:, :k], out[:, k:]
        with np.errstate(invalid="ignore", divide="ignore"):
            scores[start:stop] = np.where(den > 0, 100 * num / np.where(den > 0, den, 1), np.nan)
    dims = scores[:, : len(comp.dim_weights)]
    has = ~np.isnan(dims)
    weight = has @ comp.dim_weights
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = np.where(weight > 0, np.nan_to_num(dims) @ comp.dim_weights / np.where(weight > 0, weight, 1), np.nan)
    return TableScores(comp.outputs, scores, overall, dii)


def levels_of(q: Questionnaire, overall: np.ndarray) -> np.ndarray:
    """Level id per row (None where the overall is NaN)."""
    mins = np.array([lv.min for lv in q.levels])
    ids = np.array([lv.id for lv in q.levels] + [None], dtype=object)
    idx = np.where(np.isnan(overall), len(mins), np.searchsorted(mins, overall, side="right") - 1)
    return ids[idx]


