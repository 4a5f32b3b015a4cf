"""The repository: every read and write of assessments goes through here (no UI code).

Each write is one transaction. Read-modify-write transactions (autosave merge, resume attempts)
lock before reading: ``BEGIN IMMEDIATE`` on SQLite (see storage.db), ``SELECT ... FOR UPDATE`` on
PostgreSQL, so concurrent autosaves into one assessment never lose each other's answers.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sqlalchemy import ColumnElement, Connection, Engine, RowMapping, delete, exists, insert, select, text, update

from domain import AnswerValue, Consents, JsonDoc, JsonValue, MutableAnswers, Profile, Stage, Status
from domain.values import frozen_answers
from questionnaires.registry import Instrument
from questionnaires.segments import load_segments
from scoring.answers import InvalidAnswers, check_answers, check_profile
from scoring.result import Result
from storage.advisors import AdvisorStore
from storage.codes import code_hash, new_code
from storage.db import WRITE
from storage.erasure import truncate_wal
from storage.models import STAGES, AdvisorClient, Assessment, AssessmentLog, Firm, ResumeCredential, ResumeFailure, table
from storage.statistics import StatisticsStore
from storage.throttle import ADDRESS_MAX_FAILURES, FAILURE_WINDOW, MAX_FAILURES, address_key, record_failure, wait_seconds
from storage.users import UserStore
from storage.views import (
    AssessmentNotFound,
    AssessmentView,
    MixedSyntheticData,
    NewAssessment,
    SyntheticCompleted,
    TooManyAttempts,
    UnknownInstrument,
)

DRAFT_RETENTION = timedelta(days=180)  # drafts untouched this long are purged (privacy page)
BULK_CHUNK = 2000
MANY_IDS = 2000  # completed_answers: above this many ids, scan once instead of querying by id

A = table(Assessment)
F = table(Firm)
LOG = table(AssessmentLog)
CRED = table(ResumeCredential)
FAIL = table(ResumeFailure)
CLIENT = table(AdvisorClient)

VIEW_COLUMNS = {f.name for f in fields(AssessmentView)} - {"profile", "consents"}
CONSENT_COLUMNS = ("consent_statistics", "consent_advisor")
T = TypeVar("T")
SCORE_COLUMNS = ["assessment_id", "firm_id", "questionnaire_id", "sector", "size", "region", "synthetic", "stage",
                 "completed_at", "overall", "level", "dii_score"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Repository:
    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self.clock = clock
        self._write = engine.execution_options(**WRITE)
        self._instruments: dict[str, Instrument] = {}
        self.advisors = AdvisorStore(engine, lambda: self.clock())
        self.users = UserStore(engine, lambda: self.clock())  # accounts, sessions, access log (storage/users.py)
        self.statistics = StatisticsStore(engine)  # release cubes and frozen releases (storage/statistics.py)

    # ---- instruments -------------------------------------------------------------------------
    def register_instrument(self, instrument: Instrument) -> None:
        """Make an instrument known by its content hash (done by start_assessment; needed for
        instruments outside questionnaires/, e.g. test fixtures, in a fresh process)."""
        self._instruments[instrument.content_hash] = instrument

    def instrument_for(self, view: AssessmentView) -> Instrument:
        return self._instrument(view.questionnaire_id, view.questionnaire_version, view.content_hash)

    def _instrument(self, questionnaire_id: str, version: str, digest: str) -> Instrument:
        """The exact instrument by hash; else the same id and version (its wording was corrected
        since): answers are re-validated against it, so nothing invalid can be stored either way."""
        if digest not in self._instruments:
            from questionnaires.registry import all_instruments

            known = all_instruments()
            found = next((i for i in known if i.content_hash == digest), None) or next(
                (i for i in known if i.key == (questionnaire_id, version)), None)
            if found is None:
                raise UnknownInstrument(f"questionnaire {questionnaire_id} {version} ({digest[:12]}) is not available")
            self._instruments[digest] = found
        return self._instruments[digest]

    # ---- starting, resuming, loading -----------------------------------------------------------
    def start_assessment(self, instrument: Instrument, profile: Profile, *, consent_statistics: bool = False,
                         consent_advisor: bool = False, stage: str = "T0", synthetic: bool = False,
                         firm_id: str | None = None) -> NewAssessment:
        _check_profile(profile)
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}; expected one of {list(STAGES)}")
        self.register_instrument(instrument)
        now, assessment_id, code = self.clock(), str(uuid.uuid4()), new_code()
        q = instrument.questionnaire
        with self._write.begin() as conn:
            firm_id = self._upsert_firm(conn, firm_id, profile, synthetic, now)
            baseline = None if stage == "T0" else conn.execute(
                select(A.c.id).where(A.c.firm_id == firm_id, A.c.stage == "T0").order_by(A.c.created_at.desc()).limit(1)).scalar()
            conn.execute(insert(A).values(
                id=assessment_id, firm_id=firm_id, baseline_id=baseline, questionnaire_id=q.id, questionnaire_version=q.version,
                content_hash=instrument.content_hash, **_profile_columns(profile), answers={}, status="draft", stage=stage,
                consent_statistics=consent_statistics, consent_advisor=consent_advisor, synthetic=synthetic, revision=0,
                created_at=now, updated_at=now, expires_at=now + DRAFT_RETENTION))
            conn.execute(insert(CRED).values(code_hash=code_hash(code), assessment_id=assessment_id, created_at=now))
            self._log(conn, assessment_id, 0, now, "start", None, {"stage": stage, "consent_statistics": consent_statistics,
                                                                   "consent_advisor": consent_advisor})
        return NewAssessment(assessment_id, code)

    def _upsert_firm(self, conn: Connection, firm_id: str | None, profile: Profile, synthetic: bool, now: datetime) -> str:
        firm = {"name": profile.name, "sector": profile.sector, "size": profile.size, "region": profile.region, "updated_at": now}
        if firm_id is None:
            firm_id = str(uuid.uuid4())
            conn.execute(insert(F).values(id=firm_id, synthetic=synthetic, created_at=now, **firm))
            return firm_id
        _check_same_kind(conn, firm_id, synthetic)
        conn.execute(update(F).where(F.c.id == firm_id).values(**firm))
        return firm_id

    def resume(self, code: str, *, client_key: str = "global", client_address: str | None = None) -> AssessmentView | None:
        """The assessment this code opens, or None for any wrong code (unknown or malformed alike).

        Raises TooManyAttempts while ``client_key`` (the browser session) is locked out by its own
        wrong codes, or for a wrong code from a ``client_address`` that sent too many; a right code
        from that address still opens (storage.throttle explains why)."""
        with self._write.begin() as conn:
            assessment_id, wait = self._check_code(conn, code, client_key, client_address)
            view = None
            if assessment_id is not None:
                conn.execute(update(CRED).where(CRED.c.code_hash == code_hash(code)).values(last_used_at=self.clock()))
                view = self._view(conn, assessment_id)
        if wait:
            raise TooManyAttempts(wait)  # after the commit, so the failure stays counted
        return view

    def _check_code(self, conn: Connection, code: str, client_key: str, client_address: str | None) -> tuple[str | None, float]:
        """(the assessment id or None, seconds to tell a throttled address to wait after a wrong code)."""
        now, session_key, ip_key = self.clock(), client_key[:128], address_key(client_address)
        session_wait = wait_seconds(conn, session_key, now, MAX_FAILURES)
        if session_wait > 0:
            raise TooManyAttempts(session_wait)
        assessment_id: str | None = conn.execute(select(CRED.c.assessment_id).where(CRED.c.code_hash == code_hash(code))).scalar()
        if assessment_id is not None:
            return assessment_id, 0.0
        address_wait = wait_seconds(conn, ip_key, now, ADDRESS_MAX_FAILURES) if ip_key else 0.0
        record_failure(conn, [session_key, *([ip_key] if ip_key else [])], now)
        return None, address_wait

    def load(self, assessment_id: str) -> AssessmentView:
        with self.engine.connect() as conn:
            return self._view(conn, assessment_id)

    def _view(self, conn: Connection, assessment_id: str, *, lock: bool = False) -> AssessmentView:
        query = select(A).where(A.c.id == assessment_id)
        row = conn.execute(query.with_for_update() if lock else query).mappings().first()
        if row is None:
            raise AssessmentNotFound(assessment_id)
        return _to_view(row)

    # ---- changing an assessment ------------------------------------------------------------------
    def save_answers(self, assessment_id: str, changes: dict[str, AnswerValue | None], *, step: str | None = None) -> AssessmentView:
        """Merge ``changes`` into the stored answers (None removes an answer) in one transaction.

        The changed answers are checked against the assessment's instrument first; on any problem
        InvalidAnswers is raised and nothing is saved. Saving a real change into a completed
        assessment reopens it as a draft (its result snapshot is dropped until ``complete`` is
        called again); saving the answers it already holds changes nothing."""
        if not isinstance(changes, dict) or not all(isinstance(k, str) for k in changes):
            raise TypeError("changes must be a dict of question id -> answer")
        # Checked before taking the write lock (an assessment's instrument never changes), so
        # concurrent autosaves wait for each other as briefly as possible.
        errors = check_answers(self._instrument_of(assessment_id).questionnaire,
                               {k: v for k, v in changes.items() if v is not None})
        if errors:
            raise InvalidAnswers(errors)
        with self._write.begin() as conn:
            current = self._view(conn, assessment_id, lock=True)
            if not changes:
                return current
            answers = {k: v for k, v in {**current.answers, **changes}.items() if v is not None}
            if current.status == "completed" and answers == dict(current.answers):
                return current  # browsing a completed assessment (Next, Back) changes nothing, nor reopens it
            return self._change(conn, current, "answers", step, changes, self.clock(), answers=answers)

    def _instrument_of(self, assessment_id: str) -> Instrument:
        with self.engine.connect() as conn:
            key = conn.execute(select(A.c.questionnaire_id, A.c.questionnaire_version, A.c.content_hash)
                               .where(A.c.id == assessment_id)).first()
        if key is None:
            raise AssessmentNotFound(assessment_id)
        return self._instrument(key.questionnaire_id, key.questionnaire_version, key.content_hash)

    def update_profile(self, assessment_id: str, profile: Profile, *, consent_statistics: bool,
                       consent_advisor: bool) -> AssessmentView:
        _check_profile(profile)
        with self._write.begin() as conn:
            current = self._view(conn, assessment_id, lock=True)
            self._upsert_firm(conn, current.firm_id, profile, current.synthetic, self.clock())
            values: dict[str, str | bool] = {**_profile_columns(profile), "consent_statistics": consent_statistics,
                                             "consent_advisor": consent_advisor}
            logged = {k: v for k, v in values.items() if k != "firm_name"} | {"name_changed": profile.name != current.profile.name}
            return self._change(conn, current, "profile", None, logged, self.clock(), **values)

    def complete(self, assessment_id: str, result: Result | JsonDoc) -> AssessmentView:
        """Mark completed and keep a snapshot of the result (overall, dimensions, modules, DII)."""
        snapshot = result.to_json() if isinstance(result, Result) else result
        with self._write.begin() as conn:
            current = self._view(conn, assessment_id, lock=True)
            now = self.clock()
            return self._change(conn, current, "complete", None, {"overall": snapshot["overall"]}, now,
                                status="completed", completed_at=now, expires_at=None, **_result_columns(snapshot))

    def _change(self, conn: Connection, current: AssessmentView, kind: str, step: str | None, logged: JsonDoc,
                now: datetime, **values: Any) -> AssessmentView:
        """Apply ``values`` to the row, bump the revision and append one log row."""
        revision = current.revision + 1
        values = {"revision": revision, "updated_at": now, **values}
        if kind != "complete":
            values["expires_at"] = now + DRAFT_RETENTION
            if current.status == "completed" and kind == "answers":
                values.update(status="draft", completed_at=None, **_result_columns(None))
        conn.execute(update(A).where(A.c.id == current.id).values(**values))
        self._log(conn, current.id, revision, now, kind, step, logged)
        return _updated_view(current, values)

    @staticmethod
    def _log(conn: Connection, assessment_id: str, revision: int, at: datetime, kind: str, step: str | None,
             changes: JsonDoc) -> None:
        conn.execute(insert(LOG).values(assessment_id=assessment_id, revision=revision, at=at, kind=kind, step=step,
                                        changes=changes))

    # ---- deleting and retention --------------------------------------------------------------------
    def delete_with_code(self, code: str, *, client_key: str = "global", client_address: str | None = None) -> bool:
        """Delete the assessment this code opens with its answers, log, notes and credentials (and
        the firm if nothing else refers to it). False for a wrong code; rate-limited like resume."""
        with self._write.begin() as conn:
            assessment_id, wait = self._check_code(conn, code, client_key, client_address)
            if assessment_id is not None:
                firm_id: str = conn.execute(select(A.c.firm_id).where(A.c.id == assessment_id)).scalar_one()
                conn.execute(delete(A).where(A.c.id == assessment_id))  # log, credentials, notes: ON DELETE CASCADE
                self._delete_orphan_firms(conn, [firm_id])
        if wait:
            raise TooManyAttempts(wait)
        if assessment_id is None:
            return False
        self._after_delete()
        return True

    def _after_delete(self) -> None:
        """Leave nothing of the deleted rows in SQLite's WAL (storage.erasure)."""
        truncate_wal(self.engine)

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete drafts whose ``expires_at`` has passed, and stale failed-attempt records."""
        now = now or self.clock()
        if now.tzinfo is None:
            raise ValueError("purge_expired needs a timezone-aware time, e.g. datetime.now(UTC); got a naive one")
        with self._write.begin() as conn:
            expired = select(A.c.id, A.c.firm_id).where(A.c.status == "draft", A.c.expires_at < now)
            rows = conn.execute(expired).all()
            for chunk in _chunks([r.id for r in rows], 500):
                conn.execute(delete(A).where(A.c.id.in_(chunk)))
            self._delete_orphan_firms(conn, list({r.firm_id for r in rows}))
            conn.execute(delete(FAIL).where(FAIL.c.at < now - FAILURE_WINDOW))
        if rows:
            self._after_delete()
        return len(rows)

    @staticmethod
    def _delete_orphan_firms(conn: Connection, firm_ids: list[str]) -> None:
        """Firms left without any assessment or advisor assignment."""
        for chunk in _chunks(firm_ids, 500):
            conn.execute(delete(F).where(F.c.id.in_(chunk), ~exists().where(A.c.firm_id == F.c.id),
                                         ~exists().where(CLIENT.c.firm_id == F.c.id)))

    # ---- statistics and peers --------------------------------------------------------------------
    def _completed(self, *, consented_only: bool, synthetic: bool | None, questionnaire_id: str | None) -> list[ColumnElement[bool]]:
        conditions = [A.c.status == "completed"]
        if consented_only:
            conditions.append(A.c.consent_statistics.is_(True))
        if synthetic is not None:
            conditions.append(A.c.synthetic.is_(synthetic))
        if questionnaire_id is not None:
            conditions.append(A.c.questionnaire_id == questionnaire_id)
        return conditions

    def completed_scores(self, *, consented_only: bool = True, synthetic: bool | None = False,
                         questionnaire_id: str | None = None) -> pd.DataFrame:
        """One row per completed assessment: ids, profile, stage, completion time, overall, level,
        DII score and one column per dimension id. ``synthetic=None`` means real and synthetic."""
        columns = [A.c.id.label("assessment_id"), *(A.c[c] for c in SCORE_COLUMNS[1:]), A.c.dimension_scores]
        query = select(*columns).where(*self._completed(consented_only=consented_only, synthetic=synthetic,
                                                         questionnaire_id=questionnaire_id)).order_by(A.c.completed_at, A.c.id)
        with self.engine.connect() as conn, _collector_paused():
            rows = conn.execute(query).all()
        base = pd.DataFrame([r[:-1] for r in rows], columns=SCORE_COLUMNS)
        dims = pd.DataFrame([r[-1] or {} for r in rows], index=base.index, dtype="float64")
        frame = pd.concat([base, dims], axis=1)
        frame["overall"] = frame["overall"].astype("float64")
        frame["dii_score"] = frame["dii_score"].astype("Int64")
        return frame

    def completed_dimension_matrix(self, dimensions: Sequence[str], *, consented_only: bool = True, synthetic: bool | None = False,
                                   questionnaire_id: str | None = None) -> NDArray[np.float64]:
        """The ``dimensions`` columns of ``completed_scores`` (same rows, same order, NaN where a
        score is missing) as one float matrix, extracted by the database: what an archetype model is
        fitted on, without building a data frame from every row's JSON."""
        columns = [A.c.dimension_scores[d].as_float() for d in dimensions]
        query = select(*columns).where(*self._completed(consented_only=consented_only, synthetic=synthetic,
                                                         questionnaire_id=questionnaire_id)).order_by(A.c.completed_at, A.c.id)
        with self.engine.connect() as conn, _collector_paused():
            rows = conn.execute(query).all()
        return np.array(rows, dtype=float).reshape(len(rows), len(dimensions))

    def completed_answers(self, ids: list[str] | None = None, *, consented_only: bool = True, synthetic: bool | None = False,
                          questionnaire_id: str | None = None) -> list[tuple[str, Profile, MutableAnswers]]:
        """(assessment id, profile without the firm's name, answers) of completed assessments,
        optionally only ``ids``; in no particular order. Reading every answer set costs a JSON parse each (about 1 s per 10k on this
        machine), so pass ``ids`` when only some peers are needed."""
        conditions = self._completed(consented_only=consented_only, synthetic=synthetic, questionnaire_id=questionnaire_id)
        columns = (A.c.id, A.c.sector, A.c.size, A.c.region, A.c.answers)
        wanted = None if ids is None else set(ids)
        # Many ids: one scan filtered here beats hundreds of IN (...) queries.
        chunks: Iterable[list[str] | None] = [None] if wanted is None or len(wanted) > MANY_IDS else _chunks(sorted(wanted), 500)
        out: list[tuple[str, Profile, MutableAnswers]] = []
        with self.engine.connect() as conn, _collector_paused():
            for chunk in chunks:
                where = conditions if chunk is None else [*conditions, A.c.id.in_(chunk)]
                out.extend((r.id, Profile(r.sector, r.size, r.region), r.answers)
                           for r in conn.execute(select(*columns).where(*where)) if wanted is None or r.id in wanted)
        return out

    def add_completed_bulk(self, rows: Iterable[SyntheticCompleted]) -> int:
        """Insert synthetic completed assessments in large batches (demo data); returns the count.

        Every row is checked like a real submission; the first bad row stops the batch it is in
        with InvalidAnswers naming its position, and earlier batches stay saved."""
        segments, total, now = load_segments(), 0, self.clock()
        for chunk in _chunks(rows, BULK_CHUNK):
            firms: list[dict[str, object]] = []
            assessments: list[dict[str, object]] = []
            for position, row in enumerate(chunk, start=total):
                errors = check_profile(row.profile, segments) + check_answers(row.instrument.questionnaire, row.answers)
                if errors:
                    raise InvalidAnswers([type(e)(f"row {position}: {e.question}", e.message) for e in errors])
                firm_id = row.firm_id or str(uuid.uuid4())
                if row.firm_id is not None:
                    with self.engine.connect() as conn:
                        _check_same_kind(conn, row.firm_id, True)
                else:
                    firms.append({"id": firm_id, "synthetic": True, "created_at": row.completed_at, "updated_at": row.completed_at,
                                  "name": row.profile.name, "sector": row.profile.sector, "size": row.profile.size,
                                  "region": row.profile.region})
                assessments.append(_bulk_assessment(row, firm_id, now))
            with self.engine.begin() as conn:
                if firms:
                    conn.execute(insert(F), firms)
                conn.execute(insert(A), assessments)
            total += len(assessments)
        with self.engine.begin() as conn:
            # Fresh planner statistics, so lookups by id use the primary key, not the status index.
            conn.execute(text("ANALYZE assessment"))
        return total


