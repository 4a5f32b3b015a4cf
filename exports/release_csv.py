"""A release's long table as CSV for applications: RFC 4180 (CRLF, minimal quoting), UTF-8 with a
BOM so spreadsheets show accents, "," separator and "." decimals. Text cells that a spreadsheet
could run as a formula get a leading apostrophe; numbers are written as numbers (-3.5 stays -3.5),
and a suppressed cell's numeric columns are empty, its status column "x"."""

from __future__ import annotations

import csv
import io

from exports.neutralise import neutralise
from exports.release_table import ExportContext, LongTable, Value, long_table
from releases.model import Release


def _field(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return repr(value) if isinstance(value, float) else str(value)


def table_csv(table: LongTable) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.id for c in table.columns])
    writer.writerows([_field(v) for v in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def release_csv(release: Release, ctx: ExportContext) -> bytes:
    return table_csv(long_table(release, ctx))
