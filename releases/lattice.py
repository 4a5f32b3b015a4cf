"""The fixed lattice of ministry statistics (``releases/lattice.yaml``): sector groups, size bands,
regions and the registered tables. Every published table and every dashboard filter is one of these
groupings; nothing is grouped below the finest grain (sector group × size band × region)."""

from __future__ import annotations

from functools import cache, cached_property
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from content.loader import load_model
from content.types import Id, Strict, Text
from questionnaires.segments import load_segments
from releases.model import GRAIN, TableSpec

LATTICE_FILE = Path(__file__).with_name("lattice.yaml")
Dim = Literal["sector_group", "size_band", "region"]
TOTAL_ID = "total"


class Group(Strict):
    code: str = Field(pattern=r"^[0-9A-Za-z_+\-]+$", max_length=32)
    label: Text


class SectorGroup(Group):
    code: Id
    sectors: list[str] = Field(min_length=1)  # SCIAN codes of questionnaires/segments.yaml


class SizeBandGroup(Group):
    sizes: list[str] = Field(min_length=1)  # size codes of questionnaires/segments.yaml


class Partition(Strict):
    """Groups of one segment's codes (``segment`` of questionnaires/segments.yaml, listed in each
    group's ``members`` field): each code in exactly one group."""

    segment: ClassVar[str]
    members: ClassVar[str]
    source: list[str] = Field(min_length=1)
    note: Text

    @field_validator("items", check_fields=False)  # ``items`` is declared by each subclass, with its group type
    @classmethod
    def _partition(cls, items: list[Group]) -> list[Group]:
        _check_partition(cls.segment, [g.code for g in items], [getattr(g, cls.members) for g in items])
        return items


class SectorGroups(Partition):
    segment, members = "sector", "sectors"
    items: list[SectorGroup] = Field(min_length=1)


class SizeBands(Partition):
    segment, members = "size", "sizes"
    items: list[SizeBandGroup] = Field(min_length=1)


class RegisteredTable(Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    dims: list[Dim]

    @model_validator(mode="after")
    def _canonical(self) -> RegisteredTable:
        ordered = [d for d in GRAIN if d in self.dims]
        if self.dims != ordered:
            raise ValueError(f"dims must be distinct and in the order {list(GRAIN)}, got {self.dims}")
        expected = "__".join(self.dims) or TOTAL_ID
        if self.id != expected:
            raise ValueError(f"table id must be {expected!r} for dims {self.dims}, got {self.id!r}")
        return self


def _check_partition(field: str, codes: list[str], members: list[list[str]]) -> None:
    """Every segment code in exactly one group, no unknown code, no duplicate group code."""
    if len(set(codes)) != len(codes):
        raise ValueError(f"duplicate group codes: {sorted({c for c in codes if codes.count(c) > 1})}")
    known = load_segments().codes(field)
    listed = [code for group in members for code in group]
    unknown = sorted(set(listed) - set(known))
    twice = sorted({c for c in listed if listed.count(c) > 1})
    missing = [c for c in known if c not in listed]
    reasons = [f"{what}: {codes}" for what, codes in
               ((f"unknown {field} codes", unknown), (f"{field} codes in more than one group", twice),
                (f"{field} codes in no group", missing)) if codes]
    if reasons:
        raise ValueError("; ".join(reasons) + " (codes of questionnaires/segments.yaml)")


class Lattice(Strict):
    kind: Literal["statistics_lattice"]
    sector_groups: SectorGroups
    size_bands: SizeBands
    registered: list[RegisteredTable] = Field(alias="tables", min_length=1)  # `tables` in the YAML

    @field_validator("registered")
    @classmethod
    def _distinct_tables(cls, tables: list[RegisteredTable]) -> list[RegisteredTable]:
        ids = [t.id for t in tables]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate table ids: {sorted({i for i in ids if ids.count(i) > 1})}")
        return tables

    @cached_property
    def tables(self) -> tuple[TableSpec, ...]:
        """The registered tables as shared value objects, in file order."""
        return tuple(TableSpec(t.id, tuple(t.dims)) for t in self.registered)

    @cached_property
    def _sector_to_group(self) -> dict[str, str]:
        return {sector: g.code for g in self.sector_groups.items for sector in g.sectors}

    @cached_property
    def _size_to_band(self) -> dict[str, str]:
        return {size: b.code for b in self.size_bands.items for size in b.sizes}

    @cached_property
    def _labels(self) -> dict[str, dict[str, Text]]:
        segments = load_segments()
        return {"sector_group": {g.code: g.label for g in self.sector_groups.items},
                "size_band": {b.code: b.label for b in self.size_bands.items},
                "region": {r.code: r.label for r in segments.regions.items}}

    def sector_group_of(self, sector_code: str) -> str:
        """The group of a SCIAN sector code of the firm profile (KeyError if unknown)."""
        return self._sector_to_group[sector_code]

    def size_band_of(self, size_code: str) -> str:
        """The band of a firm-profile size code (KeyError if unknown)."""
        return self._size_to_band[size_code]

    def codes(self, dim: str) -> tuple[str, ...]:
        """The codes of one lattice dimension, in file order."""
        return tuple(self._labels[dim])

    def label(self, dim: str, code: str, locale: str) -> str:
        return self._labels[dim][code].get(locale)

    def table(self, table_id: str) -> TableSpec:
        return next(t for t in self.tables if t.id == table_id)


@cache
def load_lattice(path: Path = LATTICE_FILE) -> Lattice:
    """The lattice, validated against questionnaires/segments.yaml (ContentError names the file and line)."""
    return load_model(path, Lattice)
