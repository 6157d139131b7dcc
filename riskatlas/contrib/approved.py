"""Approved contributions as the app and exports read them: one row each, and a site's facts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from riskatlas.contrib.store import FACT_NAME, SITE_KEY_PREFIX, SOURCE_LABEL, list_contributions


def approved_contributions(db_path: str | Path | None = None) -> pd.DataFrame:
    """Approved contributions, for the map layer, the Site page and exports (when asked).

    Columns: every stored column (contribution_id, site_name, tier, description, event_date,
    evidence_url, contributor, site_id [the atlas site it names, or None], country_iso3, lat,
    lon, geo_precision, location_source [contributor | atlas_site | gazetteer], geo_note,
    minerals [list], submitted_at, reviewed_by, reviewed_at, review_note ...) plus
    ``site_key`` (site_id, else 'contrib:<id>') and ``label`` = 'contributed'. Text is raw:
    escape it before it reaches HTML, and neutralise it before a spreadsheet export.
    An absent database means no contributions (an empty frame), never an error.
    """
    df = list_contributions("approved", db_path)
    df["site_key"] = [
        s if isinstance(s, str) and s else f"{SITE_KEY_PREFIX}{i}"
        for s, i in zip(df["site_id"], df["contribution_id"], strict=True)
    ]
    df["label"] = SOURCE_LABEL
    return df.reset_index(drop=True)


def contribution_facts(site_id: str, db_path: str | Path | None = None) -> pd.DataFrame:
    """Approved contributions about one site, shaped like ``site_facts`` but labelled apart.

    ``site_id`` is an atlas site id, or 'contrib:<id>' for a contributed place the atlas does
    not have. Columns: site_id, fact ('contributed_report'), value (what happened, raw text),
    observed_on (the event date), source_id ('contributed' -- not a published source: never
    count it with the sources), source_ref ('contrib:<id>'), then contribution_id, site_name,
    tier, contributor, evidence_url, submitted_at, reviewed_by, reviewed_at, review_note, label.
    """
    df = approved_contributions(db_path)
    df = df[df["site_key"] == site_id]
    out = pd.DataFrame(
        {
            "site_id": site_id,
            "fact": FACT_NAME,
            "value": df["description"],
            "observed_on": df["event_date"],
            "source_id": SOURCE_LABEL,
            "source_ref": [f"{SITE_KEY_PREFIX}{i}" for i in df["contribution_id"]],
        }
    )
    for col in (
        "contribution_id",
        "site_name",
        "tier",
        "contributor",
        "evidence_url",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_note",
        "label",
    ):
        out[col] = df[col].to_numpy()
    return out.sort_values(["observed_on", "contribution_id"]).reset_index(drop=True)
