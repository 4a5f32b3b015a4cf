"""Advisor workspace: advisors, their client firms (caseload, reassignment), per-question notes
(private or shared) and the agreed action plan.

An advisor sees a client's assessment, and may write notes on it, only while the firm is assigned
to them and that assessment has ``consent_advisor`` set. Notes written by the firm itself
(``advisor_id`` None) need no consent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import Engine, Select, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import WRITE
from storage.models import ActionPlanItem, Advisor, AdvisorClient, Assessment, Firm, Note, table
from storage.views import AssessmentNotFound

MAX_NOTE_CHARS = 10_000
A = table(Assessment)
ADVISOR = table(Advisor)
CLIENT = table(AdvisorClient)
NOTE = table(Note)
FIRM = table(Firm)
PLAN = table(ActionPlanItem)
VISIBILITIES = ("private", "shared")


@dataclass(frozen=True)
class NoteView:
    id: int
    assessment_id: str
    question_id: str | None  # None: a note on the whole assessment
    advisor_id: str | None  # None: written by the firm
    body: str
    created_at: datetime
    updated_at: datetime
    visibility: str = "private"


@dataclass(frozen=True)
class AdvisorRow:
    id: str
    user_id: str | None
    email: str
    display_name: str
    organisation: str
    active: bool


@dataclass(frozen=True)
class CaseRow:
    """One current client in an advisor's caseload: its newest assessment the advisor may see."""

    firm_id: str
    assessment_id: str
    name: str
    sector: str
    size: str
    region: str
    stage: str
    status: str
    overall: float | None
    updated_at: datetime
    assessments: int  # visible assessments of this firm (T0, T1, ...)
    synthetic: bool = False  # demonstration data (``seed-demo --with-workspace``): labelled wherever shown


@dataclass(frozen=True)
class AccessFacts:
    advisor_id: str
    firm_id: str
    current_client: bool
    consent_advisor: bool


@dataclass(frozen=True)
class PlanItem:
    action_id: str
    owner: str  # "firm" or "advisor"
    due_on: date | None = None
    comment: str = ""
    status: str = "planned"  # planned, in_progress, done


@dataclass(frozen=True)
class ClientRow:
    advisor_id: str
    firm_id: str
    name: str
    sector: str
    region: str
    since: datetime


