"""Before and after: a firm's T0 and a later stage (T1, T2) side by side.

Each assessment is scored with the instrument version it was answered with. When the versions
differ, both are re-scored on the questions present in both versions only, and the comparison
says so (``same_version`` False, ``common_questions``). Peers: the overall percentile of each
score among comparable firms when a pool with enough firms exists (else None).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from domain import Answers, AnswerValue, Assessment
from i18n import t
from questionnaires.registry import Instrument
from reports.guided_pdf import ComparisonPage
from scoring.engine import score_firm
from scoring.result import Result


@dataclass(frozen=True)
class DimensionChange:
    id: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class AnswerChange:
    question_id: str
    before: AnswerValue | None
    after: AnswerValue | None


@dataclass(frozen=True)
class Comparison:
    before: Assessment
    after: Assessment
    before_result: Result
    after_result: Result
    dimensions: tuple[DimensionChange, ...]
    changed_answers: tuple[AnswerChange, ...]
    same_version: bool
    common_questions: int  # questions scored on both sides
    actions_done: tuple[str, ...] = ()  # plan items of the earlier stage marked done
    percentile_before: float | None = None
    percentile_after: float | None = None
    instrument: Instrument | None = None  # the later stage's questionnaire (labels)

    @property
    def overall_delta(self) -> float | None:
        b, a = self.before_result.overall, self.after_result.overall
        return None if a is None or b is None else a - b

    @property
    def dii_level_changed(self) -> bool:
        return self.before_result.dii.level != self.after_result.dii.level


def compare(before: Assessment, before_instrument: Instrument, after: Assessment, after_instrument: Instrument, *,
            actions_done: Sequence[str] = (), percentile_of: Callable[[float | None], float | None] | None = None) -> Comparison:
    same = before_instrument.content_hash == after_instrument.content_hash or before_instrument.key == after_instrument.key
    before_answers, after_answers = dict(before.answers), dict(after.answers)
    ids_before = {q.id for q in before_instrument.questionnaire.questions}
    ids_after = {q.id for q in after_instrument.questionnaire.questions}
    common = ids_before & ids_after
    if not same:
        before_answers = {k: v for k, v in before_answers.items() if k in common}
        after_answers = {k: v for k, v in after_answers.items() if k in common}
    before_result = score_firm(before_instrument, before.profile, before_answers)
    after_result = score_firm(after_instrument, after.profile, after_answers)
    dims = tuple(DimensionChange(d.id, _score(before_result, d.id), _score(after_result, d.id))
                 for d in after_instrument.questionnaire.dimensions)
    order = [q.id for q in after_instrument.questionnaire.questions if q.id in common]
    changed = tuple(AnswerChange(qid, before_answers.get(qid), after_answers.get(qid)) for qid in order
                    if _norm(before_answers.get(qid)) != _norm(after_answers.get(qid)))
    p_before = percentile_of(before_result.overall) if percentile_of else None
    p_after = percentile_of(after_result.overall) if percentile_of else None
    return Comparison(before, after, before_result, after_result, dims, changed, same, len(common), tuple(actions_done),
                      p_before, p_after, after_instrument)


def _score(result: Result, dimension_id: str) -> float | None:
    found = result.dimensions.get(dimension_id)
    return None if found is None else found.score


def _norm(value: AnswerValue | None) -> object:
    if isinstance(value, list):
        return sorted(value)
    return value


def copy_answers(answers: Answers, target: Instrument) -> dict[str, AnswerValue]:
    """The baseline's answers for a new stage: only questions the target version still has."""
    ids = {q.id for q in target.questionnaire.questions}
    return {k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v) for k, v in answers.items() if k in ids}


def comparison_page(c: Comparison, locale: str, action_titles: Mapping[str, str] | None = None) -> ComparisonPage:
    """The comparison labelled in ``locale``, for the PDF page and the comparison screen's table."""
    if c.instrument is None:
        raise ValueError("the comparison has no questionnaire to label it")
    q = c.instrument.questionnaire
    dimension_labels = {d.id: d.label.get(locale) for d in q.dimensions}
    question_labels = {x.id: x.label.get(locale) for x in q.questions}
    dii_labels = {lv.id: lv.label.get(locale) for lv in q.dii.levels}
    rows = ((t("common.overall", locale), c.before_result.overall, c.after_result.overall),
            *((dimension_labels[d.id], d.before, d.after) for d in c.dimensions))
    titles = action_titles or {}
    version_note = "" if c.same_version else t("advisor.compare.versions_differ", locale, before=c.before.questionnaire_version,
                                                after=c.after.questionnaire_version, n=c.common_questions)
    percentiles = ((c.percentile_before, c.percentile_after)
                   if c.percentile_before is not None and c.percentile_after is not None else None)
    return ComparisonPage(c.before.stage.value, c.after.stage.value, rows,
                          (dii_labels.get(c.before_result.dii.level, "—"), dii_labels.get(c.after_result.dii.level, "—")),
                          tuple(question_labels.get(a.question_id, a.question_id) for a in c.changed_answers),
                          tuple(titles.get(a, a) for a in c.actions_done), version_note, percentiles)
