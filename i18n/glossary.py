"""The French glossary: one term per concept (``i18n/glossary.yaml``), checked on every French string.

``violations(glossary, texts)`` lists each French string that uses a forbidden variant, and each
concept whose English name must appear exactly once in French (the DII) but does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from content.loader import load_yaml, validate_data
from content.types import Id, Strict, Text

GLOSSARY_FILE = Path(__file__).with_name("glossary.yaml")
URL = re.compile(r"https?://\S+")


class Concept(Strict):
    id: Id
    fr: str = Field(min_length=1)  # the one French term
    en: str = Field(min_length=1)
    forbidden_fr: list[str] = Field(default_factory=list)  # regular expressions
    english_name_once: str | None = None  # the English name, to appear in exactly one French string
    note: Text | None = None

    @field_validator("forbidden_fr")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns


class Glossary(Strict):
    kind: Literal["glossary"]
    concepts: list[Concept] = Field(min_length=1)


def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    data, lines = load_yaml(path)
    return validate_data(Glossary, data, lines, str(path))


def french_texts(node: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every ``fr`` string of a loaded YAML document, with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "fr" and isinstance(value, str):
                yield path, value
            else:
                yield from french_texts(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from french_texts(value, (*path, i))


@dataclass(frozen=True)
class Violation:
    where: str
    concept: str
    found: str

    def __str__(self) -> str:
        return f"{self.where}: {self.found!r} — use the glossary term for {self.concept!r}"


def violations(glossary: Glossary, texts: Iterable[tuple[str, str]]) -> list[Violation]:
    """``texts``: (where, French string) pairs."""
    texts = list(texts)
    out = []
    for concept in glossary.concepts:
        patterns = [re.compile(p) for p in concept.forbidden_fr]
        once = 0
        for where, text in texts:
            text = URL.sub("", text)
            if concept.english_name_once and concept.english_name_once in text:
                once += text.count(concept.english_name_once)
                text = text.replace(concept.english_name_once, "")
            for pattern in patterns:
                out += [Violation(where, concept.id, m.group(0)) for m in pattern.finditer(text)]
        if concept.english_name_once and once != 1:
            out.append(Violation("(all French strings)", concept.id, f"{concept.english_name_once!r} appears {once} times, not once"))
    return out
