"""The map layer of approved contributions: its own colour, labelled "contributed", text escaped.

Each point carries the fields of the shared site tooltip (riskatlas.layers.TOOLTIP_HTML: name,
tier, kind, minerals, country, risk, precision, source), so it reads correctly on a deck that
uses that template, plus ``tooltip``: the whole contribution tooltip (what happened, when, by
whom, the evidence address), for a deck that uses :data:`TOOLTIP_HTML` (= "{tooltip}").
Every value is HTML-escaped, and braces and dollar signs are encoded so that contributed text
can never act as part of a tooltip template.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pydeck as pdk

from riskatlas.contrib.approved import approved_contributions
from riskatlas.layers import APPROX_RADIUS, APPROXIMATE, TIER_SINGULAR, esc

LAYER_ID = "contributions"
RGB = (232, 89, 12)  # orange: outside the viridis risk scale and the grey of "unknown"
EXACT_RADIUS = 6
TOOLTIP_HTML = "{tooltip}"
KIND = "contributed (reviewed, not a published source)"
RISK = "not scored: contributed evidence"
MAX_TEXT = 300


def text(value: Any) -> str:
    """Plain text for a tooltip: Streamlit HTML-escapes tooltip values in the browser."""
    return esc(value)


def _short(s: Any, n: int = MAX_TEXT) -> str:
    s = "" if s is None or (isinstance(s, float) and pd.isna(s)) else str(s)
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def _day(v: Any) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    return pd.Timestamp(v).date().isoformat()


def location_text(row: Any) -> str:
    """Where the point comes from, so a contributor's claim never reads as a surveyed fact."""
    if row.location_source == "contributor":
        return "point given by the contributor (their claim)"
    if row.location_source == "atlas_site":
        return f"location of atlas site {row.site_id} ({row.geo_precision or 'unknown'} precision)"
    if row.geo_precision in APPROXIMATE:
        return f"location approximate: {row.geo_precision} level, from the place named"
    return "location precision unknown"


def point_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The per-point payload: position, style, and escaped tooltip fields."""
    out = []
    for row in df.itertuples(index=False):
        if row.lat is None or row.lon is None or pd.isna(row.lat) or pd.isna(row.lon):
            continue
        approx = row.geo_precision in APPROXIMATE or row.geo_precision is None
        by = f"contributed by {row.contributor}, submitted {_day(row.submitted_at)}"
        reviewed = f"approved by {row.reviewed_by} on {_day(row.reviewed_at)}"
        minerals = ", ".join(row.minerals) if len(row.minerals) else ""
        when = _day(row.event_date)
        rec = {
            "site_id": row.site_key,
            "contribution_id": int(row.contribution_id),
            "lon": round(float(row.lon), 5),
            "lat": round(float(row.lat), 5),
            "fill": [*RGB, 0] if approx else [*RGB, 230],
            "line": [*RGB, 255] if approx else [255, 255, 255, 230],
            "radius": APPROX_RADIUS if approx else EXACT_RADIUS,
            "width": 2 if approx else 1,
            "name": text(row.site_name),
            "tier": text(TIER_SINGULAR.get(row.tier, row.tier)),
            "kind": text(KIND),
            "minerals": text(minerals),
            "country": text(row.country_iso3),
            "risk": text(RISK),
            "precision": text(location_text(row)),
            "source": text(f"{by}; {reviewed}; evidence: {row.evidence_url}"),
            "what": text(_short(row.description)),
            "when": text(when),
            "by": text(row.contributor),
            "evidence": text(row.evidence_url),
        }
        rec["tooltip"] = (
            f"{rec['name']}\n{rec['tier']} · contributed, not a published "
            f"source\nWhat happened ({rec['when']}): {rec['what']}\n"
            f"By: {rec['by']} · submitted {text(_day(row.submitted_at))} · "
            f"{text(reviewed)}\nEvidence: {rec['evidence']}\n"
            f"Location: {rec['precision']}" + (f"\nMinerals: {rec['minerals']}" if minerals else "")
        )
        out.append(rec)
    return out


def contributions_layer(
    df: pd.DataFrame | None = None,
    db_path=None,
) -> tuple[pdk.Layer, pd.DataFrame]:
    """A ScatterplotLayer of approved contributions, and the contributions it shows.

    Why its own layer: contributed evidence is reviewed but not published by a source, so it is
    drawn in its own colour and never merged into the site layers or their counts. ``df``
    defaults to :func:`approved_contributions` (``db_path`` as there); rows without a point
    are left out of the layer (they stay in the returned frame).
    """
    if df is None:
        df = approved_contributions(db_path)
    layer = pdk.Layer(
        "ScatterplotLayer",
        id=LAYER_ID,
        data=point_records(df),
        get_position="[lon, lat]",
        get_fill_color="fill",
        get_line_color="line",
        get_radius="radius",
        get_line_width="width",
        radius_units='"pixels"',  # a JSON string, not an accessor expression
        line_width_units='"pixels"',
        stroked=True,
        filled=True,
        pickable=True,
        auto_highlight=True,
    )
    return layer, df
