"""Numbers and dates per locale (fr_CA / en_CA) through Babel."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

BABEL_LOCALES = {"fr": "fr_CA", "en": "en_CA"}


def _babel(locale: str) -> str:
    return BABEL_LOCALES.get(locale, BABEL_LOCALES["fr"])


def format_decimal(value: float, locale: str = "fr", digits: int = 1) -> str:
    """12345.6 -> '12 345,6' in French, '12,345.6' in English."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _babel_decimal(value, format=pattern, locale=_babel(locale))


def format_score(value: float | None, locale: str = "fr") -> str:
    """A 0–100 score with one decimal, or an em dash when there is none."""
    return "—" if value is None else format_decimal(value, locale, 1)


def format_percent(share: float, locale: str = "fr", digits: int = 0) -> str:
    """0.256 -> '26 %' (fr, with a no-break space) or '26%' (en)."""
    number = "#,##0" + ("." + "0" * digits if digits else "")
    pattern = number + ("\u00a0%" if locale == "fr" else "%")  # French puts a no-break space before %
    return _babel_percent(share, format=pattern, locale=_babel(locale))


def format_date(value: date | datetime, locale: str = "fr") -> str:
    """26 novembre 2026 / November 26, 2026."""
    return _babel_date(value, format="long", locale=_babel(locale))
