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

Which cases a view draws: with no filter but countries, every case in those countries. A view
narrowed any other way (a brand, a mineral, a tier, a finding, a province, a year, a minimum
risk, site evidence) draws only the cases linked to a site it shows, plus, without a brand, the
cases naming a chosen mineral or e-waste cases when the e-waste tier is chosen. Why: in a
brand's or a mineral's view every case of the world (2,796 rings) buried the sites the reader
asked for under rings unrelated to them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pydeck as pdk

from riskatlas.filters import FilterState
from riskatlas.layers import esc
from riskatlas.view import View

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
        f"Shown because: {esc(row.shown_because)}" if getattr(row, "shown_because", "") else "",
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


def narrowed(state: FilterState) -> bool:
    """Whether the view is narrowed beyond countries (then only its own cases are drawn)."""
    return bool(
        state.brands
        or state.minerals
        or state.tiers
        or state.provinces
        or state.findings
        or state.year is not None
        or state.min_risk is not None
        or state.evidence
    )


def unlinked_rules(state: FilterState) -> dict[str, bool]:
    """Which unlinked cases a narrowed view also draws (View.conflicts' flags): without a
    brand, cases naming a chosen mineral, and e-waste cases when the e-waste tier is chosen."""
    return {
        "by_mineral": bool(not state.brands and state.minerals),
        "by_ewaste": bool(not state.brands and "ewaste" in state.tiers),
    }


def scope(state: FilterState) -> str:
    """Which cases the layer holds, in the legend's words (fixed text only)."""
    if not narrowed(state):
        where = "in the chosen countries" if state.countries else "with a mapped point"
        return f"every case {where}"
    rules = unlinked_rules(state)
    words = {"by_mineral": "naming a chosen mineral", "by_ewaste": "about e-waste"}
    extra = [words[k] for k, on in rules.items() if on]
    more = f", or {' or '.join(extra)}" if extra else ""
    return f"cases linked to a site shown{more}"


def cases(view: View) -> pd.DataFrame:
    """The cases a view draws (queries/conflict_points.sql or queries/view_conflicts.sql)."""
    state = view.state
    if not narrowed(state):
        return view.run("conflict_points", {"countries": list(state.countries)}, {})
    return view.conflicts(**unlinked_rules(state))


def layers(view: View) -> tuple[list[pdk.Layer], int]:
    """The layer of the view's cases (none without cases) and how many cases it draws."""
    if "conflicts" not in set(view.run("table_names", {}, {})["table_name"]):
        return [], 0
    df = cases(view)
    df = df.dropna(subset=["lat", "lon"])
    return ([conflicts_layer(df)] if not df.empty else []), len(df)
