"""Approved contributions in export shape: labelled as contributed, formula-like cells neutralised."""

from __future__ import annotations

import pandas as pd

from riskatlas.exports import neutralise

EXPORT_NOTE = (
    "Includes contributed evidence: records added by advocates or unions and approved by a "
    "maintainer. They are not from a published source and are labelled 'contributed'."
)
COLUMNS = [
    "label",
    "contribution_id",
    "site_key",
    "site_id",
    "site_name",
    "tier",
    "description",
    "event_date",
    "evidence_url",
    "contributor",
    "country_iso3",
    "lat",
    "lon",
    "geo_precision",
    "location_source",
    "geo_note",
    "minerals",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "review_note",
]


def for_export(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`approved_contributions` ready for CSV/XLSX: lists joined, text neutralised.

    Why: contributed text is stored exactly as given (``=SUM(...)`` stays text), so the export
    must stop a spreadsheet from running it; and every row says it was contributed. Callers
    include these rows only when the user asks for them, and print :data:`EXPORT_NOTE`.
    """
    out = df.reindex(columns=COLUMNS).copy()
    out["minerals"] = ["; ".join(m) if isinstance(m, list | tuple) else m for m in out["minerals"]]
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(neutralise)
    return out.reset_index(drop=True)