def _bulk_assessment(row: SyntheticCompleted, firm_id: str, now: datetime) -> dict[str, object]:
    q = row.instrument.questionnaire
    snapshot = row.result.to_json() if isinstance(row.result, Result) else row.result
    return {"id": str(uuid.uuid4()), "firm_id": firm_id, "baseline_id": None, "questionnaire_id": q.id,
            "questionnaire_version": q.version, "content_hash": row.instrument.content_hash, **_profile_columns(row.profile),
            "answers": row.answers, "status": "completed", "stage": row.stage, "consent_statistics": row.consent_statistics,
            "consent_advisor": False, "synthetic": True, "revision": 1, "created_at": row.completed_at,
            "updated_at": row.completed_at, "completed_at": row.completed_at, "expires_at": None, **_result_columns(snapshot)}


def _check_same_kind(conn: Connection, firm_id: str, synthetic: bool) -> None:
    """KeyError for an unknown firm; MixedSyntheticData when the firm is not of the same kind
    (synthetic or real) as the assessment about to be added to it."""
    firm_synthetic = conn.execute(select(F.c.synthetic).where(F.c.id == firm_id)).scalar()
    if firm_synthetic is None:
        raise KeyError(f"no firm {firm_id!r}")
    if bool(firm_synthetic) != synthetic:
        raise MixedSyntheticData(firm_id, bool(firm_synthetic))


