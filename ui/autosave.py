"""Autosave off the critical path, never lost.

An answer click is saved by a worker thread while its question is drawn again (on a loaded
machine the SQLite write, with its fsync, was most of the server's time per click). Never lost:

- the working copy (``Draft.answers``) holds every answer at once, and ``Draft.pending`` the
  ones not yet confirmed written; a failed write keeps them there and sets ``Draft.save_error``;
- one write per assessment at a time, in order: each new change first collects the previous
  write (``settle``), so its failure is known, and shown, by that run;
- every full run (``session.guard_draft``, from the router) and every move between steps settle
  first; a question's fragment run checks, without waiting, whether its write already finished;
- a server stopped normally finishes the writes in flight (``concurrent.futures`` joins its
  workers at exit);
- guided sessions (checked and logged by the advisor service) and completed assessments (a real
  change reopens them, which the firm is told at once) are saved before the page is drawn, as before.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from domain import Status

if TYPE_CHECKING:
    from domain import Assessment
    from storage.repository import Repository
    from ui.session import Draft

_WRITERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="autosave")


def in_background(draft: Draft) -> bool:
    """Whether this draft's answer changes are written by a worker."""
    return draft.writer is None and draft.status != Status.COMPLETED


def submit(draft: Draft, repository: Repository, changes: dict[str, Any]) -> None:
    """Write ``changes`` (with any earlier ones not written yet) in the background."""
    settle(draft)
    draft.pending.update(changes)
    batch = dict(draft.pending)
    draft.inflight = _WRITERS.submit(_write, repository, draft.assessment_id, batch)


def _write(repository: Repository, assessment_id: str, batch: dict[str, Any]) -> tuple[Assessment, dict[str, Any]]:
    return repository.save_answers(assessment_id, batch), batch


def settle(draft: Draft) -> None:
    """Wait for the write in flight, if any, and record its outcome on the draft."""
    from sqlalchemy.exc import SQLAlchemyError

    from scoring.answers import InvalidAnswers
    from storage import AssessmentNotFound

    future: Future[tuple[Assessment, dict[str, Any]]] | None = draft.inflight
    if future is None:
        return
    draft.inflight = None
    try:
        view, batch = future.result()
    except (InvalidAnswers, AssessmentNotFound, SQLAlchemyError) as exc:  # kept in ``pending``; the firm is told
        draft.save_error = type(exc).__name__
        return
    written(draft, batch)
    draft.saved, draft.save_error = view, None


def finished(draft: Draft) -> bool:
    """Whether no write is in flight any more (never waits)."""
    return draft.inflight is None or draft.inflight.done()


def written(draft: Draft, changes: dict[str, Any]) -> None:
    """Forget the pending answers ``changes`` wrote (a newer value for the same question stays)."""
    for question_id, value in changes.items():
        if question_id in draft.pending and draft.pending[question_id] == value:
            del draft.pending[question_id]
