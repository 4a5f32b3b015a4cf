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

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from domain import Answers, Profile
from questionnaires.model import DONT_KNOW, Condition, Question, Questionnaire, per_questionnaire
from questionnaires.segments import Segments, load_segments
from scoring.answers import scale_option_ids
from scoring.engine import LEVEL_DECIMALS
from scoring.kinds import BoxScore, PiecewiseScore, kind_of
from scoring.layout import units_of

CHUNK_ROWS = 8192
WORKERS = max(1, min(4, os.cpu_count() or 1))
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

    columns: tuple[Column, ...]  # unit heads first (see ``heads``), then the other checklist boxes
    heads: int  # columns [0, heads) each carry one unit's "is scorable" flag; the rest never do
    index: dict[Column, int]
    outputs: tuple[str, ...]  # dimension ids, then non-core module ids (prefixed "module:")
    value_coef: np.ndarray  # A (m, k): score per unit of (code) for affine columns
    mask_coef: np.ndarray  # [B | W] (m, 2k): offsets and weights per scorable cell
    score_weight: np.ndarray  # (m, k): weight of a transformed column's 0..1 score
    transforms: tuple[Transform, ...]
    question_columns: dict[str, tuple[int, ...]]
    dim_weights: np.ndarray
    categories: dict[str, tuple[str, ...]]  # profile codes, in the order tables index them
    unit_dims: np.ndarray  # (m, dimensions): 1 where a column is the head of a weighted unit of that dimension

    @property
    def width(self) -> int:
        return len(self.columns)

    def column_index(self, question: str, key: str | None = None) -> int:
        return self.index[Column(question, key)]


def _affine(scores: list[float]) -> tuple[float, float] | None:
    """(a, b) with score = a + b * position, if the scale is evenly spaced."""
    a, b = scores[0], (scores[-1] - scores[0]) / (len(scores) - 1)
    return (a, b) if all(abs(a + b * i - s) < 1e-12 for i, s in enumerate(scores)) else None


def _question_columns(question: Question) -> list[Column]:
    return [Column(question.id, key) for key in kind_of(question).code_keys(question)]


@per_questionnaire
def compile_instrument(q: Questionnaire) -> Compiled:
    # A checklist's boxes are all answered or all blank together, so only its first box needs a
    # "scorable" flag: heads go first, and the flags are computed on that contiguous block only.
    per_question = [(isinstance(kind_of(question).column_score(q, question), BoxScore), _question_columns(question))
                    for question in q.questions]
    heads = [col for multi, cols in per_question for col in (cols[:1] if multi else cols)]
    others = [col for multi, cols in per_question if multi for col in cols[1:]]
    columns = heads + others
    index = {col: i for i, col in enumerate(columns)}
    outputs = [d.id for d in q.dimensions] + [f"module:{m.id}" for m in q.modules if m.id != "core"]
    m, k = len(columns), len(outputs)
    A, B, W, S = (np.zeros((m, k)) for _ in range(4))
    U = np.zeros((m, len(q.dimensions)))  # for the confidence counts, as scoring.engine counts units
    transforms = []
    for question in q.questions:
        how = kind_of(question).column_score(q, question)
        for unit in units_of(question):
            targets = [outputs.index(unit.dimension)] + ([outputs.index(f"module:{unit.module}")] if unit.module != "core" else [])
            if unit.weight != 0:
                head = _question_columns(question)[0] if isinstance(how, BoxScore) else Column(question.id, unit.item)
                U[index[head], outputs.index(unit.dimension)] = 1.0
            if isinstance(how, BoxScore):
                # score = sum(points of ticked) / total; a cell is 1 + ticked.
                total = sum(how.points)
                boxes = _question_columns(question)
                for box, points in zip(boxes, how.points, strict=True):
                    A[index[box], targets] = unit.weight * points / total
                B[index[boxes[0]], targets] = -unit.weight  # minus the 1 added to every box of an answered checklist
                W[index[boxes[0]], targets] = unit.weight
                continue
            col = index[Column(question.id, unit.item)]
            W[col, targets] = unit.weight
            if isinstance(how, PiecewiseScore):
                transforms.append(Transform(col, np.array(how.xs, float), np.array(how.ys, float)))
                S[col, targets] = unit.weight
                continue
            scores = list(how.scores)
            affine = _affine(scores)
            if affine is None:
                transforms.append(Transform(col, np.arange(len(scores), dtype=float), np.array(scores, float)))
                S[col, targets] = unit.weight
            else:  # score = a + b * (cell - 1)
                A[col, targets] = unit.weight * affine[1]
                B[col, targets] = unit.weight * (affine[0] - affine[1])
    question_columns = {question.id: tuple(index[c] for c in _question_columns(question)) for question in q.questions}
    segments = load_segments()
    categories = {f: tuple(segments.codes(f)) for f in PROFILE_FIELDS}
    return Compiled(tuple(columns), len(heads), index, tuple(outputs), A, np.hstack([B, W]), S, tuple(transforms),
                    question_columns, np.array([d.weight for d in q.dimensions]), categories, U)


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
        return int(self.codes.shape[0])

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
        else:
            row[cols], dk[cols] = kind_of(question).encode(q, question, value)
    return row, dk


