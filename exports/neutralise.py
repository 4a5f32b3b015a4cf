"""Formula neutralisation of text cells (OWASP ASVS 1.2.10, CWE-1236).

A spreadsheet runs a cell whose text starts with ``= + - @`` (after any leading spaces, and also
after a tab, carriage return or NUL, which some programs strip) as a formula: a firm id such as
``=cmd|' /C calc'!A0`` must come out as text. Such a cell gets a leading ``'``, which Excel and
LibreOffice show as the text marker. Full-width ``＝＋－＠`` are treated the same (some programs
normalise them). Only text is changed: numbers are written as numbers by the caller.
"""

from __future__ import annotations

TRIGGERS = frozenset("=+-@\t\r\0＝＋－＠")


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet could read it as a formula."""
    stripped = text.lstrip(" ")
    return "'" + text if stripped and stripped[0] in TRIGGERS else text
