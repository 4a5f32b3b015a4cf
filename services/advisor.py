"""The advisor workspace's operations. Every method takes the acting ``Principal`` first and checks
it (``Access.require`` over the facts storage gives for that advisor and assessment), so a
hand-made URL, a forged id or a stale page gets ``AssessmentNotFound``, exactly as for an id that
does not exist. Views, changes, exports, links and reassignments are written to the access log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from auth.policy import Action, AssessmentAccess, Principal, Role
from domain import AnswerValue, Assessment, JsonDoc, Profile, Stage
from questionnaires.registry import Instrument
from reports.guided_pdf import GuidedExtras, GuidedNote, PlanLine
from scoring.result import Result
from services.access import Access, Denied
from services.comparison import Comparison, compare, copy_answers
from services.results import ResultsBundle, report_data
from storage.advisors import CaseRow, PlanItem
from storage.views import AssessmentNotFound, NewAssessment, TooManyAttempts

STAGE_ORDER = (Stage.T0, Stage.T1, Stage.T2)
SORTS = ("date", "score", "name")


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    sectors: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    sort: str = "date"  # date (newest first), score (highest first), name


def filter_cases(cases: Sequence[CaseRow], f: CaseFilter) -> list[CaseRow]:
    """Search (firm name, case-insensitive) and filters, then the chosen order; pure."""
    needle = f.text.strip().casefold()
    out = [c for c in cases if (not needle or needle in c.name.casefold()) and (not f.sectors or c.sector in f.sectors)
           and (not f.regions or c.region in f.regions) and (not f.sizes or c.size in f.sizes)
           and (not f.stages or c.stage in f.stages) and (not f.statuses or c.status in f.statuses)]
    if f.sort == "score":
        return sorted(out, key=lambda c: (c.overall is None, -(c.overall or 0.0), c.name.casefold()))
    if f.sort == "name":
        return sorted(out, key=lambda c: c.name.casefold())
    return sorted(out, key=lambda c: c.updated_at, reverse=True)


@dataclass(frozen=True)
class QuestionNotes:
    private: str = ""
    shared: str = ""


@dataclass(frozen=True)
class LinkOutcome:
    firm_id: str | None
    reason: str = ""  # "", "wrong_code", "no_consent", "throttled"
    retry_after: float = 0.0


@dataclass
class GuidedWriter:
    """Writes a guided session's answers through the service (checked and logged each time);
    ``ui.session.Draft.writer`` holds one while an advisor has a client's assessment open."""

    service: AdvisorService
    principal: Principal
    notes: dict[str, QuestionNotes] = field(default_factory=dict)

    def save_answers(self, assessment_id: str, changes: dict[str, AnswerValue | None], *, step: str | None = None) -> Assessment:
        return self.service.save_answers(self._live(assessment_id), assessment_id, changes, step=step)

    def complete(self, assessment_id: str, result: Result | JsonDoc) -> Assessment:
        return self.service.complete(self._live(assessment_id), assessment_id, result)

    def _live(self, assessment_id: str) -> Principal:
        """The advisor's sign-in checked again at the moment of writing: a widget callback writes
        before the page's own check runs, so a session ended or an account disabled meanwhile must
        stop the write here (the same "not found" as any refused access)."""
        live = self.service.access.live(self.principal)
        if live is None:
            raise AssessmentNotFound(assessment_id)
        self.principal = live
        return live


