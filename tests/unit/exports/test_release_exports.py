"""Release exports (CSV, XLSX, Parquet): hostile text written and read back, numbers typed, "x" only
in the status column, no published figure below k, and the Notes/metadata of the release."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pyarrow.parquet as pq
import pytest

from exports.neutralise import TRIGGERS, neutralise
from exports.release_csv import release_csv
from exports.release_files import release_file
from exports.release_parquet import release_parquet
from exports.release_table import ExportContext, long_table
from exports.release_xlsx import DATA_SHEET, release_xlsx
from releases.model import AuditResult, PublishedCell, Release, ReleaseParameters, TableSpec

HOSTILE = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "\0=1", "＝1", "Café <b>Bob & Fils</b> <font size=80>",
           "=cmd|' /C calc'!A0", "  =1+1"]
K = 10
AT = datetime(2027, 1, 15, 9, 30, tzinfo=UTC)


def cell(table_id, key, n, *, mean=55.0, stage="T0", status="") -> PublishedCell:
    if status == "x":
        return PublishedCell(table_id, stage, key, "x", None, None, None, primary=n < K)
    return PublishedCell(table_id, stage, key, "", n, mean, 12.3, {"strategy": mean, "green": None},
                         {"basic": 2, "average": n - 2}, {"very_low": 3, "low": n - 3}, tuple([1] * 9 + [n - 9]))


def make_release(*, synthetic=False, regions=("05", "06"), more_regions=()) -> Release:
    tables = (TableSpec("total", ()), TableSpec("region", ("region",)), TableSpec("sector_group__size_band", ("sector_group", "size_band")))
    cells = (cell("total", (), 120, mean=-3.5),  # a negative figure must stay a number
             cell("region", (regions[0],), 110), cell("region", (regions[1],), 4, status="x"),
             cell("sector_group__size_band", ("manufacturing", "20-49"), 30),
             cell("sector_group__size_band", ("trade", "1-4"), 90, status="x"),
             *(cell("region", (code,), 10 + i) for i, code in enumerate(more_regions)))
    params = ReleaseParameters("2026", ("T0",), K, "primary n<k; greedy line rule; LP audit (HiGHS) with repair", 500.0,
                               ("digital-maturity@2026.1",), synthetic)
    audit = AuditResult(True, 1, 2, 3, 21.0, 977.5, 1, 0.4)
    return Release("rel-1", params, AT, "cli", 124, tables, cells, (), audit)


def hostile_context(locale="fr") -> ExportContext:
    """Every label is a hostile string (one per code, cycling)."""
    codes: dict[tuple[str, str], str] = {}

    def label(dim: str, code: str) -> str:
        return codes.setdefault((dim, code), HOSTILE[len(codes) % len(HOSTILE)])

    return ExportContext(label, frozenset({"low", "high", "very_high"}), locale, AT)


HOSTILE_RELEASE = make_release(regions=("05", "06"), more_regions=HOSTILE)  # hostile codes too


def test_csv_is_rfc4180_utf8_with_bom_and_neutralises_every_hostile_text_cell():
    data = release_csv(HOSTILE_RELEASE, hostile_context())
    assert data.startswith("\ufeff".encode())
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert len(body) == len(HOSTILE_RELEASE.cells)
    texts = [v for row in body for c, v in zip(header, row, strict=True) if c.endswith("_label") or c in ("region",)]
    for value in texts:
        stripped = value.lstrip(" ")
        assert not stripped or stripped[0] not in TRIGGERS, repr(value)
    assert {"'=1+1", "'\t=1", "'\r=1", "'\0=1", "'＝1", "'@SUM(A1)", "'-2+3", "'+cmd"} <= set(texts)


def test_csv_numbers_are_numbers_and_suppressed_cells_have_empty_numeric_columns():
    table = long_table(HOSTILE_RELEASE, hostile_context())
    rows = list(csv.DictReader(io.StringIO(release_csv(HOSTILE_RELEASE, hostile_context()).decode("utf-8-sig"), newline="")))
    numeric = [c.id for c in table.columns if c.kind in ("int", "float")]
    assert rows[0]["mean_overall"] == "-3.5" and float(rows[0]["mean_overall"]) == -3.5
    assert rows[0]["dii_basic_share"] == str(round(117 / 120, 3))
    for row in rows:
        assert row["status"] in ("", "x")
        if row["status"] == "x":
            assert all(row[c] == "" for c in numeric)
        else:
            assert all(row[c] != "x" for c in numeric)
            float(row["mean_overall"])
    assert rows[1]["sector_group"] == "" and rows[3]["region"] == ""  # not dims of those tables


def test_xlsx_has_no_formula_hostile_text_quote_prefixed_and_typed_numbers():
    book = openpyxl.load_workbook(io.BytesIO(release_xlsx(HOSTILE_RELEASE, hostile_context())))
    sheet = book[DATA_SHEET]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    header = [c.value for c in sheet[1]]
    # XML cannot hold NUL (written as U+FFFD, still quote-prefixed); a CR reads back as is or as LF
    written = {h.replace("\0", "\ufffd") for h in HOSTILE if neutralise(h) != h} | {"\n=1"}
    hostile_cells = [c for c in cells if isinstance(c.value, str) and (c.value.lstrip(" ")[:1] in TRIGGERS or c.value in written)]
    assert {c.value.replace("\n", "\r") for c in hostile_cells} >= {h.replace("\0", "\ufffd") for h in HOSTILE[:8]}
    assert all(c.quotePrefix for c in hostile_cells)
    markup = [c for c in cells if c.value == HOSTILE[8]]
    assert markup and all(c.data_type == "s" for c in markup)  # plain text, kept as written
    assert sheet.cell(2, 1).value == "rel-1" and not sheet.cell(2, 1).quotePrefix
    mean = sheet.cell(2, header.index("mean_overall") + 1)
    assert mean.value == -3.5 and mean.data_type == "n"
    assert sheet.cell(2, header.index("n") + 1).value == 120
    status = header.index("status") + 1
    suppressed = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, status).value == "x"]
    assert len(suppressed) == 2
    assert all(sheet.cell(r, header.index("n") + 1).value is None for r in suppressed)


def test_xlsx_notes_sheet_names_the_release_its_parameters_audit_and_the_x_in_both_languages():
    book = openpyxl.load_workbook(io.BytesIO(release_xlsx(make_release(synthetic=True), hostile_context("en"))))
    notes = dict(book["Notes"].iter_rows(values_only=True))
    assert notes["Release"] == "rel-1" and notes["Period"] == "2026"
    assert notes["Confidentiality threshold (distinct firms)"] == "10"
    assert "LP audit" in notes["Method"] and notes["Confidentiality audit (attacker linear program)"] == "Passed"
    assert notes["Narrowest count interval an attacker can deduce"] == "21"
    assert notes["x (French)"].startswith("x\u00a0: confidentiel") and notes["x (English)"].startswith("x: confidential")
    assert any("SYNTHETIC" in str(v) or "SYNTHÉTIQUES" in str(k) for k, v in notes.items())
    french = openpyxl.load_workbook(io.BytesIO(release_xlsx(make_release(), hostile_context("fr"))))
    assert "Notes" in french.sheetnames and not any("SYNTH" in str(k) for k, _ in french["Notes"].iter_rows(values_only=True))


def test_parquet_round_trips_exactly_with_a_typed_schema_and_the_release_metadata():
    ctx = hostile_context()
    data = release_parquet(HOSTILE_RELEASE, ctx)
    parquet = pq.read_table(io.BytesIO(data))
    table = long_table(HOSTILE_RELEASE, ctx)
    assert parquet.column_names == [c.id for c in table.columns]
    for i, column in enumerate(table.columns):
        assert parquet.column(column.id).to_pylist() == [row[i] for row in table.rows], column.id
    schema = parquet.schema
    assert str(schema.field("region").type).startswith("dictionary<values=string")
    assert str(schema.field("n").type) == "int64" and schema.field("n").nullable
    assert str(schema.field("mean_overall").type) == "double"
    meta = {k.decode(): v.decode() for k, v in schema.metadata.items()}
    assert meta["release_id"] == "rel-1" and meta["k"] == "10" and meta["synthetic"] == "false"
    assert meta["questionnaire_versions"] == "digital-maturity@2026.1" and '"narrowest_count_interval": 21.0' in meta["audit"]
    assert meta["generated_at"].startswith("2027-01-15")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_no_exported_figure_row_has_fewer_than_k_firms(fmt):
    data = release_file(HOSTILE_RELEASE, fmt, hostile_context())
    if fmt == "csv":
        rows = [(r["status"], r["n"]) for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))]
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data))[DATA_SHEET]
        header = [c.value for c in sheet[1]]
        rows = [(r[header.index("status")] or "", r[header.index("n")]) for r in sheet.iter_rows(min_row=2, values_only=True)]
    else:
        parquet = pq.read_table(io.BytesIO(data))
        rows = list(zip(parquet.column("status").to_pylist(), parquet.column("n").to_pylist(), strict=True))
    assert len(rows) == 5 + len(HOSTILE)
    for status, n in rows:
        if status == "x":
            assert n in ("", None)
        else:
            assert int(n) >= K or int(n) == 0  # an empty cell discloses nobody


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="csv, xlsx, parquet"):
        release_file(HOSTILE_RELEASE, "ods", hostile_context())


def test_an_unbounded_audit_interval_is_written_as_inf_in_strict_json_metadata():
    import dataclasses
    import json

    release = make_release()
    release = dataclasses.replace(release, audit=dataclasses.replace(release.audit, narrowest_sum_interval=float("inf")))
    meta = pq.read_table(io.BytesIO(release_parquet(release, hostile_context()))).schema.metadata
    assert json.loads(meta[b"audit"].decode())["narrowest_sum_interval"] == "inf"


def test_a_hidden_category_of_the_total_is_empty_in_every_format_and_hides_the_dii_share():
    from dataclasses import replace

    base = make_release()
    total = replace(base.cells[0], level_counts={"basic": None, "average": None}, dii_counts={"very_low": None, "low": 117},
                    histogram=(None, *base.cells[0].histogram[1:]))
    release = replace(base, cells=(total, *base.cells[1:]))
    ctx = hostile_context("en")
    rows = list(csv.DictReader(io.StringIO(release_file(release, "csv", ctx).decode("utf-8-sig"), newline="")))
    first = rows[0]
    assert first["table_id"] == "total" and first["n"] == "120"
    assert first["level_basic"] == first["dii_very_low"] == first["bin_000_010"] == first["dii_basic_share"] == ""
    assert first["dii_low"] == "117"
    sheet = openpyxl.load_workbook(io.BytesIO(release_file(release, "xlsx", ctx)))[DATA_SHEET]
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert values["level_basic"] is None and values["dii_low"] == 117 and values["dii_basic_share"] is None
    table = pq.read_table(io.BytesIO(release_file(release, "parquet", ctx))).to_pylist()
    assert table[0]["level_basic"] is None and table[0]["dii_low"] == 117 and table[0]["bin_000_010"] is None
