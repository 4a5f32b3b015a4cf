"""One entry point for the release export formats (CSV for applications, XLSX for display,
Parquet for analysis): ``release_file(release, fmt, ctx) -> bytes``."""

from __future__ import annotations

from collections.abc import Callable

from exports.release_csv import release_csv
from exports.release_parquet import release_parquet
from exports.release_table import FORMATS, ExportContext
from exports.release_xlsx import release_xlsx
from releases.model import Release

WRITERS: dict[str, Callable[[Release, ExportContext], bytes]] = {"csv": release_csv, "xlsx": release_xlsx,
                                                                  "parquet": release_parquet}
MEDIA_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "parquet": "application/vnd.apache.parquet"}
assert tuple(WRITERS) == FORMATS


def release_file(release: Release, fmt: str, ctx: ExportContext) -> bytes:
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return WRITERS[fmt](release, ctx)