class AdvisorService:
    def __init__(self, access: Access):
        self.access = access
        self.repo = access.repo
        self.store = access.repo.advisors

    # ---- checks ------------------------------------------------------------------------------------
    def _facts(self, principal: Principal, assessment_id: str) -> AssessmentAccess | None:
        if principal.advisor_id is None:
            return None
        facts = self.store.access_facts(principal.advisor_id, assessment_id)
        return None if facts is None else AssessmentAccess(facts.advisor_id, facts.current_client, facts.consent_advisor)

    def _require(self, principal: Principal, action: Action, assessment_id: str) -> Assessment:
        """The assessment if ``principal`` may do ``action`` on it; else AssessmentNotFound (the
        same answer as for an id that does not exist)."""
        try:
            self.access.require(principal, action, self._facts(principal, assessment_id))
        except Denied:
            raise AssessmentNotFound(assessment_id) from None
        return self.repo.load(assessment_id)

    # ---- caseload ----------------------------------------------------------------------------------
    def caseload(self, principal: Principal, f: CaseFilter | None = None) -> list[CaseRow]:
        self.access.require(principal, Action.VIEW_CASELOAD)
        assert principal.advisor_id is not None
        cases = self.store.caseload(principal.advisor_id)
        return filter_cases(cases, f) if f is not None else cases

    def open(self, principal: Principal, assessment_id: str) -> Assessment:
        view = self._require(principal, Action.VIEW_ASSESSMENT, assessment_id)
        self.access.log(principal, "view", assessment_id=assessment_id, firm_id=view.firm_id)
        return view

    def firm_assessments(self, principal: Principal, assessment_id: str) -> list[Assessment]:
        """Every assessment of the firm of ``assessment_id`` this advisor may see, T0 first."""
        view = self._require(principal, Action.VIEW_ASSESSMENT, assessment_id)
        ids = set(self.store.visible_assessment_ids(principal.advisor_id or ""))
        siblings = [self.repo.load(i) for i in ids]
        found = [a for a in siblings if a.firm_id == view.firm_id]
        return sorted(found, key=lambda a: (STAGE_ORDER.index(a.stage), a.created_at))

    def link_with_code(self, principal: Principal, code: str) -> LinkOutcome:
        """The firm gave its resume code and ticked "share with an advisor": it becomes a client."""
        self.access.require(principal, Action.LINK_CLIENT)
        try:
            view = self.repo.resume(code, client_key=f"advisor:{principal.user_id}")
        except TooManyAttempts as exc:
            return LinkOutcome(None, "throttled", exc.retry_after_seconds)
        if view is None:
            return LinkOutcome(None, "wrong_code")
        if not view.consents.advisor:
            return LinkOutcome(None, "no_consent")
        assert principal.advisor_id is not None
        self.store.assign_client(principal.advisor_id, view.firm_id)
        self.access.log(principal, "link", assessment_id=view.id, firm_id=view.firm_id, detail={"mode": "resume_code"})
        return LinkOutcome(view.firm_id)

    def start_guided(self, principal: Principal, instrument: Instrument, profile: Profile, *, client_consents: bool,
                     consent_statistics: bool = False, synthetic: bool = False) -> NewAssessment:
        """A new assessment filled with the client: the client's consent to share with the advisor
        is required and recorded (mode "guided" in the access log and the assessment's start row).
        ``synthetic``: a fictitious demo firm (``seed-demo --with-workspace``), labelled as such."""
        self.access.require(principal, Action.START_GUIDED)
        if not client_consents:
            raise PermissionError("the client's consent to share with the advisor is required")
        assert principal.advisor_id is not None
        new = self.repo.start_assessment(instrument, profile, consent_statistics=consent_statistics, consent_advisor=True,
                                         synthetic=synthetic)
        view = self.repo.load(new.assessment_id)
        self.store.assign_client(principal.advisor_id, view.firm_id)
        self.access.log(principal, "link", assessment_id=view.id, firm_id=view.firm_id,
                        detail={"mode": "guided", "consent_advisor": True, "consent_statistics": consent_statistics,
                                **({"synthetic": True} if synthetic else {})})
        return new

    def end_assignment(self, principal: Principal, firm_id: str, advisor_id: str | None = None) -> None:
        """An advisor ends their own assignment; an admin any advisor's. Access stops at once."""
        self.access.require(principal, Action.END_ASSIGNMENT)
        target = advisor_id if advisor_id is not None and principal.has(Role.ADMIN) else principal.advisor_id
        if target is None:
            raise Denied("end_assignment")
        self.store.end_assignment(target, firm_id)
        self.access.log(principal, "unlink", firm_id=firm_id, detail={"advisor_id": target})

    def reassign(self, principal: Principal, firm_id: str, from_advisor: str, to_advisor: str) -> None:
        self.access.require(principal, Action.REASSIGN_CLIENT)
        self.store.reassign(firm_id, from_advisor, to_advisor)
        self.access.log(principal, "reassign", firm_id=firm_id, detail={"from": from_advisor, "to": to_advisor})

    # ---- guided session ------------------------------------------------------------------------------
    def save_answers(self, principal: Principal, assessment_id: str, changes: dict[str, AnswerValue | None], *,
                     step: str | None = None) -> Assessment:
        self._require(principal, Action.CHANGE_ASSESSMENT, assessment_id)
        view = self.repo.save_answers(assessment_id, changes, step=step)
        self.access.log(principal, "change", assessment_id=assessment_id, firm_id=view.firm_id,
                        detail={"answers": sorted(changes), **({"step": step} if step else {})})
        return view

    def complete(self, principal: Principal, assessment_id: str, result: Result | JsonDoc) -> Assessment:
        self._require(principal, Action.CHANGE_ASSESSMENT, assessment_id)
        view = self.repo.complete(assessment_id, result)
        self.access.log(principal, "change", assessment_id=assessment_id, firm_id=view.firm_id, detail={"complete": True})
        return view

    def notes(self, principal: Principal, assessment_id: str) -> dict[str | None, QuestionNotes]:
        """This advisor's private and shared notes per question (None: the whole assessment)."""
        self._require(principal, Action.VIEW_ASSESSMENT, assessment_id)
        out: dict[str | None, QuestionNotes] = {}
        for note in self.store.notes(assessment_id):
            if note.advisor_id != principal.advisor_id:
                continue
            current = out.get(note.question_id, QuestionNotes())
            out[note.question_id] = (QuestionNotes(note.body, current.shared) if note.visibility == "private"
                                     else QuestionNotes(current.private, note.body))
        return out

    def set_note(self, principal: Principal, assessment_id: str, question_id: str | None, visibility: str, body: str) -> None:
        view = self._require(principal, Action.CHANGE_ASSESSMENT, assessment_id)
        assert principal.advisor_id is not None
        self.store.set_note(assessment_id, principal.advisor_id, question_id, visibility, body)
        self.access.log(principal, "change", assessment_id=assessment_id, firm_id=view.firm_id,
                        detail={"note": visibility, "question": question_id or ""})

    def plan(self, principal: Principal, assessment_id: str) -> list[PlanItem]:
        self._require(principal, Action.VIEW_ASSESSMENT, assessment_id)
        return self.store.plan(assessment_id)

    def save_plan(self, principal: Principal, assessment_id: str, items: Sequence[PlanItem]) -> None:
        view = self._require(principal, Action.CHANGE_ASSESSMENT, assessment_id)
        for item in items:
            if item.owner not in ("firm", "advisor") or item.status not in ("planned", "in_progress", "done"):
                raise ValueError(f"bad plan item {item!r}")
        if len({i.action_id for i in items}) != len(items):
            raise ValueError("an action appears twice in the plan")
        self.store.save_plan(assessment_id, items)
        self.access.log(principal, "change", assessment_id=assessment_id, firm_id=view.firm_id,
                        detail={"plan": [i.action_id for i in items]})

    def guided_extras(self, principal: Principal, assessment_id: str, bundle: ResultsBundle, locale: str,
                      comparison: Comparison | None = None) -> GuidedExtras:
        """What the guided-session PDF adds to the firm's report: the advisor, the shared notes
        (never the private ones: they are not even read here), the agreed plan and the comparison."""
        view = self._require(principal, Action.EXPORT_ASSESSMENT, assessment_id)
        q = bundle.instrument.questionnaire
        labels = {question.id: question.label.get(locale) for question in q.questions}
        order = {question.id: i for i, question in enumerate(q.questions)}
        shared = self.store.notes(assessment_id, visibility="shared")
        notes = tuple(GuidedNote(labels.get(n.question_id or "", ""), n.body)
                      for n in sorted(shared, key=lambda n: order.get(n.question_id or "", -1)))
        plan = tuple(PlanLine(bundle.catalogs.action(i.action_id).title.get(locale), i.owner, i.due_on, i.comment, i.status)
                     for i in self.store.plan(assessment_id))
        return GuidedExtras(principal.display_name, principal.organisation, notes, plan, comparison, view.stage.value)

    def guided_pdf(self, principal: Principal, assessment_id: str, bundle: ResultsBundle, locale: str, report_date: dt.date,
                   comparison: Comparison | None = None) -> bytes:
        from reports.guided_pdf import build_guided_pdf

        extras = self.guided_extras(principal, assessment_id, bundle, locale, comparison)
        view = self.repo.load(assessment_id)
        self.access.log(principal, "export", assessment_id=assessment_id, firm_id=view.firm_id, detail={"pdf": locale})
        return build_guided_pdf(report_data(bundle, report_date, synthetic=view.synthetic), extras, locale)

    # ---- re-assessment -------------------------------------------------------------------------------
    def start_next_stage(self, principal: Principal, baseline_id: str) -> NewAssessment:
        """T1 (then T2) for the firm of ``baseline_id``: the newest visible assessment's answers are
        copied (only questions the current questionnaire still has), so the client changes only
        what moved. ``baseline_id`` of the new assessment points at the firm's T0; a synthetic
        (demo) firm's next stage is synthetic too."""
        from questionnaires.registry import get_instrument

        self._require(principal, Action.CHANGE_ASSESSMENT, baseline_id)
        chain = self.firm_assessments(principal, baseline_id)
        latest = chain[-1]
        position = STAGE_ORDER.index(latest.stage)
        if position + 1 >= len(STAGE_ORDER):
            raise ValueError("T2 is the last stage")
        stage = STAGE_ORDER[position + 1]
        instrument = get_instrument(latest.questionnaire_id)
        new = self.repo.start_assessment(instrument, latest.profile, consent_statistics=latest.consents.statistics,
                                         consent_advisor=True, stage=stage.value, firm_id=latest.firm_id, synthetic=latest.synthetic)
        copied = copy_answers(latest.answers, instrument)
        if copied:
            self.repo.save_answers(new.assessment_id, dict(copied), step=None)
        self.access.log(principal, "change", assessment_id=new.assessment_id, firm_id=latest.firm_id,
                        detail={"start_stage": stage.value, "from": latest.id})
        return new

    def comparison(self, principal: Principal, assessment_id: str,
                   percentile_of: Callable[[float | None], float | None] | None = None) -> Comparison | None:
        """The firm's T0 against its newest later stage (None when there is only one stage)."""
        chain = self.firm_assessments(principal, assessment_id)
        t0 = next((a for a in chain if a.stage == Stage.T0), None)
        later = [a for a in chain if a.stage != Stage.T0]
        if t0 is None or not later:
            return None
        after = later[-1]
        done = tuple(i.action_id for i in self.store.plan(t0.id) if i.status == "done")
        self.access.log(principal, "view", assessment_id=after.id, firm_id=after.firm_id, detail={"comparison": t0.id})
        return compare(t0, self.repo.instrument_for(t0), after, self.repo.instrument_for(after), actions_done=done,
                       percentile_of=percentile_of)


__all__ = ["AdvisorService", "CaseFilter", "GuidedWriter", "LinkOutcome", "QuestionNotes", "filter_cases"]