class AdvisorStore:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]):
        self.engine = engine
        self.clock = clock
        self._write = engine.execution_options(**WRITE)  # reads then writes: BEGIN IMMEDIATE on SQLite

    def add_advisor(self, email: str, display_name: str, organisation: str = "", *, user_id: str | None = None) -> str:
        email = email.strip().lower()
        if "@" not in email or not display_name.strip():
            raise ValueError("an advisor needs an e-mail address and a name")
        advisor_id = str(uuid.uuid4())
        try:
            with self._write.begin() as conn:
                conn.execute(insert(ADVISOR).values(id=advisor_id, email=email, display_name=display_name.strip(),
                                                    organisation=organisation.strip(), active=True, created_at=self.clock(),
                                                    user_id=user_id))
        except IntegrityError as exc:
            raise ValueError(f"an advisor with e-mail {email!r} already exists") from exc
        return advisor_id

    def assign_client(self, advisor_id: str, firm_id: str) -> None:
        """Make ``firm_id`` a current client of ``advisor_id`` (again, if the assignment had ended)."""
        with self._write.begin() as conn:
            for checked, key in ((ADVISOR, advisor_id), (FIRM, firm_id)):
                if conn.execute(select(checked.c.id).where(checked.c.id == key)).first() is None:
                    raise KeyError(f"no {checked.name} {key!r}")
            reopened = conn.execute(update(CLIENT).where(CLIENT.c.advisor_id == advisor_id, CLIENT.c.firm_id == firm_id)
                                    .values(ended_at=None)).rowcount
            if not reopened:
                conn.execute(insert(CLIENT).values(advisor_id=advisor_id, firm_id=firm_id, created_at=self.clock()))

    def end_assignment(self, advisor_id: str, firm_id: str) -> None:
        with self._write.begin() as conn:
            conn.execute(update(CLIENT).where(CLIENT.c.advisor_id == advisor_id, CLIENT.c.firm_id == firm_id,
                                              CLIENT.c.ended_at.is_(None)).values(ended_at=self.clock()))

    def visible_assessment_ids(self, advisor_id: str) -> list[str]:
        """Assessments of the advisor's current clients that consented to sharing, newest first."""
        with self.engine.connect() as conn:
            return list(conn.execute(_visible(advisor_id).order_by(A.c.updated_at.desc())).scalars())

    def add_note(self, assessment_id: str, body: str, *, question_id: str | None = None,
                 advisor_id: str | None = None) -> NoteView:
        body = body.strip()
        if not body or len(body) > MAX_NOTE_CHARS:
            raise ValueError(f"a note needs between 1 and {MAX_NOTE_CHARS} characters")
        now = self.clock()
        with self._write.begin() as conn:
            if conn.execute(select(A.c.id).where(A.c.id == assessment_id)).first() is None:
                raise AssessmentNotFound(assessment_id)
            visible = _visible(advisor_id).where(A.c.id == assessment_id) if advisor_id is not None else None
            if visible is not None and conn.execute(visible).first() is None:
                raise PermissionError("this advisor may not see this assessment (no consent or not a current client)")
            note_id: int = conn.execute(insert(NOTE).values(assessment_id=assessment_id, question_id=question_id, advisor_id=advisor_id,
                                                       body=body, created_at=now, updated_at=now).returning(NOTE.c.id)).scalar_one()
        return NoteView(note_id, assessment_id, question_id, advisor_id, body, now, now)

    def notes(self, assessment_id: str, visibility: str | None = None) -> list[NoteView]:
        query = select(NOTE).where(NOTE.c.assessment_id == assessment_id).order_by(NOTE.c.created_at, NOTE.c.id)
        if visibility is not None:
            query = query.where(NOTE.c.visibility == visibility)
        with self.engine.connect() as conn:
            return [NoteView(r.id, r.assessment_id, r.question_id, r.advisor_id, r.body, r.created_at, r.updated_at, r.visibility)
                    for r in conn.execute(query)]

    def set_note(self, assessment_id: str, advisor_id: str, question_id: str | None, visibility: str, body: str) -> None:
        """The advisor's one note of this visibility on this question: written, replaced, or
        removed when ``body`` is blank. Access is checked by the caller (services.advisor)."""
        if visibility not in VISIBILITIES:
            raise ValueError(f"visibility must be one of {VISIBILITIES}")
        body = body.strip()
        if len(body) > MAX_NOTE_CHARS:
            raise ValueError(f"a note has at most {MAX_NOTE_CHARS} characters")
        now = self.clock()
        where = and_(NOTE.c.assessment_id == assessment_id, NOTE.c.advisor_id == advisor_id, NOTE.c.visibility == visibility,
                     NOTE.c.question_id.is_(None) if question_id is None else NOTE.c.question_id == question_id)
        with self._write.begin() as conn:
            if not body:
                conn.execute(delete(NOTE).where(where))
            elif not conn.execute(update(NOTE).where(where).values(body=body, updated_at=now)).rowcount:
                conn.execute(insert(NOTE).values(assessment_id=assessment_id, question_id=question_id, advisor_id=advisor_id,
                                                 visibility=visibility, body=body, created_at=now, updated_at=now))

    # ---- advisors, access facts, caseload ----------------------------------------------------------
    def advisor_for_user(self, user_id: str) -> AdvisorRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(ADVISOR).where(ADVISOR.c.user_id == user_id)).mappings().first()
        return None if row is None else AdvisorRow(row["id"], row["user_id"], row["email"], row["display_name"], row["organisation"],
                                                   row["active"])

    def advisors(self) -> list[AdvisorRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(ADVISOR).order_by(ADVISOR.c.display_name)).mappings().all()
        return [AdvisorRow(r["id"], r["user_id"], r["email"], r["display_name"], r["organisation"], r["active"]) for r in rows]

    def link_user(self, advisor_id: str, user_id: str | None, organisation: str | None = None) -> None:
        values: dict[str, str | None] = {"user_id": user_id}
        if organisation is not None:
            values["organisation"] = organisation.strip()
        with self._write.begin() as conn:
            conn.execute(update(ADVISOR).where(ADVISOR.c.id == advisor_id).values(**values))

    def access_facts(self, advisor_id: str, assessment_id: str) -> AccessFacts | None:
        """Whether this advisor's assignment to the assessment's firm is current and the assessment
        consents, in one query; None when the assessment does not exist."""
        query = (select(A.c.firm_id, A.c.consent_advisor, CLIENT.c.advisor_id, CLIENT.c.ended_at)
                 .select_from(A.outerjoin(CLIENT, and_(CLIENT.c.firm_id == A.c.firm_id, CLIENT.c.advisor_id == advisor_id)))
                 .where(A.c.id == assessment_id))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return AccessFacts(advisor_id, row.firm_id, row.advisor_id is not None and row.ended_at is None, bool(row.consent_advisor))

    def caseload(self, advisor_id: str) -> list[CaseRow]:
        """The advisor's current clients that have at least one consenting assessment, each with
        its newest such assessment (the profile as answered there), newest change first."""
        query = (select(A.c.id, A.c.firm_id, A.c.firm_name, A.c.sector, A.c.size, A.c.region, A.c.stage, A.c.status, A.c.overall,
                        A.c.updated_at, A.c.synthetic)
                 .join(CLIENT, CLIENT.c.firm_id == A.c.firm_id)
                 .where(CLIENT.c.advisor_id == advisor_id, CLIENT.c.ended_at.is_(None), A.c.consent_advisor.is_(True)))
        newest: dict[str, CaseRow] = {}
        counts: dict[str, int] = {}
        with self.engine.connect() as conn:
            for r in conn.execute(query):
                counts[r.firm_id] = counts.get(r.firm_id, 0) + 1
                seen = newest.get(r.firm_id)
                if seen is None or r.updated_at > seen.updated_at:
                    newest[r.firm_id] = CaseRow(r.firm_id, r.id, r.firm_name, r.sector, r.size, r.region, r.stage, r.status, r.overall,
                                                r.updated_at, 0, bool(r.synthetic))
        cases = [replace(c, assessments=counts[c.firm_id]) for c in newest.values()]
        return sorted(cases, key=lambda c: c.updated_at, reverse=True)

    def clients(self, advisor_id: str | None = None) -> list[ClientRow]:
        """Current assignments (firm identity only, no assessment content), for reassignment."""
        query = (select(CLIENT.c.advisor_id, CLIENT.c.firm_id, FIRM.c.name, FIRM.c.sector, FIRM.c.region, CLIENT.c.created_at)
                 .join(FIRM, FIRM.c.id == CLIENT.c.firm_id).where(CLIENT.c.ended_at.is_(None)).order_by(FIRM.c.name))
        if advisor_id is not None:
            query = query.where(CLIENT.c.advisor_id == advisor_id)
        with self.engine.connect() as conn:
            return [ClientRow(r.advisor_id, r.firm_id, r.name, r.sector, r.region, r.created_at) for r in conn.execute(query)]

    def reassign(self, firm_id: str, from_advisor: str, to_advisor: str) -> None:
        """End one assignment and start the other in one transaction (history kept)."""
        with self._write.begin() as conn:
            ended = conn.execute(update(CLIENT).where(CLIENT.c.advisor_id == from_advisor, CLIENT.c.firm_id == firm_id,
                                                      CLIENT.c.ended_at.is_(None)).values(ended_at=self.clock())).rowcount
            if not ended:
                raise KeyError(f"firm {firm_id!r} is not a current client of {from_advisor!r}")
            if conn.execute(select(ADVISOR.c.id).where(ADVISOR.c.id == to_advisor)).first() is None:
                raise KeyError(f"no advisor {to_advisor!r}")
            if not conn.execute(update(CLIENT).where(CLIENT.c.advisor_id == to_advisor, CLIENT.c.firm_id == firm_id)
                                .values(ended_at=None, created_at=self.clock())).rowcount:
                conn.execute(insert(CLIENT).values(advisor_id=to_advisor, firm_id=firm_id, created_at=self.clock()))

    # ---- the agreed plan ---------------------------------------------------------------------------
    def save_plan(self, assessment_id: str, items: Sequence[PlanItem]) -> None:
        """Replace the assessment's plan by ``items``, in this order."""
        now = self.clock()
        with self._write.begin() as conn:
            conn.execute(delete(PLAN).where(PLAN.c.assessment_id == assessment_id))
            for position, item in enumerate(items):
                conn.execute(insert(PLAN).values(assessment_id=assessment_id, action_id=item.action_id, position=position,
                                                 owner=item.owner, due_on=item.due_on, comment=item.comment.strip()[:MAX_NOTE_CHARS],
                                                 status=item.status, updated_at=now))

    def plan(self, assessment_id: str) -> list[PlanItem]:
        query = select(PLAN).where(PLAN.c.assessment_id == assessment_id).order_by(PLAN.c.position)
        with self.engine.connect() as conn:
            return [PlanItem(r.action_id, r.owner, r.due_on, r.comment, r.status) for r in conn.execute(query)]


def _visible(advisor_id: str) -> Select[str]:
    return (select(A.c.id).join(CLIENT, CLIENT.c.firm_id == A.c.firm_id)
            .where(CLIENT.c.advisor_id == advisor_id, CLIENT.c.ended_at.is_(None), A.c.consent_advisor.is_(True)))