def encode_table(q: Questionnaire, records: Sequence[tuple[Profile, Answers]], segments: Segments | None = None) -> ResponseTable:
    width = compile_instrument(q).width
    rows = [encode_answers(q, answers) for _, answers in records]
    codes = np.vstack([r for r, _ in rows]) if rows else np.zeros((0, width))
    dont_know = np.vstack([d for _, d in rows]) if rows else np.zeros((0, width), dtype=bool)
    return ResponseTable.from_profiles(codes, dont_know, [p for p, _ in records], segments or load_segments())


@dataclass
class _Chunk:
    """The columns conditions read, for one chunk of rows, plus what has been decided so far.

    ``codes``/``dont_know`` are gathered column-major (one contiguous row per code column) so
    each test reads contiguous memory. A question hidden on a row reads as unanswered there.
    """

    codes: np.ndarray  # (gathered columns, rows) raw codes
    dont_know: np.ndarray  # (read columns that allow "don't know", rows)
    profile: dict[str, np.ndarray]
    shown: dict[str, np.ndarray]

    def raw(self, question: str, position: int) -> np.ndarray:
        values: np.ndarray = self.codes[position]
        shown = self.shown.get(question)
        return values if shown is None else values * shown

    def dk(self, question: str, position: int | None) -> np.ndarray | bool:
        if position is None:
            return False
        flags: np.ndarray = self.dont_know[position]
        shown = self.shown.get(question)
        return flags if shown is None else flags & shown


Test = Callable[[_Chunk], np.ndarray]


def _compile(cond: Condition, q: Questionnaire, comp: Compiled, where: dict[int, int], dk_where: dict[int, int]) -> Test:
    """A vectorised twin of ``applicability.evaluate``: a function of a chunk, resolved once."""
    if cond.all is not None or cond.any is not None:
        parts = [_compile(c, q, comp, where, dk_where) for c in (cond.all or cond.any or [])]
        combine = np.logical_and.reduce if cond.all is not None else np.logical_or.reduce
        return lambda chunk: combine([part(chunk) for part in parts])
    if cond.not_ is not None:
        inner = _compile(cond.not_, q, comp, where, dk_where)
        return lambda chunk: ~inner(chunk)
    if cond.profile is not None:
        field, codes = cond.profile, [comp.categories[cond.profile].index(v) for v in cond.in_ or []]
        return lambda chunk: np.isin(chunk.profile[field], codes)
    question = next(x for x in q.questions if x.id == cond.question)
    qid = question.id
    cols = comp.question_columns[qid] if cond.item is None else (comp.column_index(qid, cond.item),)
    if cond.answered is not None:
        pairs = [(where[c], dk_where.get(c)) for c in cols]
        expected = cond.answered
        return lambda chunk: np.logical_or.reduce([(chunk.raw(qid, p) > 0) | chunk.dk(qid, d) for p, d in pairs]) == expected
    if cond.includes is not None:
        ticked = [where[comp.column_index(qid, o)] for o in cond.includes]
        return lambda chunk: np.logical_or.reduce([chunk.raw(qid, p) == 2.0 for p in ticked])  # 1 + ticked
    position, dk_position = where[cols[0]], dk_where.get(cols[0])
    if cond.in_ is not None:
        options = scale_option_ids(q, question)
        answer_codes = [1.0 + options.index(v) for v in cond.in_ if v != DONT_KNOW]
        with_dk = DONT_KNOW in cond.in_
        return lambda chunk: np.isin(chunk.raw(qid, position), answer_codes) | (chunk.dk(qid, dk_position) if with_dk else False)
    low = -np.inf if cond.gte is None else 1.0 + cond.gte
    high = np.inf if cond.lte is None else 1.0 + cond.lte

    def in_range(chunk: _Chunk) -> np.ndarray:
        raw = chunk.raw(qid, position)
        return (raw > 0) & (raw >= low) & (raw <= high)  # unanswered and "don't know" satisfy no numeric test

    return in_range


