"""The firm-profile reference lists: SCIAN sectors, size bands and Québec's administrative regions."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from content.loader import load_model
from content.types import Strict, Text

SEGMENTS_FILE = Path(__file__).with_name("segments.yaml")


class Segment(Strict):
    code: str = Field(pattern=r"^[0-9A-Za-z+\-]+$")
    label: Text


class SizeBand(Segment):
    min_employees: int = Field(ge=1)
    max_employees: int | None = None


class SegmentList(Strict):
    source: list[str] = Field(min_length=1)
    note: Text | None = None


class Sectors(SegmentList):
    items: list[Segment] = Field(min_length=1)
    manufacturing: list[str]  # codes of the manufacturing sector(s), for the manufacturing module


class Sizes(SegmentList):
    items: list[SizeBand] = Field(min_length=1)


class Regions(SegmentList):
    items: list[Segment] = Field(min_length=1)


class Segments(Strict):
    kind: Literal["segments"]
    sectors: Sectors
    sizes: Sizes
    regions: Regions

    @model_validator(mode="after")
    def _unique_codes(self) -> Segments:
        for name in ("sectors", "sizes", "regions"):
            codes = [item.code for item in getattr(self, name).items]
            dupes = sorted({c for c in codes if codes.count(c) > 1})
            if dupes:
                raise ValueError(f"duplicate {name} codes: {dupes}")
        return self

    def codes(self, field: str) -> list[str]:
        return [item.code for item in self._items(field)]

    def label(self, field: str, code: str, locale: str) -> str:
        return next(item.label.get(locale) for item in self._items(field) if item.code == code)

    def _items(self, field: str) -> Sequence[Segment]:
        lists: dict[str, Sequence[Segment]] = {"sector": self.sectors.items, "size": self.sizes.items, "region": self.regions.items}
        return lists[field]


@cache
def load_segments(path: Path = SEGMENTS_FILE) -> Segments:
    return load_model(path, Segments)
