"""Vectorised scoring of a whole table of responses (one row per firm).

Encoding. Responses are a wide float64 matrix ``codes`` with one column per *code column*
(one per single-choice, number and matrix row; one per checklist option). A cell holds
``1 + answer``: the option position, the number itself, or 0/1 for a checklist box, plus one.
**0 means no scorable answer** (unanswered, or "don't know", which a separate boolean matrix
``dont_know`` records). Shifting by one keeps "nothing here" at 0, so cells need no cleaning
before a matrix product.

Scoring, per chunk of rows, with M = (codes > 0):

    numerators   = codes @ A + M @ B        (A, B fold each unit's affine code -> score map and weight)
    denominators = M @ W                    (W holds the unit weights)

Columns that need more than an affine map (numbers, uneven scales) or whose question is
hidden for some rows by a condition are "special": they are left out of ``codes @ A`` and added
back from a small gathered block. Results equal ``engine.score_answers`` up to floating-point
summation order (< 1e-9).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from questionnaires.model import DONT_KNOW, Condition, Question, Questionnaire, per_questionnaire
from questionnaires.segments import Segments, load_segments
from scoring.answers import Answers, Profile, scale_option_ids
from scoring.engine import LEVEL_DECIMALS
from scoring.layout import scale_scores, units_of

CHUNK_ROWS = 8192
PROFILE_FIELDS = ("sector", "size", "region")


@dataclass(frozen=True)
class Column:
    question: str
    key: str | None  # matrix row id or checklist option id


@dataclass(frozen=True)
class Transform:
    """A column whose score is not affine in its code: a lookup table or a piecewise-linear map."""

    column: int
    xs: np.ndarray  # answer values (positions for scales)
    ys: np.ndarray  # scores


@dataclass(frozen=True)
class Compiled:
    """The instrument turned into matrices for table scoring."""

    columns: tuple[Column, ...]
    outputs: tuple[str, ...]  # dimension ids, then non-core module ids (prefixed "module:")
    value_coef: np.ndarray  # A (m, k): score per unit of (code) for affine columns
    mask_coef: np.ndarray  # [B | W] (m, 2k): offsets and weights per scorable cell
    score_weight: np.ndarray  # (m, k): weight of a transformed column's 0..1 score
    transforms: tuple[Transform, ...]
    question_columns: dict[str, tuple[int, ...]]
    dim_weights: np.ndarray

    @property
    def width(self) -> int:
        return len(self.columns)

    def column_index(self, question: str, key: str | None = None) -> int:
        keys = [c.key for c in self.columns if c.question == question]
        return self.question_columns[question][keys.index(key)]


def _affine(scores: list[float]) -> tuple[float, float] | None:
    """(a, b) with score = a + b * position, if the scale is evenly spaced."""
    a, b = scores[0], (scores[-1] - scores[0]) / (len(scores) - 1)
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
    outputs = [d.id for d in q.dimensions] + [f"module:{m.id}" for m in q.modules if m.id != "core"]
    m, k = len(columns), len(outputs)
    A, B, W, S = (np.zeros((m, k)) for _ in range(4))
    transforms = []
    for question in q.questions:
        for unit in units_of(question):
            targets = [outputs.index(unit.dimension)] + ([outputs.index(f"module:{unit.module}")] if unit.module != "core" else [])
            if question.type == "multi":
                # score = sum(points of ticked) / total; a cell is 1 + ticked.
                total = sum(o.points for o in question.options)
                for o in question.options:
                    share = unit.weight * o.points / total
                    A[index[Column(question.id, o.id)], targets] = share
                    B[index[Column(question.id, o.id)], targets] = -share
                W[index[Column(question.id, question.options[0].id)], targets] = unit.weight
                continue
            col = index[Column(question.id, unit.item)]
            W[col, targets] = unit.weight
            if question.type == "number":
                xs, ys = zip(*question.scoring.points, strict=True)
                transforms.append(Transform(col, np.array(xs, float), np.array(ys, float)))
                S[col, targets] = unit.weight
                continue
            scores = scale_scores(q, question)
            affine = _affine(scores)
            if affine is None:
                transforms.append(Transform(col, np.arange(len(scores), dtype=float), np.array(scores, float)))
                S[col, targets] = unit.weight
            else:  # score = a + b * (cell - 1)
                A[col, targets] = unit.weight * affine[1]
                B[col, targets] = unit.weight * (affine[0] - affine[1])
    question_columns = {question.id: tuple(index[c] for c in _question_columns(question)) for question in q.questions}
    return Compiled(tuple(columns), tuple(outputs), A, np.hstack([B, W]), S, tuple(transforms), question_columns,
                    np.array([d.weight for d in q.dimensions]))


@dataclass
class ResponseTable:
    """Encoded responses (see the module docstring) plus the profile of each row.

    Profile fields are small integers indexing ``categories[field]`` (the segment codes), so
    profile conditions are integer comparisons rather than string matching.
    """

    codes: np.ndarray  # (n, m) float64, 1 + answer, 0 = no scorable answer
    dont_know: np.ndarray  # (n, m) bool
    profile: dict[str, np.ndarray]  # field -> int16 index per row
    categories: dict[str, tuple[str, ...]]

    def __len__(self) -> int:
        return self.codes.shape[0]

    def profile_values(self, field: str) -> np.ndarray:
        return np.array(self.categories[field], dtype=object)[self.profile[field]]

    @classmethod
    def from_profiles(cls, codes: np.ndarray, dont_know: np.ndarray, profiles: Sequence[Profile], segments: Segments) -> ResponseTable:
        categories = {f: tuple(segments.codes(f)) for f in PROFILE_FIELDS}
        index = {f: {c: i for i, c in enumerate(categories[f])} for f in PROFILE_FIELDS}
        profile = {f: np.array([index[f][getattr(p, f)] for p in profiles], dtype=np.int16) for f in PROFILE_FIELDS}
        return cls(codes, dont_know, profile, categories)


def encode_answers(q: Questionnaire, answers: Answers) -> tuple[np.ndarray, np.ndarray]:
    """One firm's answers as a (codes, dont_know) pair of rows."""
    comp = compile_instrument(q)
    row, dk = np.zeros(comp.width), np.zeros(comp.width, dtype=bool)
    for question in q.questions:
        value, cols = answers.get(question.id), list(comp.question_columns[question.id])
        if value is None:
            continue
        if value == DONT_KNOW:
            dk[cols] = True
        elif question.type == "multi":
            row[cols] = [2.0 if o.id in value else 1.0 for o in question.options]
        elif question.type == "number":
            row[cols[0]] = 1.0 + float(value)
        elif question.type == "single":
            row[cols[0]] = 1.0 + scale_option_ids(q, question).index(value)
        else:
            options = scale_option_ids(q, question)
            for col, item in zip(cols, question.items, strict=True):
                cell = value.get(item.id)
                if cell == DONT_KNOW:
                    dk[col] = True
                elif cell is not None:
                    row[col] = 1.0 + options.index(cell)
    return row, dk


