"""services.statistics_views: released cells into labelled tables and chart data, "x" kept, n
shown, numbers per locale, no confidential figure ever reaching a chart."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from benchmarks.archetype_names import ArchetypeName, archetype_label
from benchmarks.statistics import load_statistics
from questionnaires.registry import get_instrument
from releases.lattice import load_lattice
from releases.model import SUPPRESSED, ReleaseArchetype
from services import statistics_views as views
from tests.release_fixture import sample_release

Q = get_instrument().questionnaire


@pytest.fixture(scope="module")
def release():
    return sample_release()


def test_a_suppressed_row_is_x_in_every_figure_and_published_rows_keep_n(release):
    frame = views.table_frame(release, "sector_group", "T0", load_lattice(), Q, "fr")
    hidden = [c for c in views.cells(release, "sector_group", "T0") if c.status == SUPPRESSED]
    assert hidden and len(frame) == len(views.cells(release, "sector_group", "T0"))
    row = frame[frame["Groupe de secteurs"] == load_lattice().label("sector_group", hidden[0].key[0], "fr")].iloc[0]
    assert set(row.iloc[1:]) == {"x"}
    published = frame[frame["n"] != "x"]
    assert len(published) and all(n.isdigit() for n in published["n"])
    assert list(frame.columns[:4]) == ["Groupe de secteurs", "n", "Score global moyen", "Écart type"]
    assert [d.label.get("fr") for d in Q.dimensions] == list(frame.columns[4:])


def test_numbers_follow_the_locale(release):
    fr = views.table_frame(release, "total", "T0", load_lattice(), Q, "fr")
    en = views.table_frame(release, "total", "T0", load_lattice(), Q, "en")
    total = views.total_cell(release, "T0")
    assert fr["Score global moyen"][0] == f"{total.mean_overall:.1f}".replace(".", ",")
    assert en["Mean overall score"][0] == f"{total.mean_overall:.1f}"
    assert fr.iloc[0, 0] == "Ensemble" and en.iloc[0, 0] == "All"


def test_charts_never_carry_a_confidential_cell(release):
    lattice = load_lattice()
    chart = views.margin_chart(release, "region", "T0", lattice, "en")
    hidden = {lattice.label("region", c.key[0], "en") for c in views.cells(release, "region", "T0") if c.status == SUPPRESSED}
    assert hidden and not hidden & set(chart["group"])
    assert len(chart) + len(hidden) == len(lattice.codes("region"))
    heat = views.heatmap_frame(release, "T0", lattice, Q, "fr")
    assert heat[heat["text"] == "x"]["mean"].isna().all() and heat[heat["text"] != "x"]["mean"].notna().all()
    wide = views.heatmap_table(heat, "fr")
    assert wide.shape == (len(lattice.codes("sector_group")), len(Q.dimensions) + 1)


def test_overview_histogram_levels_dii_and_archetypes(release):
    total = views.total_cell(release, "T0")
    histogram = views.histogram_frame(total, "fr")
    assert histogram["bin"].iloc[-1] == "90–100" and histogram["firms"].sum() == total.n
    levels = views.levels_frame(total, Q, "en")
    assert list(levels["level"]) == [lv.label.get("en") for lv in Q.levels] and levels["firms"].sum() == total.n
    basic = {lv.id for lv in Q.dii.levels if lv.min >= Q.dii.basic_min}
    assert views.dii_basic_share(total, Q) == sum(v for k, v in total.dii_counts.items() if k in basic) / total.n
    archetypes = views.archetype_frame(total, release.parameters.archetypes, "fr")
    names = [archetype_label(ArchetypeName(None, "early"), "fr"), archetype_label(ArchetypeName("online_first", "leading", True), "fr")]
    assert list(archetypes["archetype"]) == names and names[1].startswith("En ligne d'abord (")  # named as firms see them
    shown = views.counts_table(archetypes, "Profil type", "fr")
    assert list(shown["Part"]) == ["50\u00a0%", "50\u00a0%"]


def test_an_archetype_whose_naming_rule_is_gone_keeps_a_neutral_name(release):
    total = views.total_cell(release, "T0")
    renamed = (ReleaseArchetype("0", "no_such_shape", "leading"), ReleaseArchetype("1", None, "no_such_tier"))
    assert list(views.archetype_frame(total, renamed, "en")["archetype"]) == ["Profile A", "Profile B"]
    assert list(views.archetype_frame(total, (), "fr")["archetype"]) == ["Profil A", "Profil B"]  # older releases


def test_a_hidden_category_is_x_in_tables_and_draws_no_bar(release):
    total = views.total_cell(release, "T0")
    levels = dict.fromkeys(total.level_counts, 40) | {Q.levels[0].id: None, Q.levels[1].id: None}
    hidden = replace(total, level_counts=levels, histogram=(None, *total.histogram[1:]),
                     dii_counts={**total.dii_counts, Q.dii.levels[0].id: None}, archetype_counts={"0": None, "1": total.n})
    frame = views.levels_frame(hidden, Q, "fr")
    assert frame["firms"].isna().sum() == 2 and frame["share"].isna().sum() == 2
    shown = views.counts_table(frame, "Niveau", "fr")
    assert list(shown["Entreprises"][:2]) == ["x", "x"] and list(shown["Part"][:2]) == ["x", "x"]
    assert views.histogram_table(views.histogram_frame(hidden, "fr"), "fr").iloc[0, 1] == "x"
    assert views.dii_basic_share(hidden, Q) is None  # a hidden DII level would be recomputed from the share
    assert views.archetype_frame(hidden, release.parameters.archetypes, "fr")["firms"].isna().tolist() == [True, False]
    assert views.levels_frame(replace(total, level_counts={}), Q, "fr").empty  # a cell without distributions


def test_a_suppressed_total_gives_no_distribution(release):
    hidden = next(c for c in release.cells if c.status == SUPPRESSED)
    assert views.histogram_frame(hidden, "fr").empty and views.levels_frame(hidden, Q, "fr").empty
    assert views.dii_basic_share(hidden, Q) is None and views.archetype_frame(hidden, release.parameters.archetypes, "fr").empty


def test_official_statistics_come_from_the_product_with_population_and_source():
    stats = load_statistics()
    frame = views.official_dii_frame(stats, "en")
    published = stats.for_indicator("dii_basic")
    assert len(frame) == len(published) > 0
    assert list(frame["Value"]) == [f"{s.value:.0f}%" for s in published]
    assert all(s.population.label.get("en") in who for s, who in zip(published, frame["Population"], strict=True))
    assert all(str(s.source) in source for s, source in zip(published, frame["Source"], strict=True))


def test_cohort_keeps_x_and_signs_the_change(release):
    frame = views.cohort_frame(release, load_lattice(), "fr")
    assert list(frame.iloc[0]) == ["Ensemble", "60", "45,2", "51,7", "+6,5", "22", "30", "8"]
    assert set(frame.iloc[1, 1:]) == {"x"} and frame.iloc[1, 0] == "1 à 4 employés"


def test_trends_keep_x_in_the_table_and_leave_a_gap_in_the_chart(release):
    cells = views.cells(release, "region", "T0")
    shown = next(c for c in cells if c.status != SUPPRESSED)
    hidden = next(c for c in cells if c.status == SUPPRESSED)
    table, chart = views.trend_frames([("Estrie", "2025", shown), ("Estrie", "2026", hidden)], "en")
    assert list(table["n"]) == [str(shown.n), "x"] and list(table["Mean overall score"])[1] == "x"
    assert list(chart["period"]) == ["2025"]


def test_release_label_says_synthetic_first_and_preview():
    when = datetime(2026, 12, 5, tzinfo=UTC)
    assert views.release_label("2026", ("T0", "T1"), when, True, False, "fr") == "[SYNTHÉTIQUE] 2026 · T0 et T1 · 5 décembre 2026 (aperçu)"
    assert views.release_label("2026", ("T0",), when, False, True, "en") == "2026 · T0 (first assessment) · December 5, 2026"
    assert views.table_title("sector_group__region", "en") == "Sector group × Region"
