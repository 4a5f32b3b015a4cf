"""Cross-reference checks for a questionnaire: what no single node can check alone."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator

from content.errors import Problem
from content.loader import Lines, Loc, dotted, line_for
from questionnaires.model import DONT_KNOW, Condition, Question, Questionnaire, scale_option_ids
from questionnaires.segments import Segments

MATRIX_SCALES = {"adoption": 6, "npy": 3}


class Report:
    """Collects problems located in one content file (also used by the catalogs that reference the instrument)."""

    def __init__(self, file: str, lines: Lines):
        self.file, self.lines = file, lines
        self.problems: list[Problem] = []

    def add(self, loc: Loc, message: str) -> None:
        self.problems.append(Problem(self.file, line_for(self.lines, loc), dotted(loc), message))


def _duplicates(ids: Iterable[str]) -> list[str]:
    return sorted(i for i, n in Counter(ids).items() if n > 1)


def check_questionnaire(q: Questionnaire, segments: Segments, file: str, lines: Lines) -> list[Problem]:
    """Every cross-reference problem in ``q``, each located in the source file."""
    report = Report(file, lines)
    _check_unique_ids(q, report)
    _check_scales(q, report)
    _check_questions(q, report)
    _check_conditions(q, segments, report)
    _check_dii(q, report)
    _check_interpretations(q, report)
    return report.problems


def _check_interpretations(q: Questionnaire, report: Report) -> None:
    """Each dimension interprets every level of the questionnaire, and only those."""
    levels = [lv.id for lv in q.levels]
    for di, dim in enumerate(q.dimensions):
        missing = [lv for lv in levels if lv not in dim.interpretation]
        unknown = sorted(set(dim.interpretation) - set(levels))
        if missing:
            report.add(("dimensions", di, "interpretation"), f"no interpretation for level(s) {missing}")
        if unknown:
            report.add(("dimensions", di, "interpretation"), f"unknown level(s) {unknown}; expected {levels}")


def _check_unique_ids(q: Questionnaire, report: Report) -> None:
    for name in ("answer_scales", "modules", "dimensions", "levels", "questions"):
        for dup in _duplicates(x.id for x in getattr(q, name)):
            index = next(i for i, x in enumerate(getattr(q, name)) if x.id == dup)
            report.add((name, index, "id"), f"duplicate id {dup!r}")
    for dup in _duplicates(v.id for v in q.dii.variables):
        report.add(("dii", "variables"), f"duplicate DII variable {dup!r}")
    for qi, question in enumerate(q.questions):
        for field in ("options", "items"):
            for dup in _duplicates(x.id for x in getattr(question, field) or []):
                report.add(("questions", qi, field), f"duplicate id {dup!r}")


def _check_scales(q: Questionnaire, report: Report) -> None:
    scales = {s.id: s for s in q.answer_scales}
    for si, scale in enumerate(q.answer_scales):
        for dup in _duplicates(o.id for o in scale.options):
            report.add(("answer_scales", si, "options"), f"duplicate option id {dup!r}")
        if any(o.id == DONT_KNOW for o in scale.options):
            report.add(("answer_scales", si, "options"), f"option id {DONT_KNOW!r} is reserved")
    for name, size in MATRIX_SCALES.items():
        if name not in scales:
            report.add(("answer_scales",), f"the {name!r} scale used by matrix questions is missing")
        elif len(scales[name].options) != size:
            report.add(("answer_scales",), f"the {name!r} scale needs exactly {size} options")


def _check_questions(q: Questionnaire, report: Report) -> None:
    dims = {d.id for d in q.dimensions}
    modules = {m.id for m in q.modules}
    scales = {s.id for s in q.answer_scales}
    if "core" not in modules:
        report.add(("modules",), "a 'core' module is required")
    used_dims = set()
    for qi, question in enumerate(q.questions):
        if question.dimension not in dims:
            report.add(("questions", qi, "dimension"), f"unknown dimension {question.dimension!r}")
        used_dims.add(question.dimension)
        if question.module not in modules:
            report.add(("questions", qi, "module"), f"unknown module {question.module!r}")
        if question.scale is not None and question.scale not in scales:  # only single choices name a scale
            report.add(("questions", qi, "scale"), f"unknown answer scale {question.scale!r}")
        for oi, option in enumerate(question.options or []):
            if option.id == DONT_KNOW:
                report.add(("questions", qi, "options", oi, "id"), f"option id {DONT_KNOW!r} is reserved")
    for di, dim in enumerate(q.dimensions):
        if dim.id not in used_dims:
            report.add(("dimensions", di, "id"), f"dimension {dim.id!r} has no questions")


def answer_option_ids(question: Question, q: Questionnaire) -> list[str]:
    """Option ids a condition may name: checklist boxes, or the question's scale options."""
    if question.options is not None:  # a checklist
        return [o.id for o in question.options]
    return scale_option_ids(q, question)