def encode_table(q: Questionnaire, records: Sequence[tuple[Profile, Answers]], segments: Segments | None = None) -> ResponseTable:
    width = compile_instrument(q).width
    rows = [encode_answers(q, answers) for _, answers in records]
    codes = np.vstack([r for r, _ in rows]) if rows else np.zeros((0, width))
    dont_know = np.vstack([d for _, d in rows]) if rows else np.zeros((0, width), dtype=bool)
    return ResponseTable.from_profiles(codes, dont_know, [p for p, _ in records], segments or load_segments())


class _Columns:
    """Column access for condition evaluation on one chunk; a hidden question reads as unanswered."""

    def __init__(self, comp: Compiled, codes: np.ndarray, dont_know: np.ndarray, needed: Sequence[int]):
        self.comp, self.shown = comp, {}
        self.where = {col: i for i, col in enumerate(needed)}
        self.codes, self.dont_know = codes[:, needed], dont_know[:, needed]

    def get(self, question: str, cols: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(answer values, NaN where none; don't-know flags) for ``cols``."""
        picked = [self.where[c] for c in cols]
        codes, dk = self.codes[:, picked], self.dont_know[:, picked]
        shown = self.shown.get(question)
        if shown is not None:
            codes, dk = np.where(shown[:, None], codes, 0.0), dk & shown[:, None]
        return np.where(codes > 0, codes - 1.0, np.nan), dk


def _eval(cond: Condition, q: Questionnaire, cols: _Columns, profile: dict) -> np.ndarray:
    """Vectorised twin of ``applicability.evaluate`` over the rows of a chunk."""
    if cond.all is not None:
        return np.logical_and.reduce([_eval(c, q, cols, profile) for c in cond.all])
    if cond.any is not None:
        return np.logical_or.reduce([_eval(c, q, cols, profile) for c in cond.any])
    if cond.not_ is not None:
        return ~_eval(cond.not_, q, cols, profile)
    if cond.profile is not None:
        return np.isin(profile[cond.profile], [profile["categories"][cond.profile].index(v) for v in cond.in_])
    question = next(x for x in q.questions if x.id == cond.question)
    comp = cols.comp
    targets = comp.question_columns[question.id] if cond.item is None else (comp.column_index(question.id, cond.item),)
    if cond.answered is not None:
        values, dk = cols.get(question.id, targets)
        answered = (~np.isnan(values) | dk).any(axis=1)
        return answered if cond.answered else ~answered
    if cond.includes is not None:
        values, _ = cols.get(question.id, [comp.column_index(question.id, o) for o in cond.includes])
        return (values == 1.0).any(axis=1)
    values, dk = cols.get(question.id, targets[:1])
    values, dk = values[:, 0], dk[:, 0]
    if cond.in_ is not None:
        options = scale_option_ids(q, question)
        positions = [options.index(v) for v in cond.in_ if v != DONT_KNOW]
        return np.isin(values, positions) | (dk if DONT_KNOW in cond.in_ else False)
    result = ~np.isnan(values)  # unanswered and "don't know" satisfy no numeric test
    if cond.gte is not None:
        result &= values >= cond.gte
    if cond.lte is not None:
        result &= values <= cond.lte
    return result


@dataclass
class TableScores:
    """Per-row results: NaN where a dimension (or the overall) has nothing scored."""

    outputs: tuple[str, ...]
    scores: np.ndarray  # (n, k) 0–100 per dimension and module
    overall: np.ndarray  # (n,)
    dii: np.ndarray  # (n,) int 0..12

    def column(self, output: str) -> np.ndarray:
        return self.scores[:, self.outputs.index(output)]


@dataclass(frozen=True)
class _Plan:
    """What the chunk loop needs, prepared once per questionnaire."""

    needed: list[int]  # code columns read by any condition
    conditional: tuple[tuple[Question, tuple[int, ...]], ...]  # questions with a module rule or show_if, in order
    special: np.ndarray  # columns handled outside ``codes @ A``: conditional or transformed
    value_coef: np.ndarray  # A with special rows zeroed
    special_value: np.ndarray  # A rows of special columns (affine ones)
    special_score: np.ndarray  # S rows of special columns (transformed ones)
    transforms: tuple[tuple[int, np.ndarray, np.ndarray], ...]  # (position in special, xs, ys)
    position: dict[int, int]


@per_questionnaire
def _plan(q: Questionnaire) -> _Plan:
    comp = compile_instrument(q)
    conditions = [x.show_if for x in q.questions if x.show_if] + [m.when for x in q.questions for m in x.dii]
    referenced = {ref.question for cond in conditions for ref in cond.question_refs()}
    needed = sorted({col for qid in referenced for col in comp.question_columns[qid]})
    modules = {m.id for m in q.modules if m.applies_if is not None}
    conditional = tuple((x, comp.question_columns[x.id]) for x in q.questions if x.show_if is not None or x.module in modules)
    special = np.array(sorted({c for _, cols in conditional for c in cols} | {t.column for t in comp.transforms}), dtype=np.intp)
    position = {int(c): i for i, c in enumerate(special)}
    value_coef = comp.value_coef.copy()
    value_coef[special] = 0.0
    transforms = tuple((position[t.column], t.xs, t.ys) for t in comp.transforms)
    return _Plan(needed, conditional, special, value_coef, comp.value_coef[special], comp.score_weight[special], transforms, position)


def _visible(q: Questionnaire, plan: _Plan, cols: _Columns, profile: dict, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """(visibility of special columns, DII points) for one chunk, deciding questions in order."""
    module_ok = {m.id: _eval(m.applies_if, q, cols, profile) for m in q.modules if m.applies_if is not None}
    visible = np.ones((rows, len(plan.special)), dtype=bool)
    for question, qcols in plan.conditional:
        shown = module_ok.get(question.module)
        if question.show_if is not None:
            cond = _eval(question.show_if, q, cols, profile)
            shown = cond if shown is None else shown & cond
        cols.shown[question.id] = shown
        visible[:, [plan.position[c] for c in qcols]] = shown[:, None]
    dii = sum((_eval(m.when, q, cols, profile) for x in q.questions for m in x.dii), np.zeros(rows, dtype=np.int8))
    return visible, dii


def score_table(q: Questionnaire, table: ResponseTable, chunk_rows: int = CHUNK_ROWS) -> TableScores:
    comp, plan = compile_instrument(q), _plan(q)
    n, m, k = len(table), comp.width, len(comp.outputs)
    scores, dii = np.empty((n, k)), np.zeros(n, dtype=np.int8)
    size = min(chunk_rows, max(n, 1))
    scorable, mask = np.empty((size, m), dtype=bool), np.empty((size, m))
    for start in range(0, n, chunk_rows):
        stop = min(start + chunk_rows, n)
        rows, codes = stop - start, table.codes[start:stop]
        profile = {f: table.profile[f][start:stop] for f in PROFILE_FIELDS} | {"categories": table.categories}
        cols = _Columns(comp, codes, table.dont_know[start:stop], plan.needed)
        visible, dii[start:stop] = _visible(q, plan, cols, profile, rows)
        np.greater(codes, 0.0, out=scorable[:rows])
        np.copyto(mask[:rows], scorable[:rows])
        special_mask = mask[:rows, plan.special] * visible
        mask[:rows, plan.special] = special_mask
        totals = _product(mask[:rows], comp.mask_coef)
        totals[:, :k] += _product(codes, plan.value_coef) + _special_numerators(plan, codes[:, plan.special], special_mask)
        num, den = totals[:, :k], totals[:, k:]
        with np.errstate(invalid="ignore", divide="ignore"):
            scores[start:stop] = np.where(den > 0, 100 * num / den, np.nan)
    return TableScores(comp.outputs, scores, _overall(comp, scores), dii)


def _special_numerators(plan: _Plan, codes: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Numerator contributions of special columns: affine ones masked, transformed ones mapped."""
    numerators = _product(codes * mask, plan.special_value)
    if plan.transforms:
        scored = np.zeros_like(codes)
        for pos, xs, ys in plan.transforms:
            scored[:, pos] = np.interp(codes[:, pos] - 1.0, xs, ys) * mask[:, pos]
        numerators += _product(scored, plan.special_score)
    return numerators


def _product(rows: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """``rows @ coef`` computed as ``(coef.T @ rows.T).T``: for a tall matrix times a few output
    columns, OpenBLAS is several times faster in this orientation (measured in bench_scoring)."""
    return (coef.T @ rows.T).T


def _overall(comp: Compiled, scores: np.ndarray) -> np.ndarray:
    dims = scores[:, : len(comp.dim_weights)]
    weight = ~np.isnan(dims) @ comp.dim_weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, np.nan_to_num(dims) @ comp.dim_weights / weight, np.nan)


def levels_of(q: Questionnaire, overall: np.ndarray) -> np.ndarray:
    """Level id per row (None where the overall is NaN)."""
    mins = np.array([lv.min for lv in q.levels])
    ids = np.array([lv.id for lv in q.levels] + [None], dtype=object)
    rounded = np.round(np.nan_to_num(overall), LEVEL_DECIMALS)
    idx = np.where(np.isnan(overall), len(mins), np.searchsorted(mins, rounded, side="right") - 1)
    return ids[idx]


def dii_levels_of(q: Questionnaire, dii: np.ndarray) -> np.ndarray:
    mins = np.array([lv.min for lv in q.dii.levels])
    return np.array([lv.id for lv in q.dii.levels], dtype=object)[np.searchsorted(mins, dii, side="right") - 1]
