"""The merged string catalog, validated like every other content file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import RootModel

from content.errors import ContentError, Problem
from content.loader import load_yaml, validate_data
from content.types import DEFAULT_LOCALE, Text

STRINGS_DIR = Path(__file__).with_name("strings")


class StringFile(RootModel[dict[str, Text]]):
    """A strings file: ``key: {fr: ..., en: ...}``; keys are dotted names like ``welcome.title``."""


@cache
def catalog(directory: Path = STRINGS_DIR) -> dict[str, Text]:
    merged: dict[str, Text] = {}
    origin: dict[str, str] = {}
    problems = []
    for path in sorted(directory.glob("*.yaml")):
        data, lines = load_yaml(path)
        strings = validate_data(StringFile, data, lines, str(path)).root
        for key, text in strings.items():
            if key in merged:
                problems.append(Problem(str(path), lines.get((key,)), key, f"key already defined in {origin[key]}"))
            merged[key], origin[key] = text, str(path)
    if problems:
        raise ContentError(problems)
    return merged


def t(key: str, locale: str = DEFAULT_LOCALE, **values: object) -> str:
    """The string ``key`` in ``locale`` with ``{name}`` placeholders filled from ``values``."""
    text = catalog()[key].get(locale)
    return text.format(**values) if values else text