def _walk_conditions(cond: Condition, loc: Loc) -> Iterator[tuple[Condition, Loc]]:
    yield cond, loc
    for key in ("all", "any"):
        for i, child in enumerate(getattr(cond, key) or []):
            yield from _walk_conditions(child, (*loc, key, i))
    if cond.not_ is not None:
        yield from _walk_conditions(cond.not_, (*loc, "not"))


def check_condition(cond: Condition, loc: Loc, allowed: dict[str, Question], known: dict[str, Question],
                     q: Questionnaire, segments: Segments, report: Report) -> None:
    for node, node_loc in _walk_conditions(cond, loc):
        if node.profile is not None:
            bad = [v for v in node.in_ or [] if v not in segments.codes(node.profile)]
            if bad:
                report.add(node_loc, f"unknown {node.profile} code(s) {bad}")
            continue
        if node.question is None:
            continue
        target = allowed.get(node.question)
        if target is None:
            where = "a later question" if node.question in known else "an unknown question"
            report.add(node_loc, f"condition points at {where} {node.question!r}; only earlier questions can be used")
            continue
        _check_condition_test(node, node_loc, target, q, report)


def _check_condition_test(node: Condition, loc: Loc, target: Question, q: Questionnaire, report: Report) -> None:
    if target.is_matrix and node.item is None and node.answered is None:
        report.add(loc, f"question {target.id!r} is a matrix; name one of its rows with 'item'")
        return
    if node.item is not None and node.item not in {i.id for i in target.items or []}:
        report.add(loc, f"question {target.id!r} has no row {node.item!r}")
        return
    if node.in_ is not None:
        if target.type not in ("single", "adoption", "npy"):
            report.add(loc, f"'in' needs a single-choice or matrix question, {target.id!r} is {target.type}")
        else:
            valid = answer_option_ids(target, q) + ([DONT_KNOW] if target.dont_know else [])
            bad = [v for v in node.in_ if v not in valid]
            if bad:
                report.add(loc, f"{bad} not among the answers of {target.id!r}: {valid}")
    if node.includes is not None:
        if target.type != "multi":
            report.add(loc, f"'includes' needs a multi-select question, {target.id!r} is {target.type}")
        else:
            bad = [v for v in node.includes if v not in answer_option_ids(target, q)]
            if bad:
                report.add(loc, f"{bad} not among the options of {target.id!r}")
    if (node.gte is not None or node.lte is not None) and target.type not in ("number", "adoption", "npy", "single"):
        report.add(loc, f"'gte'/'lte' need a number, single-choice or matrix question, {target.id!r} is {target.type}")


def _check_conditions(q: Questionnaire, segments: Segments, report: Report) -> None:
    known = {question.id: question for question in q.questions}
    earlier: dict[str, Question] = {}
    for mi, module in enumerate(q.modules):
        if module.applies_if is not None:
            check_condition(module.applies_if, ("modules", mi, "applies_if"), {}, known, q, segments, report)
    for qi, question in enumerate(q.questions):
        if question.show_if is not None:
            check_condition(question.show_if, ("questions", qi, "show_if"), earlier, known, q, segments, report)
        earlier[question.id] = question
    for qi, question in enumerate(q.questions):
        for mi, mapping in enumerate(question.dii):
            check_condition(mapping.when, ("questions", qi, "dii", mi, "when"), known, known, q, segments, report)


def _check_dii(q: Questionnaire, report: Report) -> None:
    variables = {v.id for v in q.dii.variables}
    seen: dict[str, str] = {}
    for qi, question in enumerate(q.questions):
        for mi, mapping in enumerate(question.dii):
            loc = ("questions", qi, "dii", mi, "variable")
            if mapping.variable not in variables:
                report.add(loc, f"unknown DII variable {mapping.variable!r}")
            elif mapping.variable in seen:
                report.add(loc, f"DII variable {mapping.variable!r} is already mapped by question {seen[mapping.variable]!r}")
            else:
                seen[mapping.variable] = question.id
    mins = [lv.min for lv in q.dii.levels]
    if mins[0] != 0 or any(b <= a for a, b in itertools.pairwise(mins)):
        report.add(("dii", "levels"), "DII levels must start at 0 and strictly increase")