@dataclass
class TableScores:
    """Per-row results: NaN where a dimension (or the overall) has nothing scored."""

    outputs: tuple[str, ...]
    scores: np.ndarray  # (n, k) 0–100 per dimension and module
    overall: np.ndarray  # (n,)
    dii: np.ndarray  # (n,) int 0..12
    # (n, dimensions, 3) applicable, answered, don't know units per dimension (as DimensionScore counts),
    # empty unless asked for (score_table's with_counts); units that do not apply = total units - applicable.
    counts: np.ndarray
    units: np.ndarray  # (dimensions,) weighted units per dimension

    def confidence(self, dimension: int) -> dict[str, np.ndarray]:
        """The columns of ``DimensionScore.counts()`` for one dimension, for every row."""
        if len(self.counts) != len(self.overall):
            raise ValueError("scored without counts: call score_table(..., with_counts=True)")
        applicable, answered, dont_know = (self.counts[:, dimension, i] for i in range(3))
        return {"answered": answered, "dont_know": dont_know, "unanswered": applicable - answered - dont_know,
                "not_applicable": self.units[dimension] - applicable,
                "low_confidence": (applicable > 0) & (answered * 2 < applicable)}

    def column(self, output: str) -> np.ndarray:
        return self.scores[:, self.outputs.index(output)]


@dataclass(frozen=True)
class _Plan:
    """What the chunk loop needs, prepared once per questionnaire."""

    gather: list[int]  # code columns copied out of each chunk: those conditions read, and the special ones
    needed_dk: list[int]  # columns conditions read that can hold "don't know"
    special_rows: list[int]  # positions of the special columns in ``gather``
    modules: tuple[tuple[str, Test], ...]  # module id -> applies_if test
    conditional: tuple[tuple[str, str, Test | None, list[int]], ...]  # (question, module, show_if test, special positions)
    dii: tuple[Test, ...]
    special: np.ndarray  # columns handled outside ``codes @ A``: conditional or transformed
    value_coef: np.ndarray  # A with special rows zeroed
    mask_coef: np.ndarray  # [B | W] of the head columns, special rows zeroed
    special_mask_coef: np.ndarray  # [B | W] rows of special columns
    special_value: np.ndarray  # A rows of special columns (affine ones)
    special_score: np.ndarray  # S rows of special columns (transformed ones)
    transforms: tuple[tuple[int, np.ndarray, np.ndarray], ...]  # (position in special, xs, ys)
    unit_dims: np.ndarray  # units of the head columns per dimension, special rows zeroed
    special_unit_dims: np.ndarray  # units of the special columns per dimension


def _read_columns(ref: Condition, comp: Compiled) -> tuple[int, ...]:
    """The code columns one question test reads (see ``_compile``)."""
    question = ref.question
    if question is None:  # question_refs() yields question tests only
        raise ValueError("not a question test")
    if ref.includes is not None:
        return tuple(comp.column_index(question, o) for o in ref.includes)
    if ref.item is not None:
        return (comp.column_index(question, ref.item),)
    columns = comp.question_columns[question]
    return columns if ref.answered is not None else columns[:1]


