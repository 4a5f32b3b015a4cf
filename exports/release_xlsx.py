"""A release's long table as XLSX for display (openpyxl): typed numbers, every text cell a string
cell (never a formula; one that a spreadsheet could read as a formula is quote-prefixed, Excel's
leading-apostrophe marker, with its value unchanged), and a Notes sheet (source, release, period,
k, method, audit figures, dates, the synthetic label, what "x" means in French and English).

openpyxl turns any string starting with "=" into a formula cell unless told otherwise, hence
``data_type = "s"`` on every text cell. Characters XML cannot hold (NUL and most C0 controls) are
written as U+FFFD; the cell is still quote-prefixed when the original text needed it."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from exports.neutralise import neutralise
from exports.release_table import ExportContext, LongTable, Value, long_table, notes
from i18n import t
from releases.model import Release

DATA_SHEET = "data"


def _put(sheet: Worksheet, row: int, column: int, value: Value) -> None:
    if value is None:
        return
    cell = sheet.cell(row=row, column=column)
    if not isinstance(value, str):
        cell.value = value
        return
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    cell.data_type = "s"
    if neutralise(value) != value:
        cell.quotePrefix = True


def _write_rows(sheet: Worksheet, rows: list[tuple[Value, ...]]) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            _put(sheet, r, c, value)


def table_xlsx(table: LongTable, note_lines: list[tuple[str, str]], notes_title: str) -> bytes:
    workbook = Workbook()
    data = workbook.active
    assert data is not None  # a new workbook always has one sheet
    data.title = DATA_SHEET
    _write_rows(data, [tuple(c.id for c in table.columns), *table.rows])
    data.freeze_panes = "A2"
    _write_rows(workbook.create_sheet(notes_title), [(label, value) for label, value in note_lines])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def release_xlsx(release: Release, ctx: ExportContext) -> bytes:
    return table_xlsx(long_table(release, ctx), notes(release, ctx), t("stats_export.notes.title", ctx.locale))
