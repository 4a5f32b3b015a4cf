"""Official statistics: the data files validate, broken files name file:line, the item mapping is
checked against the instrument, and comparisons never cross populations without a caveat."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from benchmarks.indicators import (
    CANADIAN,
    closest_statistic,
    compare_indicators,
    load_indicator_map,
    size_band,
    size_fit,
)
from benchmarks.statistics import STATISTICS_FILE, load_statistics
from content.errors import ContentError
from domain import Profile
from questionnaires.registry import Instrument
from questionnaires.segments import load_segments

MINI_MAP = """kind: indicator_map
questionnaire: mini
mappings:
  - indicator: website
    when: {question: tools, includes: [web]}
  - indicator: cloud
    when: {question: tech, item: cloud, gte: 4}
  - indicator: dii_basic
    measure: dii_basic
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_statistics_validate_and_cite_sources() -> None:
    stats = load_statistics()
    assert {s.indicator for s in stats.statistics} == {i.id for i in stats.indicators}
    assert all(str(s.source).startswith("http") and s.source_name for s in stats.statistics)
    assert all(s.population.label.fr and s.population.label.en for s in stats.statistics)


def test_shipped_mapping_validates_against_the_real_instrument(instrument: Instrument) -> None:
    mapping = load_indicator_map(instrument.questionnaire)
    stats = load_statistics()
    assert {m.indicator for m in mapping.mappings} <= {i.id for i in stats.indicators}


def test_broken_statistics_file_names_file_and_line(tmp_path: Path) -> None:
    text = STATISTICS_FILE.read_text(encoding="utf-8")
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip() == "value: 33")
    lines[target] = lines[target].replace("33", "133")  # a share above 100 %
    path = _write(tmp_path, "stats.yaml", "\n".join(lines) + "\n")
    with pytest.raises(ContentError) as err:
        load_statistics(path)
    assert f"{path}:{target + 1}:" in str(err.value)
    assert "value" in str(err.value)


def test_unknown_field_and_unknown_codes_are_located(tmp_path: Path) -> None:
    text = STATISTICS_FILE.read_text(encoding="utf-8").replace('{sector: "51",', '{sector: "99",', 1)
    path = _write(tmp_path, "stats.yaml", text)
    line = next(i for i, raw in enumerate(text.splitlines(), start=1) if '{sector: "99",' in raw)
    with pytest.raises(ContentError) as err:
        load_statistics(path)
    assert f"{path}:{line}:" in str(err.value) and "unknown sector code '99'" in str(err.value)
    extra = STATISTICS_FILE.read_text(encoding="utf-8").replace("    primary: true", "    primary: true\n    note: x", 1)
    path = _write(tmp_path, "extra.yaml", extra)
    with pytest.raises(ContentError, match="Extra inputs are not permitted"):
        load_statistics(path)


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "dup.yaml", "kind: benchmark_statistics\nkind: benchmark_statistics\n")
    with pytest.raises(ContentError, match=r"dup.yaml:2: kind: duplicate key"):
        load_statistics(path)


def test_mapping_is_checked_against_instrument_ids(tmp_path: Path, mini: Instrument) -> None:
    q = mini.questionnaire
    assert len(load_indicator_map(q, _write(tmp_path, "ok.yaml", MINI_MAP)).mappings) == 3
    bad = MINI_MAP.replace("includes: [web]", "includes: [webx]")
    with pytest.raises(ContentError) as err:
        load_indicator_map(q, _write(tmp_path, "bad.yaml", bad))
    assert "bad.yaml:5:" in str(err.value) and "webx" in str(err.value)
    bad = MINI_MAP.replace("question: tech, item: cloud", "question: nowhere, item: cloud")
    with pytest.raises(ContentError, match=r"bad2.yaml:7: .*unknown question 'nowhere'"):
        load_indicator_map(q, _write(tmp_path, "bad2.yaml", bad))
    with pytest.raises(ContentError, match="unknown indicator 'teleport'"):
        load_indicator_map(q, _write(tmp_path, "bad3.yaml", MINI_MAP.replace("indicator: cloud", "indicator: teleport")))
    with pytest.raises(ContentError, match="not 'mini'"):
        load_indicator_map(q, _write(tmp_path, "bad4.yaml", MINI_MAP.replace("questionnaire: mini", "questionnaire: other")))
    with pytest.raises(ContentError, match="exactly one of 'when' or 'measure'"):
        both = MINI_MAP.replace("    measure: dii_basic", "    measure: dii_basic\n    when: {question: plan, answered: true}")
        load_indicator_map(q, _write(tmp_path, "bad5.yaml", both))


