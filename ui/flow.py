"""Questionnaire flow without Streamlit: steps, navigation, widget <-> answer mapping, validation.

One step per dimension (in the instrument's dimension order) holding the questions that apply to
this firm given its profile and current answers, so conditional questions appear and disappear as
answers change. Widget state is derived from the answers (the source of truth) and mapped back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain import Answers, AnswerValue, Profile
from i18n import format_decimal, t
from questionnaires.model import DONT_KNOW, AnswerScale, Dimension, Question, Questionnaire, scale_option_ids
from scoring.applicability import applicable_answers
from scoring.kinds import AnswerProblem, Part, WidgetValue, answer_problems, kind_of
from scoring.kinds import number as number_kind


@dataclass(frozen=True)
class Step:
    dimension: Dimension
    questions: tuple[Question, ...]

    @property
    def id(self) -> str:
        return self.dimension.id


def steps(q: Questionnaire, profile: Profile, answers: Answers) -> list[Step]:
    """The non-empty steps for this firm, in dimension order."""
    applicable, _ = applicable_answers(q, profile, answers)
    grouped = [Step(d, tuple(x for x in q.questions if x.dimension == d.id and x.id in applicable)) for d in q.dimensions]
    return [s for s in grouped if s.questions]


def step_position(q: Questionnaire, all_steps: list[Step], step_id: str | None) -> int:
    """Index of ``step_id``; if that step vanished, the next step after it in dimension order."""
    ids = [s.id for s in all_steps]
    if step_id in ids:
        return ids.index(step_id)
    order = [d.id for d in q.dimensions]
    if step_id not in order:
        return 0
    later = [i for i, s in enumerate(all_steps) if order.index(s.id) > order.index(step_id)]
    return later[0] if later else max(len(all_steps) - 1, 0)


def first_open_step(q: Questionnaire, profile: Profile, answers: Answers) -> str | None:
    """Where a resumed assessment continues: the first step with an unanswered question."""
    all_steps = steps(q, profile, answers)
    unanswered = (s.id for s in all_steps if any(answers.get(x.id) is None for x in s.questions))
    return next(unanswered, all_steps[-1].id if all_steps else None)


def progress(position: int, total: int) -> float:
    """Share of steps reached, counting the current one (0..1)."""
    return 0.0 if total == 0 else (position + 1) / total


# --- widgets <-> answers (the pure part is each question kind's; see scoring/kinds) ----------

def widget_key(question_id: str, part: Part = None) -> str:
    return f"w:{question_id}" if part is None else f"w:{question_id}:{part}"


def choice_options(q: Questionnaire, question: Question) -> list[str]:
    """Option ids offered by a single-choice question or a matrix row (plus "don't know")."""
    ids = scale_option_ids(q, question)
    return [*ids, DONT_KNOW] if question.dont_know else ids


def defined_scale(q: Questionnaire, question: Question) -> AnswerScale | None:
    """The question's answer scale when the instrument defines what each of its answers means
    (every option has a ``help``, as the adoption scale: not used ... operational), else None."""
    scale = next((s for s in q.answer_scales if s.id == question.answer_scale), None)
    return scale if scale is not None and all(o.help for o in scale.options) else None


def option_label(q: Questionnaire, question: Question, option_id: str, locale: str) -> str:
    if option_id == DONT_KNOW:
        return t("common.dont_know", locale)
    scale = next(s for s in q.answer_scales if s.id == question.answer_scale)
    return next(o.label.get(locale) for o in scale.options if o.id == option_id)


def multi_parts(question: Question) -> list[str]:
    """Checkbox ids of a checklist: its options, then "don't know" where allowed."""
    return [part for part in kind_of(question).widget_parts(question) if part is not None]


def widget_values(question: Question, value: AnswerValue | None, locale: str | None = None) -> dict[str, WidgetValue]:
    """Initial widget state (by key) that shows ``value``. With a ``locale``, a number question's
    field is text written the way that language writes numbers (``12,5`` in French)."""
    state = kind_of(question).widget_state(question, value)
    if locale is not None and question.type == "number" and isinstance(state.get(None), float | int):
        state = {**state, None: number_kind.format_text(float(state[None]), locale)}  # type: ignore[arg-type]
    return {widget_key(question.id, part): shown for part, shown in state.items()}


def answer_from_widgets(question: Question, state: Mapping[str, object], locale: str | None = None) -> AnswerValue | None:
    """The answer the widgets show; None when nothing is given.

    A checklist keeps every ticked box, even an impossible combination, so the firm's input is
    never lost; :func:`field_error` reports the combination and it is not saved until fixed.
    A number typed as text is read in ``locale`` (``2,5`` is 2.5 in French); text that is not a
    number is kept as typed and reported, never changed into another value.
    """
    kind = kind_of(question)
    parts = {part: state.get(widget_key(question.id, part)) for part in kind.widget_parts(question)}
    if locale is not None and question.type == "number" and isinstance(parts.get(None), str):
        parts[None] = number_kind.parse_text(str(parts[None]), locale)
    return kind.from_widgets(question, parts)  # type: ignore[arg-type]  # Streamlit holds what the widgets put there


# --- validation ------------------------------------------------------------------------------

def is_savable(q: Questionnaire, question: Question, value: object) -> bool:
    """Whether ``value`` fits ``question`` (the core's check; no locale needed)."""
    return not answer_problems(q, question, value)


def field_error(q: Questionnaire, question: Question, value: object, locale: str) -> str | None:
    """A message for the firm when ``value`` cannot be saved, else None."""
    problems = answer_problems(q, question, value)
    return _message(question, problems[0], locale) if problems else None


def _message(question: Question, problem: AnswerProblem, locale: str) -> str:
    """The firm's message for the core's problem code (the CLI words the same codes in English)."""
    if problem.code == "dont_know_with_others":
        return t("app.error.dont_know_with_others", locale, dont_know=t("common.dont_know", locale))
    if problem.code == "exclusive_with_others":
        option = next(o for o in question.options or [] if o.id == problem.params["option"])
        return t("app.error.exclusive_with_others", locale, option=option.label.get(locale))
    if problem.code == "not_a_number":
        return t("app.error.not_a_number", locale)
    if problem.code == "out_of_range":
        low, high = (format_decimal(float(problem.params[end]), locale, 0) for end in ("min", "max"))  # type: ignore[arg-type]
        return t("app.error.out_of_range", locale, min=low, max=high)
    return t("app.error.invalid_answer", locale)


def step_errors(q: Questionnaire, step: Step, answers: Answers, locale: str) -> dict[str, str]:
    """Messages by question id for the step's answers that cannot be saved."""
    errors = {x.id: field_error(q, x, answers.get(x.id), locale) for x in step.questions}
    return {qid: message for qid, message in errors.items() if message}


def savable_changes(q: Questionnaire, answers: Answers, question_ids: list[str]) -> dict[str, AnswerValue | None]:
    """The answers among ``question_ids`` that fit the instrument (None removes an answer)."""
    by_id = {x.id: x for x in q.questions}
    return {qid: answers.get(qid) for qid in question_ids if is_savable(q, by_id[qid], answers.get(qid))}


# --- enough answers to call results results -----------------------------------------------------

MIN_SCORED_PER_STEP = 1  # a step (dimension) needs at least this many answers that are not "don't know"


@dataclass(frozen=True)
class StepCount:
    """How far one step is answered: ``answered`` of ``total`` questions (any valid answer), of which
    ``scored`` count towards the score (not "don't know"); ``unanswered`` are the others, in order."""

    step: Step
    answered: int
    scored: int
    total: int
    unanswered: tuple[Question, ...] = ()

    @property
    def remaining(self) -> int:
        return self.total - self.answered

    @property
    def enough(self) -> bool:
        return self.scored >= min(MIN_SCORED_PER_STEP, self.total)


def step_counts(q: Questionnaire, profile: Profile, answers: Answers) -> list[StepCount]:
    """Answered and remaining questions per step, in step order (counts only valid answers)."""
    counts = []
    for s in steps(q, profile, answers):
        given = [x for x in s.questions if answers.get(x.id) is not None and is_savable(q, x, answers.get(x.id))]
        scored = [x for x in given if answers.get(x.id) != DONT_KNOW]
        unanswered = tuple(x for x in s.questions if x.id not in {g.id for g in given})
        counts.append(StepCount(s, len(given), len(scored), len(s.questions), unanswered))
    return counts


def missing_for_results(q: Questionnaire, profile: Profile, answers: Answers) -> list[StepCount]:
    """The steps without enough answers for a score: results are not shown (nor completed, nor
    projected in a PDF) until this is empty."""
    return [c for c in step_counts(q, profile, answers) if not c.enough]
