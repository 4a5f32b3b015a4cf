"""A release as plain JSON data and back, exactly (storage keeps the frozen release this way).

Tuples become lists and come back as tuples (by the dataclass field's declared type); the creation
time is ISO 8601 with its offset; an infinite audit interval (nothing caps a hidden cell) is
written as the string "inf", since JSON has no infinity. Fields are matched by name, so a field
added later with a default still reads older releases.
"""

from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any, TypeVar

from domain.jsontypes import JsonDoc, JsonObject
from releases.model import AuditResult, CohortCell, PublishedCell, Release, ReleaseArchetype, ReleaseParameters, TableSpec

FORMAT = 1
_Json = dict[str, Any]  # private: the public signatures use domain.jsontypes
D = TypeVar("D")


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # "inf", "-inf", "nan"
    return value


def release_to_json(release: Release) -> JsonObject:
    """JSON-safe data (dicts, lists, str, int, float, bool, None) for ``json.dumps``."""
    return {"format": FORMAT, **_plain(release)}


def _leaf(cls: type[D], data: _Json) -> D:
    """A flat dataclass from its JSON dict: lists back to tuples, "inf" back to a float."""
    kwargs: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue  # a field added later keeps its default
        value, kind = data[f.name], str(f.type)
        if isinstance(value, list) and kind.startswith("tuple"):
            value = tuple(value)
        elif isinstance(value, str) and "float" in kind and value in ("inf", "-inf", "nan"):
            value = float(value)
        kwargs[f.name] = value
    return cls(**kwargs)


def _parameters(data: _Json) -> ReleaseParameters:
    archetypes = [_leaf(ReleaseArchetype, a) for a in data.get("archetypes", [])]
    return _leaf(ReleaseParameters, {**data, "archetypes": archetypes})


def release_from_json(doc: JsonDoc) -> Release:
    """The release ``release_to_json`` wrote (ValueError on another format version)."""
    data: _Json = dict(doc)
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown release format {data.get('format')!r} (expected {FORMAT})")
    nested = {
        "parameters": _parameters(data["parameters"]),
        "created_at": datetime.fromisoformat(data["created_at"]),
        "tables": tuple(_leaf(TableSpec, t) for t in data["tables"]),
        "cells": tuple(_leaf(PublishedCell, c) for c in data["cells"]),
        "cohort": tuple(_leaf(CohortCell, c) for c in data["cohort"]),
        "audit": _leaf(AuditResult, data["audit"]),
    }
    flat = {k: v for k, v in data.items() if k != "format" and k not in nested}
    return _leaf(Release, {**flat, **nested})
