"""The Map's layer of documented conflicts (EJAtlas): its own colour and label, never a site.

Why its own layer: an EJAtlas case documents a conflict around a place (a mine, a dump, a
plant); it is not a site of a supply-chain tier, so it is drawn apart, labelled "documented
conflict (EJAtlas)", never counted with the sites or in the hotspot table. Its point is the
case's mapped location (often a town or project centroid), so every point is drawn as an
approximate ring. The tooltip names the case, its intensity, status and last update, the sites
it is linked to and on which bases, the case address and EJAtlas's non-commercial terms.
The layer is drawn under the sites' layers (points or H3 cells): where a case and a site
coincide, a hover or click reaches the site (whose page lists the cases linked to it).
``?conflicts=0`` hides the layer (same pattern as ``?contributed=0``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pydeck as pdk

from riskatlas.layers import esc
from riskatlas.view import Runner

LAYER_ID = "conflicts"
LABEL = "documented conflict (EJAtlas)"
RGB = (197, 27, 125)  # magenta: outside the viridis risk scale, the grey and contributions' orange
RADIUS = 7
SHOW_KEY = "show_conflicts"
SHOW_PARAM = "conflicts"  # ?conflicts=0 hides the layer; absent = shown
TOGGLE = "Show documented conflicts (EJAtlas)"  # the switch (riskatlas.ui.map_view)
TERMS = "EJAtlas – Global Atlas of Environmental Justice (ejatlas.org), non-commercial use"


def _day(v: Any) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return "n.d."
    return pd.Timestamp(v).date().isoformat()


def tip(row: Any) -> str:
    """The tooltip text of one case (plain text; the browser escapes tooltip values)."""
    if row.attributes_missing:
        return "\n".join(
            [
                LABEL,
                f"EJAtlas conflict id {esc(row.conflict_id)} (no case attributes in the data)",
                "Location: the case's mapped point (approximate)",
                TERMS,
            ]
        )
    linked = (
        f"Linked to {int(row.n_sites)} site(s): {esc(row.bases)}"
        if row.n_sites
        else "Not linked to any atlas site (no company or commodity match nearby)"
    )
    lines = [
        LABEL,
        esc(row.name),
        " · ".join(
            x
            for x in (
                f"intensity {esc(row.intensity)}" if row.intensity else "",
                esc(row.project_status) if row.project_status else "",
                f"last update {_day(row.last_update)}",
            )
            if x
        ),
        f"Commodities: {esc(row.commodities)}" if row.commodities else "",
        f"Companies: {esc(row.companies)}" if row.companies else "",
        linked,
        f"Case: {esc(row.url)}",
        "Location: the case's mapped point (approximate: a town or project centroid)",
        TERMS,
    ]
    return "\n".join(x for x in lines if x)


def point_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Position, style and tooltip of every case with a point."""
    out = []
    for row in df.itertuples(index=False):
        if pd.isna(row.lat) or pd.isna(row.lon):
            continue
        out.append(
            {
                "conflict_id": str(row.conflict_id),
                "url": esc(row.url),
                "lon": round(float(row.lon), 5),
                "lat": round(float(row.lat), 5),
                "fill": [*RGB, 60],
                "line": [*RGB, 255],
                "tip": tip(row),
            }
        )
    return out


def conflicts_layer(df: pd.DataFrame) -> pdk.Layer:
    """A ScatterplotLayer of documented conflicts (queries/conflict_points.sql rows)."""
    return pdk.Layer(
        "ScatterplotLayer",
        id=LAYER_ID,
        data=point_records(df),
        get_position="[lon, lat]",
        get_fill_color="fill",
        get_line_color="line",
        get_radius=RADIUS,
        get_line_width=2,
        radius_units='"pixels"',
        line_width_units='"pixels"',
        stroked=True,
        filled=True,
        pickable=True,
        auto_highlight=True,
    )


def layers(run: Runner, countries: tuple[str, ...] | list[str] = ()) -> list[pdk.Layer]:
    """The layer for the view's countries (all when none is chosen); none without cases.

    ``run`` runs a named query (the View's runner: the app's cached queries, or sql.run)."""
    if "conflicts" not in set(run("table_names", {}, {})["table_name"]):
        return []
    df = run("conflict_points", {"countries": list(countries)}, {})
    return [conflicts_layer(df)] if not df.empty else []
