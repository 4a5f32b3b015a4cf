"""Showing text that came from a firm (or any outside source) literally in Streamlit Markdown."""

from __future__ import annotations

import re

# CommonMark lets any ASCII punctuation be backslash-escaped; escaping all of it also disarms
# HTML tags, entities (&amp;), links, LaTeX ($) and Streamlit's :color[...] / :icon: directives.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def literal(text: str) -> str:
    """``text`` escaped so st.markdown shows it exactly as typed, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
