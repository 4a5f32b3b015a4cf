"""A firm's complete results, computed once: ``firm_results`` (and its memoised twin ``results_for``).

One ``ResultsBundle`` holds what the results page, the PDF, the CLI and (later) the advisor and
ministry views show about one firm: scores and DII, comparisons with peers and published
statistics, archetype, nearest peers' signals, the roadmap and the what-if inputs. Pages lay it
out, commands print it, ``report_pdf`` renders it; none of them calls the scoring core again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.disclosure import DEFAULT_POLICY, DisclosurePolicy
from benchmarks.indicators import IndicatorComparison, compare_indicators
from benchmarks.peers import PeerComparison, PeerPool, percentiles
from benchmarks.report import BenchmarkReport, Pool, benchmark_firm
from benchmarks.report import warm as warm_benchmarks
from content.memo import Memo
from domain import Answers, Profile, Submission
from domain.values import frozen_answers
from questionnaires.registry import Instrument
from questionnaires.segments import load_segments
from recommendations.catalog import Catalogs, load_catalogs
from recommendations.prioritise import Roadmap, build_roadmap, signals_from
from recommendations.whatif import PercentileOf, Projection, project
from reports.roadmap_pdf import ReportData, build_roadmap_pdf
from scoring.answers import InvalidAnswers, check_answers, check_profile
from scoring.engine import score_firm
from scoring.result import Result


@dataclass(frozen=True, slots=True)
class ResultsBundle:
    """Everything shown about one firm for one answers revision and one pool version."""

    instrument: Instrument
    profile: Profile
    answers: Answers
    result: Result
    indicators: tuple[IndicatorComparison, ...]  # published statistics: no pool needed
    benchmarks: BenchmarkReport | None  # None without a pool
    roadmap: Roadmap
    catalogs: Catalogs
    percentile_of: PercentileOf | None  # overall percentile among peers, for the what-if; None below k

    @property
    def peers(self) -> PeerComparison | None:
        return self.benchmarks.peers if self.benchmarks is not None else None


def check_submission(instrument: Instrument, profile: Profile, answers: Answers) -> None:
    """Raise ``InvalidAnswers`` listing every problem with input that storage has not checked
    (a file, a caller); any firm name is fine here (the PDF cover shortens long ones)."""
    errors = [e for e in check_profile(profile, load_segments()) if e.question != "name"]
    errors += check_answers(instrument.questionnaire, answers)
    if errors:
        raise InvalidAnswers(errors)


def score_submission(instrument: Instrument, submission: Submission) -> Result:
    """Scores and DII only (``cli.py score``): the roadmap and comparisons are not needed there."""
    return score_firm(instrument, submission.profile, submission.answers)


def firm_results(instrument: Instrument, profile: Profile, answers: Answers, pool: Pool | None = None, *,
                 policy: DisclosurePolicy = DEFAULT_POLICY, assessment_id: str | None = None) -> ResultsBundle:
    """Score the firm once, compare it once, prioritise once. ``assessment_id``: the firm's own
    stored assessment, left out of its peers if it is in the pool."""
    answers = frozen_answers(answers)  # the bundle is shared: nobody may change its answers
    result = score_firm(instrument, profile, answers)
    report = None if pool is None else benchmark_firm(instrument, profile, answers, result, pool, policy, assessment_id)
    indicators = tuple(report.indicators) if report is not None else tuple(compare_indicators(instrument.questionnaire, profile, answers))
    percentile_of = (_percentile_function(pool, profile, policy)
                     if pool is not None and report is not None and report.peers.enough_data else None)
    catalogs = load_catalogs(instrument)
    signals = signals_from(report.neighbours if report is not None else None)
    roadmap = build_roadmap(instrument, catalogs, profile, answers, result, signals, percentile_of)
    return ResultsBundle(instrument, profile, answers, result, indicators, report, roadmap, catalogs, percentile_of)


_BUNDLES: Memo[ResultsBundle] = Memo(max_entries=256)


def results_for(instrument: Instrument, profile: Profile, answers: Answers, pool: Pool | None = None, *,
                policy: DisclosurePolicy = DEFAULT_POLICY, assessment_id: str | None = None) -> ResultsBundle:
    """``firm_results``, memoised by questionnaire content, profile, answers, pool version and k:
    a rerun of the results page, the what-if and the PDF download reuse the same bundle."""
    key = _revision_key(instrument, profile, answers, pool, policy, assessment_id)
    return _BUNDLES.get_or_compute(key, lambda: firm_results(instrument, profile, answers, pool, policy=policy,
                                                            assessment_id=assessment_id))


def what_if(bundle: ResultsBundle, action_ids: Sequence[str]) -> Projection:
    """Scores if the firm did ``action_ids`` (the what-if simulator). The whole roadmap's projection
    is already in the bundle; any other choice re-scores only the changed answers."""
    if list(action_ids) == [i.action.id for i in bundle.roadmap.items]:
        return bundle.roadmap.projection
    actions = [bundle.catalogs.action(a) for a in action_ids]
    return project(bundle.instrument, bundle.profile, bundle.answers, actions, bundle.percentile_of, bundle.result)


def report_data(bundle: ResultsBundle, report_date: dt.date, *, synthetic: bool = False) -> ReportData:
    """``synthetic``: the firm is demonstration data, and the PDF says so."""
    return ReportData(bundle.instrument, bundle.profile, bundle.result, bundle.roadmap, bundle.catalogs, report_date,
                      bundle.peers, bundle.indicators, synthetic)


def prepare_report(instrument: Instrument, profile: Profile, answers: Answers, report_date: dt.date, pool: Pool | None = None, *,
                   policy: DisclosurePolicy = DEFAULT_POLICY) -> ReportData:
    """Check a submission (``InvalidAnswers`` lists every problem), compute its results once and
    return what the PDF needs."""
    check_submission(instrument, profile, answers)
    return report_data(firm_results(instrument, profile, answers, pool, policy=policy), report_date)


def report_pdf(bundle: ResultsBundle, locale: str, report_date: dt.date, *, synthetic: bool = False) -> bytes:
    """The roadmap PDF for ``bundle`` (nothing is recomputed); ``synthetic``: labelled demo data."""
    return build_roadmap_pdf(report_data(bundle, report_date, synthetic=synthetic), locale)


_OVERALL_PEERS: Memo[PeerPool] = Memo(max_entries=8)


def warm(instrument: Instrument, pool: Pool | None, policy: DisclosurePolicy = DEFAULT_POLICY) -> None:
    """Load and fit what the first results view would otherwise wait for: the catalogs and, with a
    pool, its peer cells, archetype model, neighbour index and overall percentiles (all memoised)."""
    load_catalogs(instrument)
    if pool is not None:
        warm_benchmarks(instrument, pool, policy)
        _overall_peers(pool, policy)


def _overall_peers(pool: Pool, policy: DisclosurePolicy) -> PeerPool:
    return _OVERALL_PEERS.get_or_compute(f"{pool.key}:{policy.k}", lambda: PeerPool.from_frame(pool.frame, ["overall"], policy))


def _percentile_function(pool: Pool, profile: Profile, policy: DisclosurePolicy) -> PercentileOf:
    """The firm's overall percentile for any projected score (the pool's overall cells are sorted once per pool)."""
    overall = _overall_peers(pool, policy)

    def percentile_of(score: float | None) -> float | None:
        return None if score is None else percentiles(overall, profile, {"overall": score}).metrics["overall"].percentile

    return percentile_of


def _revision_key(instrument: Instrument, profile: Profile, answers: Answers, pool: Pool | None, policy: DisclosurePolicy,
                  assessment_id: str | None) -> str:
    document = [instrument.content_hash, [profile.sector, profile.size, profile.region, profile.name], dict(answers),
                pool.key if pool is not None else None, policy.k, assessment_id]
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
