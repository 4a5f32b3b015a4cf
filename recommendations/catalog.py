"""Loading the action library and the programme catalog, with every cross-reference checked.

Problems come back as :class:`content.errors.ContentError` naming file, line and YAML path, like
every other content file: unknown question/item/option ids (against the instrument), unknown
dimensions, sector, size or region codes, dangling prerequisite or programme ids, prerequisite
cycles, an action linking a programme that is not open (closed and ended entries are history), and
a support whose eligibility can never match a firm the action applies to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from content.errors import ContentError
from content.loader import Loc, load_yaml, validate_data
from content.memo import Memo
from questionnaires.checks import Report, answer_option_ids, check_condition
from questionnaires.model import Question, Questionnaire
from questionnaires.registry import Instrument
from questionnaires.segments import Segments, load_segments
from recommendations.eligibility import can_ever_match
from recommendations.model import Action, ActionLibrary, Effect, ProgrammeCatalog, Support
from scoring.kinds import kind_of

HERE = Path(__file__).parent
ACTIONS_FILE = HERE / "actions.yaml"
PROGRAMMES_FILE = HERE / "programmes.yaml"


@dataclass(frozen=True)
class Catalogs:
    """The two validated catalogs, ready for prioritisation and the PDF."""

    actions: tuple[Action, ...]
    programmes: ProgrammeCatalog

    def action(self, action_id: str) -> Action:
        return next(a for a in self.actions if a.id == action_id)

    def support(self, support_id: str) -> Support:
        return next(s for s in self.programmes.supports if s.id == support_id)


def load_programmes(path: Path = PROGRAMMES_FILE, segments: Segments | None = None) -> ProgrammeCatalog:
    data, lines = load_yaml(path)
    catalog = validate_data(ProgrammeCatalog, data, lines, str(path))
    report = Report(str(path), lines)
    segments = segments or load_segments()
    axes = {a.id for a in catalog.plan.axes}
    _report_duplicates([a.id for a in catalog.plan.axes], ("plan", "axes"), report)
    _report_duplicates([s.id for s in catalog.supports], ("supports",), report)
    if catalog.review_by <= catalog.as_of:
        report.add(("review_by",), "review_by must come after as_of")
    for si, support in enumerate(catalog.supports):
        if support.axis is not None and support.axis.id not in axes:
            report.add(("supports", si, "axis", "id"), f"unknown plan axis {support.axis.id!r}; known: {sorted(axes)}")
        rule = support.eligibility
        for field, codes in (("sizes", rule.sizes), ("sectors", rule.sectors), ("regions", rule.regions),
                             ("excluded_regions", rule.excluded_regions)):
            kind = "region" if "region" in field else field.removesuffix("s")
            bad = [c for c in codes or [] if c not in segments.codes(kind)]
            if bad:
                report.add(("supports", si, "eligibility", field), f"unknown {kind} code(s) {bad}")
        if support.status.as_of > catalog.as_of:
            report.add(("supports", si, "status", "as_of"), f"checked on {support.status.as_of}, after the catalog's as_of {catalog.as_of}")
    if report.problems:
        raise ContentError(report.problems)
    return catalog


def load_actions(instrument: Instrument, programmes: ProgrammeCatalog, path: Path = ACTIONS_FILE,
                 segments: Segments | None = None) -> tuple[Action, ...]:
    data, lines = load_yaml(path)
    library = validate_data(ActionLibrary, data, lines, str(path))
    report = Report(str(path), lines)
    q = instrument.questionnaire
    if library.questionnaire != q.id:
        report.add(("questionnaire",), f"written for {library.questionnaire!r}, not for {q.id!r}")
        raise ContentError(report.problems)
    segments = segments or load_segments()
    ids = [a.id for a in library.actions]
    _report_duplicates(ids, ("actions",), report)
    supports = {s.id: s for s in programmes.supports}
    for ai, action in enumerate(library.actions):
        _check_action(action, ("actions", ai), q, segments, set(ids), set(supports), report)
        _check_supports(action, ("actions", ai), supports, segments, report)
    _check_cycles(library.actions, report)
    if report.problems:
        raise ContentError(report.problems)
    return tuple(library.actions)


_LOADED: Memo[Catalogs] = Memo(max_entries=8)  # one per questionnaire content


def load_catalogs(instrument: Instrument) -> Catalogs:
    """Both catalogs, checked against ``instrument`` (cached per instrument content)."""
    def load() -> Catalogs:
        programmes = load_programmes()
        return Catalogs(load_actions(instrument, programmes), programmes)

    return _LOADED.get_or_compute(instrument.content_hash, load)


def _report_duplicates(ids: list[str], loc: Loc, report: Report) -> None:
    for i, value in enumerate(ids):
        if value in ids[:i]:
            report.add((*loc, i, "id"), f"duplicate id {value!r}")


def _check_action(action: Action, loc: Loc, q: Questionnaire, segments: Segments,
                  action_ids: set[str], support_ids: set[str], report: Report) -> None:
    dimensions = {d.id for d in q.dimensions}
    questions = {x.id: x for x in q.questions}
    if action.dimension not in dimensions:
        report.add((*loc, "dimension"), f"unknown dimension {action.dimension!r}")
    for ti, trigger in enumerate(action.triggers):
        if trigger.dimension_below is not None and trigger.dimension_below.dimension not in dimensions:
            report.add((*loc, "triggers", ti, "dimension_below"), f"unknown dimension {trigger.dimension_below.dimension!r}")
        if trigger.when is not None:
            check_condition(trigger.when, (*loc, "triggers", ti, "when"), questions, questions, q, segments, report)
    for ei, effect in enumerate(action.effects):
        _check_effect(effect, (*loc, "effects", ei), questions, q, report)
    for pi, prereq in enumerate(action.prerequisites):
        if prereq not in action_ids:
            report.add((*loc, "prerequisites", pi), f"unknown action {prereq!r}")
        elif prereq == action.id:
            report.add((*loc, "prerequisites", pi), "an action cannot be its own prerequisite")
    for si, support in enumerate(action.supports):
        if support not in support_ids:
            report.add((*loc, "supports", si), f"unknown measure or programme {support!r} (see programmes.yaml)")
    for field in ("sectors", "sizes"):
        codes = getattr(action.applies_to, field)
        bad = [c for c in codes or [] if c not in segments.codes(field.removesuffix("s"))]
        if bad:
            report.add((*loc, "applies_to", field), f"unknown {field.removesuffix('s')} code(s) {bad}")


def _check_supports(action: Action, loc: Loc, supports: dict[str, Support], segments: Segments,
                    report: Report) -> None:
    """Only open programmes (never advice networks, which are chosen by region), and only ones some
    firm the action applies to could be eligible for."""
    for si, sid in enumerate(action.supports):
        support = supports.get(sid)
        if support is None:
            continue  # reported by _check_action
        if support.kind == "advice":
            report.add((*loc, "supports", si), f"{sid!r} is an advice network; the roadmap adds it by region when nothing is offered")
        elif not support.is_open:
            what = "history (closed or ended)" if support.is_history else f"status {support.status.value!r}"
            report.add((*loc, "supports", si), f"{sid!r} is {what}: an action may only link open programmes")
        elif not can_ever_match(support.eligibility, action.applies_to, segments.codes("sector"), segments.codes("size"),
                                segments.codes("region")):
            report.add((*loc, "supports", si), f"{sid!r}: its eligibility can never match a firm this action applies to")


def _check_effect(effect: Effect, loc: Loc, questions: dict[str, Question], q: Questionnaire, report: Report) -> None:
    target = questions.get(effect.question)
    if target is None:
        report.add(loc, f"unknown question {effect.question!r}")
        return
    expected, used = kind_of(target).effect_form, effect.form
    if used != expected:
        report.add(loc, f"question {target.id!r} is {target.type}; its effect uses '{expected}', not '{used}'")
        return
    if target.is_matrix != (effect.item is not None):
        report.add(loc, f"name one row of matrix {target.id!r} with 'item'" if target.is_matrix else "'item' is only for matrix questions")
        return
    if effect.item is not None and effect.item not in {i.id for i in target.items or []}:
        report.add((*loc, "item"), f"question {target.id!r} has no row {effect.item!r}")
    valid = answer_option_ids(target, q)
    chosen = [effect.set] if effect.set is not None else list(effect.add or [])
    bad = [v for v in chosen if v not in valid]
    if bad:
        report.add(loc, f"{bad} not among the answers of {target.id!r}: {valid}")
    exclusive = {o.id for o in target.options or [] if o.exclusive}
    if exclusive & set(effect.add or []):
        report.add((*loc, "add"), "an effect cannot tick the exclusive 'none' box")
    # A number question always has min and max (questionnaires.model checks it).
    low, high = target.min, target.max
    if effect.at_least is not None and low is not None and high is not None and not (low <= effect.at_least <= high):
        report.add((*loc, "at_least"), f"{effect.at_least} is outside [{target.min}, {target.max}]")


def _check_cycles(actions: list[Action], report: Report) -> None:
    """Report each prerequisite cycle once, at the action where it is first found."""
    prereqs = {a.id: [p for p in a.prerequisites if p != a.id] for a in actions}
    index = {a.id: i for i, a in enumerate(actions)}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in prereqs.get(node, []):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt):], nxt] if nxt in path else [node, nxt]
                report.add(("actions", index[nxt], "prerequisites"), f"prerequisite cycle: {' -> '.join(cycle)}")
            elif nxt in prereqs and state.get(nxt) is None:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for action in actions:
        if state.get(action.id) is None:
            visit(action.id, [action.id])
