"""Text from data or from a URL made safe to show as markdown (Streamlit renders markdown)."""

from __future__ import annotations

_MD_SPECIAL = "\\`*_{}[]()#+-.!<>|~$:&"  # & too: '&amp;' in data stays '&amp;', not '&'


def md_text(value: object) -> str:
    """Data text safe to put in markdown: every markdown/HTML character is backslash-escaped."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in str(value))