def _check_profile(profile: Profile) -> None:
    errors = check_profile(profile, load_segments())
    if errors:
        raise InvalidAnswers(errors)


def _profile_columns(profile: Profile) -> dict[str, str]:
    return {"firm_name": profile.name, "sector": profile.sector, "size": profile.size, "region": profile.region}


def _result_columns(snapshot: JsonDoc | None) -> dict[str, JsonValue]:
    if snapshot is None:
        return {"result": None, "overall": None, "level": None, "dii_score": None, "dii_level": None, "dimension_scores": None}
    dii = snapshot.get("dii")
    if not isinstance(dii, Mapping):
        dii = {}
    return {"result": snapshot, "overall": snapshot.get("overall"), "level": snapshot.get("level"),
            "dii_score": dii.get("score"), "dii_level": dii.get("level"), "dimension_scores": snapshot.get("dimensions") or {}}


def _updated_view(current: AssessmentView, values: Mapping[str, Any]) -> AssessmentView:
    """``current`` with the column ``values`` just written (saves re-reading the row)."""
    changed = {k: v for k, v in values.items() if k in VIEW_COLUMNS}
    if "status" in changed:
        changed["status"] = Status(changed["status"])
    if any(c in values for c in CONSENT_COLUMNS):
        changed["consents"] = Consents(values.get("consent_statistics", current.consents.statistics),
                                       values.get("consent_advisor", current.consents.advisor))
    if "sector" in values:
        changed["profile"] = Profile(values["sector"], values["size"], values["region"], values["firm_name"])
    return replace(current, **changed)


def _to_view(row: RowMapping) -> AssessmentView:
    return AssessmentView(
        id=row["id"], firm_id=row["firm_id"], profile=Profile(row["sector"], row["size"], row["region"], row["firm_name"]),
        answers=frozen_answers(row["answers"] or {}), status=Status(row["status"]), stage=Stage(row["stage"]),
        consents=Consents(row["consent_statistics"], row["consent_advisor"]), synthetic=row["synthetic"],
        questionnaire_id=row["questionnaire_id"], questionnaire_version=row["questionnaire_version"],
        content_hash=row["content_hash"], created_at=row["created_at"], updated_at=row["updated_at"],
        completed_at=row["completed_at"], result=row["result"], revision=row["revision"], expires_at=row["expires_at"],
        baseline_id=row["baseline_id"])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while parsing many JSON documents: each parse allocates
    dicts and lists, which keep triggering full collections over everything already parsed
    (measured: 100k answer sets took 8 s of CPU with the collector, 2.6 s without). The parsed
    data holds no reference cycles, so nothing is left for the collector to find afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
