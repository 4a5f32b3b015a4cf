"""Demo data stays labelled and apart: a synthetic firm's next stage is synthetic, storage refuses
mixing real and synthetic assessments in one firm, and the caseload and guided PDF say so."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from auth.passwords import TESTS, Passwords
from domain import Profile, Stage
from questionnaires.registry import get_instrument
from scoring.answers import check_answers
from scoring.engine import score_firm
from services.access import Access
from services.accounts import Accounts
from services.advisor import AdvisorService
from services.results import firm_results, report_pdf
from storage import MixedSyntheticData, Repository, SyntheticCompleted
from storage.db import make_engine, upgrade
from storage.models import Assessment, table
from tests.answer_gen import random_answers
from tests.unit.storage.test_storage import Clock

PASSWORD = "correct horse battery staple"
PROFILE = Profile("31-33", "20-49", "05", "Atelier fictif (démo)")


@pytest.fixture
def repo(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    upgrade(engine)
    yield Repository(engine, clock=Clock())
    engine.dispose()


@pytest.fixture
def access(repo):
    return Access(repo, Passwords(TESTS))


@pytest.fixture
def advisor(access):
    Accounts(access).add(None, "ana@mrc.qc.ca", "Ana", roles=["advisor"], password=PASSWORD, organisation="MRC Test")
    outcome = access.sign_in("ana@mrc.qc.ca", PASSWORD, "client-1")
    assert outcome.principal is not None
    return outcome.principal


def valid_answers(instrument):
    answers = dict(random_answers(instrument.questionnaire, random.Random(4), blank=0.0))
    return {k: v for k, v in answers.items() if not check_answers(instrument.questionnaire, {k: v})}


def assessment_count(repo) -> int:
    with repo.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table(Assessment))).scalar_one())


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def completed_guided(service, principal, *, synthetic: bool) -> str:
    instrument = get_instrument()
    new = service.start_guided(principal, instrument, PROFILE, client_consents=True, synthetic=synthetic)
    service.save_answers(principal, new.assessment_id, valid_answers(instrument))
    view = service.repo.load(new.assessment_id)
    service.complete(principal, new.assessment_id, score_firm(instrument, PROFILE, view.answers))
    return new.assessment_id


def test_a_synthetic_firms_next_stage_is_synthetic_and_its_caseload_row_says_so(access, advisor):
    service = AdvisorService(access)
    t0 = completed_guided(service, advisor, synthetic=True)
    t1 = service.start_next_stage(advisor, t0)
    views = [access.repo.load(i) for i in (t0, t1.assessment_id)]
    assert [v.stage for v in views] == [Stage.T0, Stage.T1]
    assert [v.synthetic for v in views] == [True, True]
    assert [(c.synthetic, c.assessments) for c in service.caseload(advisor)] == [(True, 2)]


def test_a_real_firms_next_stage_stays_real(access, advisor):
    service = AdvisorService(access)
    t1 = service.start_next_stage(advisor, completed_guided(service, advisor, synthetic=False))
    assert access.repo.load(t1.assessment_id).synthetic is False
    assert [c.synthetic for c in service.caseload(advisor)] == [False]


@pytest.mark.parametrize("firm_synthetic", [False, True])
def test_storage_refuses_mixing_real_and_synthetic_assessments_in_one_firm(repo, firm_synthetic):
    instrument = get_instrument()
    first = repo.load(repo.start_assessment(instrument, PROFILE, synthetic=firm_synthetic).assessment_id)
    before = assessment_count(repo)
    expected = ("synthetic", "real") if firm_synthetic else ("real", "synthetic")
    with pytest.raises(MixedSyntheticData, match=f"is {expected[0]}: a {expected[1]} assessment cannot be added") as caught:
        repo.start_assessment(instrument, PROFILE, stage="T1", firm_id=first.firm_id, synthetic=not firm_synthetic)
    assert caught.value.firm_id == first.firm_id and "never mixed" in str(caught.value)
    assert assessment_count(repo) == before  # nothing stored
    same_kind = repo.start_assessment(instrument, PROFILE, stage="T1", firm_id=first.firm_id, synthetic=firm_synthetic)
    assert repo.load(same_kind.assessment_id).synthetic is firm_synthetic


def test_bulk_synthetic_rows_are_refused_for_a_real_firm(repo):
    instrument = get_instrument()
    real = repo.load(repo.start_assessment(instrument, PROFILE).assessment_id)
    answers = valid_answers(instrument)
    row = SyntheticCompleted(instrument, PROFILE, answers, score_firm(instrument, PROFILE, answers), repo.clock(), firm_id=real.firm_id)
    before = assessment_count(repo)
    with pytest.raises(MixedSyntheticData, match="is real: a synthetic assessment cannot be added"):
        repo.add_completed_bulk([row])
    assert assessment_count(repo) == before


@pytest.mark.parametrize("locale, label", [("fr", "Données synthétiques (démonstration)"), ("en", "Synthetic data (demonstration)")])
def test_the_guided_pdf_of_a_synthetic_firm_says_so_on_the_cover_and_before_the_plan(access, advisor, locale, label):
    service = AdvisorService(access)
    instrument = get_instrument()
    synthetic_id = completed_guided(service, advisor, synthetic=True)
    real_id = completed_guided(service, advisor, synthetic=False)
    for assessment_id, expected in ((synthetic_id, 2), (real_id, 0)):
        bundle = firm_results(instrument, PROFILE, access.repo.load(assessment_id).answers)
        text = " ".join(pdf_text(service.guided_pdf(advisor, assessment_id, bundle, locale, dt.date(2026, 12, 1))).split())
        assert text.count(label) == expected, assessment_id


def test_the_firms_own_report_pdf_is_labelled_only_for_a_synthetic_assessment():
    instrument = get_instrument()
    bundle = firm_results(instrument, PROFILE, valid_answers(instrument))
    for synthetic, expected in ((True, 1), (False, 0)):
        text = " ".join(pdf_text(report_pdf(bundle, "fr", dt.date(2026, 12, 1), synthetic=synthetic)).split())
        assert text.count("Données synthétiques (démonstration)") == expected
