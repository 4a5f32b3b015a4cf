"""The statistics lattice: every SCIAN sector and size in exactly one group, registered tables, and
validation errors that name the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.errors import ContentError
from questionnaires.segments import load_segments
from releases.lattice import LATTICE_FILE, load_lattice
from releases.model import TableSpec


def test_every_segment_code_maps_to_one_group_and_regions_are_the_seventeen() -> None:
    lattice, segments = load_lattice(), load_segments()
    assert {lattice.sector_group_of(c) for c in segments.codes("sector")} == set(lattice.codes("sector_group"))
    assert {lattice.size_band_of(c) for c in segments.codes("size")} == set(lattice.codes("size_band"))
    assert len(lattice.codes("sector_group")) == 10 and lattice.codes("size_band") == ("1-4", "5-19", "20-99", "100+")
    assert lattice.codes("region") == tuple(segments.codes("region")) and len(lattice.codes("region")) == 17
    assert lattice.sector_group_of("31-33") == "manufacturing" and lattice.size_band_of("250-499") == "100+"
    assert lattice.label("region", "06", "fr") == "Montréal"
    assert lattice.label("size_band", "100+", "en") == "100 employees or more"


def test_registered_tables_are_the_two_way_tables_the_margins_and_the_total() -> None:
    assert load_lattice().tables == (
        TableSpec("sector_group__size_band", ("sector_group", "size_band")),
        TableSpec("sector_group__region", ("sector_group", "region")),
        TableSpec("size_band__region", ("size_band", "region")),
        TableSpec("sector_group", ("sector_group",)), TableSpec("size_band", ("size_band",)),
        TableSpec("region", ("region",)), TableSpec("total", ()))


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = LATTICE_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "lattice.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ('sectors: ["22", "23"]', 'sectors: ["22"]', "sector codes in no group: ['23']"),
    ('sectors: ["72", "81"]', 'sectors: ["72", "81", "11"]', "sector codes in more than one group: ['11']"),
    ('sizes: ["20-49", "50-99"]', 'sizes: ["20-49", "50-99", "9999"]', "unknown size codes: ['9999']"),
    ("{id: region, dims: [region]}", "{id: regions, dims: [region]}", "table id must be 'region'"),
    ("{id: size_band__region, dims: [size_band, region]}", "{id: size_band__region, dims: [region, size_band]}",
     "dims must be distinct and in the order"),
])
def test_validation_errors_name_the_file_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(ContentError) as caught:
        load_lattice(path)
    assert str(path) in str(caught.value) and message in str(caught.value)
    assert all(p.line is not None and p.line > 1 for p in caught.value.problems)
