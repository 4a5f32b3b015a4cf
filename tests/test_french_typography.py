"""French texts follow French typography: a no-break space before ? ! ; and :."""

from __future__ import annotations

import re

import pytest

from content.loader import load_yaml
from tests.conftest import ROOT

CONTENT = sorted([*ROOT.glob("questionnaires/*.yaml"), *ROOT.glob("i18n/strings/*.yaml"), *ROOT.glob("recommendations/*.yaml"),
                  *ROOT.glob("benchmarks/*.yaml")])
MISSING_SPACE = re.compile(r"[^\s\u00a0\u202f]([?!;:])(\s|$)")


def french_texts(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "fr" and isinstance(value, str):
                yield path, value
            else:
                yield from french_texts(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from french_texts(value, (*path, i))


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_break_space_before_high_punctuation(path):
    data, _ = load_yaml(path)
    bad = [(".".join(map(str, where)), text) for where, text in french_texts(data)
           if "://" not in text and MISSING_SPACE.search(text)]
    assert not bad, bad[:5]
