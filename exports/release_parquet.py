"""A release's long table as Parquet (pyarrow, zstd) for analysis: an explicit schema,
dictionary-encoded codes, nullable numerics (null for a suppressed cell), text unchanged (Parquet
is not read by spreadsheets, so nothing is neutralised), and the release's parameters in the
file's key-value metadata."""

from __future__ import annotations

import io
import json
import math

import pyarrow as pa
import pyarrow.parquet as pq

from exports.release_table import ExportContext, Kind, LongTable, long_table
from releases.model import Release

TYPES: dict[Kind, pa.DataType] = {"code": pa.dictionary(pa.int32(), pa.string()), "text": pa.string(), "int": pa.int64(),
                                  "float": pa.float64()}


def metadata(release: Release, ctx: ExportContext) -> dict[str, str]:
    p, a = release.parameters, release.audit
    audit = {f: _finite(getattr(a, f)) for f in a.__dataclass_fields__}
    return {"release_id": release.id, "period": p.period, "stages": ",".join(p.stages), "k": str(p.k), "method": p.method,
            "min_sum_interval": str(p.min_sum_interval), "audit": json.dumps(audit, sort_keys=True),
            "questionnaire_versions": ",".join(p.questionnaire_versions), "created_at": release.created_at.isoformat(),
            "generated_at": ctx.generated_at.isoformat(), "synthetic": "true" if p.synthetic else "false",
            "official": "true" if release.official else "false", "locale": ctx.locale}


def _finite(value: object) -> object:
    """Strict JSON in the metadata: an unbounded audit interval is written as "inf"."""
    return str(value) if isinstance(value, float) and not math.isfinite(value) else value


def table_parquet(table: LongTable, meta: dict[str, str]) -> bytes:
    schema = pa.schema([pa.field(c.id, TYPES[c.kind], nullable=c.kind in ("int", "float")) for c in table.columns],
                       metadata={k.encode(): v.encode() for k, v in meta.items()})
    arrays = []
    for i, column in enumerate(table.columns):
        values = [row[i] for row in table.rows]
        plain = pa.array(values, type=pa.string() if column.kind == "code" else TYPES[column.kind])
        arrays.append(plain.dictionary_encode() if column.kind == "code" else plain)
    out = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), out, compression="zstd")
    return out.getvalue()


def release_parquet(release: Release, ctx: ExportContext) -> bytes:
    return table_parquet(long_table(release, ctx), metadata(release, ctx))
