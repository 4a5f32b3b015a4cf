"""Storage: assessments, resume codes, history and statistics in SQLite or PostgreSQL (no UI code).

``open_repository()`` is the entry point; see README "Storage" for DATABASE_URL and migrations.
Names are imported lazily (PEP 562) so that ``python cli.py`` can register the ``migrate``
command from ``commands.storage`` without importing SQLAlchemy and pandas.
"""

from __future__ import annotations

import importlib
import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the lazy names of _EXPORTS, for type checkers (ruff cannot read the computed __all__)
    from storage.advisors import NoteView  # noqa: F401
    from storage.codes import new_code, normalize  # noqa: F401
    from storage.db import database_url  # noqa: F401
    from storage.repository import DRAFT_RETENTION, Repository  # noqa: F401
    from storage.views import (  # noqa: F401
        AssessmentNotFound,
        AssessmentView,
        MixedSyntheticData,
        NewAssessment,
        StorageUnavailable,
        SyntheticCompleted,
        TooManyAttempts,
        UnknownInstrument,
    )

_EXPORTS = {
    "Repository": "storage.repository", "DRAFT_RETENTION": "storage.repository",
    "AssessmentNotFound": "storage.views", "AssessmentView": "storage.views", "NewAssessment": "storage.views",
    "SyntheticCompleted": "storage.views", "TooManyAttempts": "storage.views", "UnknownInstrument": "storage.views",
    "database_url": "storage.db", "new_code": "storage.codes", "normalize": "storage.codes", "NoteView": "storage.advisors",
    "StorageUnavailable": "storage.views", "MixedSyntheticData": "storage.views",
}
__all__ = [*_EXPORTS, "open_repository"]

_repositories: dict[tuple[str, int], Repository] = {}
_lock = threading.Lock()


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'storage' has no attribute {name!r}")


def open_repository(url: str | None = None) -> Repository:
    """The repository for ``url`` (default: DATABASE_URL, else data/app.db), schema migrated and
    expired drafts purged (so the retention promise holds even without a scheduled ``cli.py purge``).

    Cached per URL and per process: a forked worker gets its own engine, never its parent's
    connections."""
    from storage.db import database_url, make_engine, upgrade
    from storage.repository import Repository

    key = (database_url(url), os.getpid())
    with _lock:
        if key not in _repositories:
            engine = make_engine(key[0])
            upgrade(engine)
            _repositories[key] = Repository(engine)
            _repositories[key].purge_expired()
        return _repositories[key]
