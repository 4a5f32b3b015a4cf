"""JSON documents as types, without ``Any`` (e.g. ``Result.to_json()``, the stored result snapshot).

``JsonValue`` is recursive and uses the read-only ``Sequence``/``Mapping`` so that ordinary typed
values (``dict[str, float]``, ``list[str]``, tuples) are JSON values as they are. ``JsonObject`` is a
document being built (a ``dict`` one can add keys to); ``JsonDoc`` is one being read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

JsonScalar: TypeAlias = str | int | float | bool | None
JsonValue: TypeAlias = JsonScalar | Sequence["JsonValue"] | Mapping[str, "JsonValue"]
JsonObject: TypeAlias = dict[str, JsonValue]
JsonDoc: TypeAlias = Mapping[str, JsonValue]
