"""French typography, strict: a no-break space (U+00A0) before « : » and inside « », and a narrow
no-break space (U+202F) or a no-break space before ; ? ! — in every French string of the content
files (URLs left out). An ordinary space, or no space, fails."""

from __future__ import annotations

import re

import pytest

from content.loader import load_yaml
from i18n.glossary import URL, french_texts
from tests.conftest import ROOT

CONTENT = sorted([*ROOT.glob("questionnaires/*.yaml"), *ROOT.glob("i18n/strings/*.yaml"), *ROOT.glob("i18n/*.yaml"),
                  *ROOT.glob("recommendations/*.yaml"), *ROOT.glob("benchmarks/*.yaml")])
NBSP, NNBSP = "\u00a0", "\u202f"
COLON = re.compile(r":(?=\s|$)|(?<=\s):")  # a colon used as punctuation (not 10:30)
HIGH = re.compile(r"[;?!](?=\s|$|[)»\"’])|(?<=\s)[;?!]")


def problems(text: str) -> list[str]:
    text = URL.sub("URL", text)
    found = []
    for m in COLON.finditer(text):
        if m.start() == 0 or text[m.start() - 1] != NBSP:
            found.append(f"{text[max(0, m.start() - 12):m.end() + 3]!r}: U+00A0 before ':'")
    for m in HIGH.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        if before not in (NBSP, NNBSP) and before not in "?!":
            found.append(f"{text[max(0, m.start() - 12):m.end() + 3]!r}: U+202F or U+00A0 before {m.group(0)!r}")
    for m in re.finditer("«", text):
        if text[m.end():m.end() + 1] != NBSP:
            found.append(f"{text[m.start():m.end() + 12]!r}: U+00A0 after «")
    for m in re.finditer("»", text):
        if text[m.start() - 1:m.start()] != NBSP:
            found.append(f"{text[max(0, m.start() - 12):m.end()]!r}: U+00A0 before »")
    return found


@pytest.mark.parametrize("text", ["Score : 3", "Score:\u00a03", "Oui ?", "Oui?", "« Oui »", "«\u00a0Oui »", "Non ; oui"])
def test_the_rule_rejects_ordinary_or_missing_spaces(text):
    assert problems(text)


@pytest.mark.parametrize("text", ["Score\u00a0: 3", "Oui\u202f?", "Oui\u00a0!", "«\u00a0Oui\u00a0»", "Non\u202f; oui", "à 10:30",
                                  "voir https://x.example/?a=1;b=2 : rien", "Quoi\u202f?!"])
def test_the_rule_accepts_typeset_text(text):
    assert not problems(text.replace("https://x.example/?a=1;b=2 : rien", "https://x.example/?a=1;b=2\u00a0: rien"))


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: str(p.relative_to(ROOT)))
def test_french_typography_is_strict(path):
    data, _ = load_yaml(path)
    bad = [(".".join(map(str, where)), p) for where, text in french_texts(data) for p in problems(text)]
    assert not bad, f"{len(bad)} problems, e.g. {bad[:5]}"
