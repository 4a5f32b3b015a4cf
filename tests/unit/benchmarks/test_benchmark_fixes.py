"""Benchmark corrections of issue 11: the DII cloud item and the ISQ size bound."""

from __future__ import annotations

from benchmarks.indicators import caveats_for, closest_statistic, size_band
from benchmarks.statistics import load_statistics
from questionnaires.segments import load_segments
from scoring.answers import Profile
from scoring.engine import score_answers


def dii_met(instrument, cloud: list[str]) -> set[str]:
    result = score_answers(instrument.questionnaire, Profile("44-45", "1-4", "11"), {"cloud_services": cloud})
    return set(result.dii.met)


def test_computing_power_counts_as_cloud_but_not_as_sophisticated_cloud(instrument):
    # Eurostat 2023: CC_PFACC, CC_PERP, CC_PCRM, CC_PSEC, CC_PDB, CC_PDEV; computing power (CC_PCPU) is left out.
    assert {"cloud_any"} <= dii_met(instrument, ["computing_power"])
    assert "cloud_sophisticated" not in dii_met(instrument, ["computing_power"])
    for option in ["accounting_finance", "erp_software", "crm_software", "security_software", "database_hosting", "dev_platform"]:
        assert "cloud_sophisticated" in dii_met(instrument, [option]), option


def test_isq_connected_figure_is_for_1_to_4_employees_and_fits_that_band():
    stats = load_statistics()
    isq = next(s for s in stats.for_indicator("internet_connected") if s.value == 86.4)
    assert (isq.breakdown.size_min, isq.breakdown.size_max, isq.year) == (1, 4, 2016)
    profile = Profile("44-45", "1-4", "05")  # Estrie: no regional ISQ figure, so the size class decides
    band = size_band(load_segments(), "1-4")
    assert caveats_for(isq, profile, band) == ()  # no false "partly outside" caveat for the 1-4 band
    assert closest_statistic(stats.for_indicator("internet_connected"), profile, band) is isq


def test_eu_ai_use_by_size_is_the_2024_edition():
    ai = [s for s in load_statistics().for_indicator("ai") if s.population.geography == "eu"]
    assert {s.year for s in ai} == {2024}
    by_size = {(s.breakdown.size_min, s.breakdown.size_max): s.value for s in ai}
    assert by_size[(10, 49)] == 11.21 and by_size[(50, 249)] == 20.97
    assert all(s.primary and "eurostat" in str(s.source) for s in ai)
