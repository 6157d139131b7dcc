"""How a score's evidence level reads to a user: "this plant" never looks like "this country".

site_risk.evidence_level is the strongest rung a site's scores stand on (riskatlas.risk.score).
The tooltip, the Map's table and the downloads say it in these words.
"""

from __future__ import annotations

from typing import Any

EVIDENCE_TEXT = {
    "site": "site-level evidence: a dated finding at this site or a documented conflict linked to it",
    "mineral_country": "no site evidence: mineral x country findings (this mineral in this country)",
    "country": "no site evidence: country conditions only (the same for every site in the country)",
    "none": "no evidence",
}


def evidence_text(level: Any) -> str:
    """The tooltip line for an evidence level ('' when the level is not known)."""
    return EVIDENCE_TEXT.get(level, "") if isinstance(level, str) else ""


# The Map's table: a few words beside each score, so a ranked plant says whether its score is
# about "this plant" or only about "this country" (issue 15.5).
EVIDENCE_SHORT = {
    "site": "this site (dated finding or linked conflict)",
    "mineral_country": "mineral in this country (no site evidence)",
    "country": "country conditions only",
    "none": "none",
}


def evidence_short(level: Any) -> str:
    """The table's words for an evidence level ('' when not known)."""
    return EVIDENCE_SHORT.get(level, "") if isinstance(level, str) else ""