@per_questionnaire
def _plan(q: Questionnaire) -> _Plan:
    comp = compile_instrument(q)
    conditions = [x.show_if for x in q.questions if x.show_if] + [m.when for x in q.questions for m in x.dii]
    needed = sorted({col for cond in conditions for ref in cond.question_refs() for col in _read_columns(ref, comp)})
    can_dk = {x.id for x in q.questions if x.dont_know}
    needed_dk = [c for c in needed if comp.columns[c].question in can_dk]
    modules_gated = {m.id for m in q.modules if m.applies_if is not None}
    chosen = [x for x in q.questions if x.show_if is not None or x.module in modules_gated]
    special_columns = {c for x in chosen for c in comp.question_columns[x.id]} | {t.column for t in comp.transforms}
    gather = sorted(set(needed) | special_columns)
    where, dk_where = {c: i for i, c in enumerate(gather)}, {c: i for i, c in enumerate(needed_dk)}

    def compiled(cond: Condition) -> Test:
        return _compile(cond, q, comp, where, dk_where)

    modules = tuple((m.id, compiled(m.applies_if)) for m in q.modules if m.applies_if is not None)
    special = np.array(sorted(special_columns), dtype=np.intp)
    position = {int(c): i for i, c in enumerate(special)}
    conditional = tuple((x.id, x.module, compiled(x.show_if) if x.show_if else None, [position[c] for c in comp.question_columns[x.id]])
                        for x in chosen)
    dii = tuple(compiled(m.when) for x in q.questions for m in x.dii)
    value_coef, mask_coef, unit_dims = comp.value_coef.copy(), comp.mask_coef.copy(), comp.unit_dims.copy()
    value_coef[special] = mask_coef[special] = unit_dims[special] = 0.0
    transforms = tuple((position[t.column], t.xs, t.ys) for t in comp.transforms)
    return _Plan(gather, needed_dk, [where[int(c)] for c in special], modules, conditional, dii, special, value_coef,
                 mask_coef[: comp.heads], comp.mask_coef[special], comp.value_coef[special], comp.score_weight[special], transforms,
                 unit_dims[: comp.heads], comp.unit_dims[special])


