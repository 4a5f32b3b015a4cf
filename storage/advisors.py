"""Advisor workspace, minimal: advisors, their client firms, and notes on assessments.

An advisor sees a client's assessment, and may write notes on it, only while the firm is assigned
to them and that assessment has ``consent_advisor`` set. Notes written by the firm itself
(``advisor_id`` None) need no consent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, Select, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import WRITE
from storage.models import Advisor, AdvisorClient, Assessment, Firm, Note, table
from storage.views import AssessmentNotFound

MAX_NOTE_CHARS = 10_000
A = table(Assessment)
ADVISOR = table(Advisor)
CLIENT = table(AdvisorClient)
NOTE = table(Note)
FIRM = table(Firm)


@dataclass(frozen=True)
class NoteView:
    id: int
    assessment_id: str
    question_id: str | None  # None: a note on the whole assessment
    advisor_id: str | None  # None: written by the firm
    body: str
    created_at: datetime
    updated_at: datetime


class AdvisorStore:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]):
        self.engine = engine
        self.clock = clock
        self._write = engine.execution_options(**WRITE)  # reads then writes: BEGIN IMMEDIATE on SQLite

    def add_advisor(self, email: str, display_name: str, organisation: str = "") -> str:
        email = email.strip().lower()
        if "@" not in email or not display_name.strip():
            raise ValueError("an advisor needs an e-mail address and a name")
        advisor_id = str(uuid.uuid4())
        try:
            with self._write.begin() as conn:
                conn.execute(insert(ADVISOR).values(id=advisor_id, email=email, display_name=display_name.strip(),
                                                    organisation=organisation.strip(), active=True, created_at=self.clock()))
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

    def notes(self, assessment_id: str) -> list[NoteView]:
        query = select(NOTE).where(NOTE.c.assessment_id == assessment_id).order_by(NOTE.c.created_at, NOTE.c.id)
        with self.engine.connect() as conn:
            return [NoteView(r.id, r.assessment_id, r.question_id, r.advisor_id, r.body, r.created_at, r.updated_at)
                    for r in conn.execute(query)]


def _visible(advisor_id: str) -> Select[str]:
    return (select(A.c.id).join(CLIENT, CLIENT.c.firm_id == A.c.firm_id)
            .where(CLIENT.c.advisor_id == advisor_id, CLIENT.c.ended_at.is_(None), A.c.consent_advisor.is_(True)))
