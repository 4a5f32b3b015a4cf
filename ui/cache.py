"""Every Streamlit cache of the app, in one place (the core and services never use them).

- the repository: one per database URL and process (``st.cache_resource``);
- the comparison pool: one per database and questionnaire content, reloaded every
  ``POOL_TTL_SECONDS`` so new assessments join it;
- a firm's results: memoised below, in ``services.results`` (keyed by answers and pool version).
"""

from __future__ import annotations

import logging
import os

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from benchmarks.report import Pool
from domain import Answers, Profile
from questionnaires.registry import Instrument
from services.access import Access
from services.advisor import AdvisorService
from services.pool import load_pool
from services.results import ResultsBundle, results_for
from services.statistics import StatisticsService
from storage.repository import Repository

POOL_TTL_SECONDS = 300  # new assessments join the pool within five minutes
log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _repository(url: str | None) -> Repository:
    from storage import open_repository

    return open_repository(url)


def repository() -> Repository:
    return _repository(os.environ.get("DATABASE_URL"))


@st.cache_resource(ttl=POOL_TTL_SECONDS, show_spinner=False)
def _pool(_repo: Repository, _instrument: Instrument, content_hash: str, database: str) -> Pool:
    return load_pool(_repo, _instrument)


def comparison_pool(instrument: Instrument) -> Pool | None:
    """The pool for ``instrument``, or None (logged for operators) when the database cannot give it."""
    repo = repository()
    try:
        return _pool(repo, instrument, instrument.content_hash, str(repo.engine.url))
    except SQLAlchemyError:
        log.exception("comparison pool unavailable; results are shown without comparisons")
        return None


def firm_results(instrument: Instrument, profile: Profile, answers: Answers, assessment_id: str | None) -> tuple[ResultsBundle, bool]:
    """(the firm's results bundle, whether the comparison pool was unavailable). Computed once per
    answers revision and pool version: reruns, the what-if and the PDF reuse it."""
    pool = comparison_pool(instrument)
    return results_for(instrument, profile, answers, pool, assessment_id=assessment_id), pool is None


@st.cache_resource(show_spinner=False)
def _access(url: str | None) -> Access:
    return Access(_repository(url))


def access() -> Access:
    """Sign-in, sessions and access checks over the repository (services.access)."""
    return _access(os.environ.get("DATABASE_URL"))


def advisor_service() -> AdvisorService:
    return AdvisorService(access())


def statistics() -> StatisticsService:
    """Released ministry statistics: the list, one release, trends, exports, running a release."""
    return StatisticsService(repository(), access())
