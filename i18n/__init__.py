"""UI strings in French and English, and locale-aware formatting (Babel). No UI code here.

Strings live in ``i18n/strings/*.yaml`` (one file per area of the product, each key with ``fr``
and ``en``). ``t(key, locale, **values)`` looks one up and fills ``{placeholders}``.
"""

from content.types import DEFAULT_LOCALE, LOCALES
from i18n.catalog import catalog, t
from i18n.formatting import format_date, format_decimal, format_percent, format_score

__all__ = ["DEFAULT_LOCALE", "LOCALES", "catalog", "format_date", "format_decimal", "format_percent", "format_score", "t"]