def _visible(plan: _Plan, chunk: _Chunk, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """(visibility of special columns as (special, rows), DII points) for one chunk, deciding
    questions in order."""
    module_ok = {m: test(chunk) for m, test in plan.modules}
    visible = np.ones((len(plan.special), rows), dtype=bool)
    for qid, module, show_if, positions in plan.conditional:
        shown = module_ok.get(module)
        if show_if is not None:
            cond = show_if(chunk)
            shown = cond if shown is None else shown & cond
        if shown is None:  # _plan keeps only questions with a module rule or a show_if
            raise RuntimeError(f"question {qid!r} has no display rule")
        chunk.shown[qid] = shown
        visible[positions] = shown
    dii = np.zeros(rows, dtype=np.int8)
    for test in plan.dii:
        dii += test(chunk)
    return visible, dii


def score_table(q: Questionnaire, table: ResponseTable, chunk_rows: int = CHUNK_ROWS, workers: int = WORKERS,
                with_counts: bool = False) -> TableScores:
    """Score every row of ``table``, chunk by chunk, on ``workers`` threads (numpy releases the
    GIL in the array work; each thread writes its own rows of the result). ``with_counts``: also
    the per-dimension confidence counts (about 40 % more time; ``cli.py score`` prints them)."""
    comp, plan = compile_instrument(q), _plan(q)
    if table.categories != comp.categories:
        raise ValueError("the table's profile codes do not follow the segment lists this instrument was compiled with")
    n, k = len(table), len(comp.outputs)
    scores, overall, dii = np.empty((n, k)), np.empty(n), np.zeros(n, dtype=np.int8)
    counts = np.zeros((n if with_counts else 0, len(comp.dim_weights), 3), dtype=np.int64)
    starts = list(range(0, n, chunk_rows))
    if workers > 1 and len(starts) > 1:
        share = -(-len(starts) // workers)
        groups = [starts[i : i + share] for i in range(0, len(starts), share)]
        # Chunks are small matrices: one BLAS thread each, the parallelism is across chunks
        # (letting BLAS spawn its own threads too oversubscribes the cores: 2x slower, measured).
        # threadpool_limits is process-wide for its duration, which other BLAS users can tolerate.
        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(len(groups)) as pool:
            list(pool.map(lambda group: _score_chunks(comp, plan, table, group, chunk_rows, scores, overall, dii, counts), groups))
    else:
        _score_chunks(comp, plan, table, starts, chunk_rows, scores, overall, dii, counts)
    return TableScores(comp.outputs, scores, overall, dii, counts, comp.unit_dims.sum(axis=0).astype(np.int64))


def _score_chunks(comp: Compiled, plan: _Plan, table: ResponseTable, starts: list[int], chunk_rows: int,
                  scores: np.ndarray, overall: np.ndarray, dii: np.ndarray, counts: np.ndarray) -> None:
    """Fill ``scores``, ``overall`` and ``dii`` for the chunks beginning at ``starts``.

    Inside a chunk, arrays are column-major (columns × rows): for a tall table times a few
    outputs, OpenBLAS is several times faster this way round."""
    n, k = len(table), len(comp.outputs)
    mask = np.empty((min(chunk_rows, max(n, 1)), comp.heads))
    for start in starts:
        stop = min(start + chunk_rows, n)
        rows, codes = stop - start, table.codes[start:stop]
        gathered = codes.T[plan.gather]
        profile = {f: table.profile[f][start:stop] for f in PROFILE_FIELDS}
        chunk = _Chunk(gathered, table.dont_know[start:stop].T[plan.needed_dk], profile, {})
        visible, dii[start:stop] = _visible(plan, chunk, rows)
        np.sign(codes[:, : comp.heads], out=mask[:rows])  # codes are 0 (nothing to score) or >= 1: sign is the scorable flag
        special_codes = gathered[plan.special_rows]
        special_mask = np.sign(special_codes)
        special_mask *= visible
        totals = plan.mask_coef.T @ mask[:rows].T
        totals += plan.special_mask_coef.T @ special_mask
        totals[:k] += plan.value_coef.T @ codes.T
        totals[:k] += _special_numerators(plan, special_codes, special_mask)
        ratio = np.full((k, rows), np.nan)
        np.divide(totals[:k], totals[k:], out=ratio, where=totals[k:] > 0)
        ratio *= 100.0
        scores[start:stop] = ratio.T
        overall[start:stop] = _overall(comp.dim_weights, ratio[: len(comp.dim_weights)])
        if len(counts):
            counts[start:stop] = _unit_counts(comp, plan, table.dont_know[start:stop], mask[:rows], special_mask, visible)


def _unit_counts(comp: Compiled, plan: _Plan, dont_know: np.ndarray, mask: np.ndarray, special_mask: np.ndarray,
                 visible: np.ndarray) -> np.ndarray:
    """(rows, dimensions, 3): applicable, answered and don't-know units, as scoring.engine counts them.
    Head columns outside the special block always apply; special ones apply where visible."""
    shown = visible.astype(float)
    applicable = plan.unit_dims.sum(axis=0) + shown.T @ plan.special_unit_dims
    answered = mask @ plan.unit_dims + special_mask.T @ plan.special_unit_dims
    unsure = dont_know[:, : comp.heads].astype(float) @ plan.unit_dims
    unsure += (dont_know[:, plan.special].T & visible).astype(float).T @ plan.special_unit_dims
    counted: np.ndarray = np.rint(np.stack([applicable, answered, unsure], axis=-1)).astype(np.int64)
    return counted


def _special_numerators(plan: _Plan, codes: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Numerator contributions (outputs × rows) of the special columns (given as columns × rows):
    affine ones masked, transformed ones mapped through their scores."""
    numerators: np.ndarray = plan.special_value.T @ (codes * mask)
    if plan.transforms:
        scored = np.zeros_like(codes)
        for pos, xs, ys in plan.transforms:
            scored[pos] = np.interp(codes[pos] - 1.0, xs, ys) * mask[pos]
        numerators += plan.special_score.T @ scored
    return numerators


def _overall(weights: np.ndarray, dims: np.ndarray) -> np.ndarray:
    """Weighted mean over the dimensions that have a score; ``dims`` is (dimensions × rows)."""
    scored = ~np.isnan(dims)
    total = weights @ scored
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, weights @ np.where(scored, dims, 0.0) / total, np.nan)


def levels_of(q: Questionnaire, overall: np.ndarray) -> np.ndarray:
    """Level id per row (None where the overall is NaN)."""
    mins = np.array([lv.min for lv in q.levels])
    ids = np.array([lv.id for lv in q.levels] + [None], dtype=object)
    rounded = np.round(np.nan_to_num(overall), LEVEL_DECIMALS)
    idx = np.where(np.isnan(overall), len(mins), np.searchsorted(mins, rounded, side="right") - 1)
    return ids[idx]