def test_an_instrument_without_a_mapping_gets_no_comparisons(mini: Instrument) -> None:
    assert compare_indicators(mini.questionnaire, Profile("41", "1-4", "05"), {"tools": ["web"]}) == []


def test_firm_values_from_the_mapping(tmp_path: Path, mini: Instrument) -> None:
    q = mini.questionnaire
    mapping = load_indicator_map(q, _write(tmp_path, "map.yaml", MINI_MAP))
    firm = Profile("31-33", "20-49", "05")
    answers = {"tools": ["web", "erp"], "tech": {"cloud": "a3"}}
    values = {c.indicator: c.firm_value for c in compare_indicators(q, firm, answers, mapping)}
    assert values == {"website": True, "cloud": False, "dii_basic": False}  # DII: only v_erp met, basic needs 2
    values = {c.indicator: c.firm_value for c in compare_indicators(q, firm, {"tech": {"cloud": "a5"}, "tools": ["erp"]}, mapping)}
    assert values == {"website": False, "cloud": True, "dii_basic": True}
    values = {c.indicator: c.firm_value for c in compare_indicators(q, firm, {}, mapping)}
    assert values["website"] is None and values["cloud"] is None  # unanswered: unknown, not "no"


def test_small_firm_against_5_plus_population_gets_the_caveat(instrument: Instrument) -> None:
    comparisons = {c.indicator: c for c in compare_indicators(instrument.questionnaire, Profile("44-45", "1-4", "06"), {})}
    sales = comparisons["ecommerce_sales"]
    assert (sales.geography, sales.year, sales.reference_value) == ("canada", 2021, 33.0)  # Canada before the EU
    assert "size_outside_population" in sales.caveats
    security = comparisons["security_any"]  # only EU figures exist
    assert security.geography == "eu" and {"other_economy", "size_outside_population"} <= set(security.caveats)


def test_sector_and_region_breakdowns_are_preferred(instrument: Instrument) -> None:
    q = instrument.questionnaire
    ai = {c.indicator: c for c in compare_indicators(q, Profile("51", "20-49", "06"), {})}["ai"]
    assert (ai.reference_value, ai.breakdown_used, ai.caveats) == (26.0, ("sector",), ())
    ai = {c.indicator: c for c in compare_indicators(q, Profile("54", "20-49", "06"), {})}["ai"]
    assert (ai.reference_value, ai.breakdown_used) == (7.0, ())
    net = {c.indicator: c for c in compare_indicators(q, Profile("54", "20-49", "17"), {})}["internet_connected"]
    assert (net.reference_value, net.breakdown_used, net.caveats) == (95.5, ("region",), ())


def test_survey_that_leaves_out_the_sector_is_avoided_or_flagged(instrument: Instrument) -> None:
    q = instrument.questionnaire
    net = {c.indicator: c for c in compare_indicators(q, Profile("62", "20-49", "17"), {})}["internet_connected"]
    assert net.geography == "quebec" and "sector_outside_population" in net.caveats  # ISQ is the only source
    cloud = {c.indicator: c for c in compare_indicators(q, Profile("62", "1-4", "06"), {})}["cloud"]
    assert (cloud.geography, cloud.year) == ("canada", 2023)  # not the ISQ-based figure, which excludes health care
    cloud = {c.indicator: c for c in compare_indicators(q, Profile("54", "1-4", "06"), {})}["cloud"]
    assert (cloud.geography, cloud.year, cloud.caveats) == ("quebec", 2016, ())


def test_no_comparison_crosses_populations_without_saying_so(instrument: Instrument) -> None:
    segments = load_segments()
    stats = load_statistics()
    mapping = load_indicator_map(instrument.questionnaire)
    for sector, size, region in itertools.product(segments.codes("sector"), segments.codes("size"), ["06", "17", "10"]):
        profile = Profile(sector, size, region)
        band = size_band(segments, size)
        for c in compare_indicators(instrument.questionnaire, profile, {}, mapping, stats, segments):
            stat = closest_statistic(stats.for_indicator(c.indicator), profile, band)
            assert (size_fit(stat, band) == 0) == (not {"size_outside_population", "size_partly_outside"} & set(c.caveats))
            assert (c.geography in CANADIAN) == ("other_economy" not in c.caveats)
            assert (sector in stat.population.excluded_sectors) == ("sector_outside_population" in c.caveats)
            assert stat.breakdown.sector in (None, sector) and stat.breakdown.region in (None, region)
