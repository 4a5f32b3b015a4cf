"""The contract between the results page and its sections.

The results page gets the firm's ``ResultsBundle`` once (``ui.cache.firm_results``) and calls every
function registered in ``ui.sections.RESULT_SECTIONS`` with one ``ResultsContext``. A section
only lays the bundle out: it never calls the scoring core, benchmarks or roadmap functions itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.results import ResultsBundle


@dataclass(frozen=True, slots=True)
class ResultsContext:
    bundle: ResultsBundle  # scores, comparisons, roadmap: computed once per answers revision and pool
    locale: str  # "fr" or "en"
    assessment_id: str | None  # the stored assessment (None in previews)
    pool_unavailable: bool = False  # the comparison pool could not be read: the page says so in one line
    synthetic: bool = False  # a demo assessment (``seed-demo --with-workspace``): the PDF says so
