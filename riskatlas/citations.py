"""The reports a curated e-waste site cites (and the EJAtlas case a conflict site comes from),
split back into title, publisher, year and address, and shown beside the site's rows.

Why in the library: the Map's points, the hotspot table and the Site page all word a citation
the same way; the map's deck is built without Streamlit (riskatlas.map_deck).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from riskatlas.view import Runner

CURATED_NOTE = "curated from public reports (curated_ewaste)"
_CITATION = re.compile(
    r"^(?P<title>.+)\. (?P<publisher>[^.]+?), (?P<year>\d{4})\. (?P<url>https?://\S+)$"
)
_CITATION_LOOSE = re.compile(r"^(?P<title>.+?),? (?P<year>\d{4})\.? (?P<url>https?://\S+)$")


@dataclass(frozen=True)
class Citation:
    """One report a curated site cites: title, publisher, year and its public address."""

    title: str
    publisher: str
    year: int | None
    url: str | None
    text: str  # the citation as stored

    def short(self, max_title: int = 90) -> str:
        """'Publisher (year): Title' for a tooltip, the title cut to max_title characters."""
        title = self.title if len(self.title) <= max_title else self.title[: max_title - 1] + "…"
        if not self.publisher:
            return f"{title} ({self.year})" if self.year else title
        return f"{self.publisher} ({self.year}): {title}" if self.year else title


def parse_citation(text: str) -> Citation:
    """Split a curated_ewaste citation back into its parts.

    Why: the adapter stores one text per report ('Title. Publisher, Year. URL') so the Site
    page can name title, publisher, year and link the address; text that does not follow
    that shape is kept whole as the title, never dropped.
    """
    text = str(text or "").strip()
    m = _CITATION.match(text)
    if m:
        return Citation(m["title"], m["publisher"], int(m["year"]), m["url"], text)
    m = _CITATION_LOOSE.match(text)
    if m:
        return Citation(m["title"], "", int(m["year"]), m["url"], text)
    return Citation(text, "", None, None, text)


EJATLAS_NOTE = "documented conflict case (EJAtlas, non-commercial licence)"


def _note_of(site_id: str) -> str:
    """Whose citation an e-waste site carries: a curated report, or its EJAtlas case."""
    return EJATLAS_NOTE if str(site_id).startswith("ejatlas:") else CURATED_NOTE


def with_report_citations(frame: pd.DataFrame, run: Runner) -> pd.DataFrame:
    """Add ``source_note`` to curated e-waste rows: the reports they cite, for the tooltip and
    the hotspot table (``run``: the View's runner for queries/ewaste_citations.sql)."""
    if frame.empty or not (frame["tier"] == "ewaste").any():
        return frame
    cites = run("ewaste_citations", {}, {})
    notes = {
        site_id: f"{_note_of(site_id)}: "
        + "; ".join(parse_citation(c).short() for c in grp["citation"])
        for site_id, grp in cites.groupby("site_id", sort=False)
    }
    out = frame.copy()
    out["source_note"] = out["site_id"].map(notes)
    return out
