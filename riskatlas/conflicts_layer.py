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

LAYER_ID = "conflicts"
LABEL = "documented conflict (EJAtlas)"
RGB = (197, 27, 125)  # magenta: outside the viridis risk scale, the grey and contributions' orange
RADIUS = 7
SHOW_KEY = "show_conflicts"
SHOW_PARAM = "conflicts"  # ?conflicts=0 hides the layer; absent = shown
TOGGLE = "Show documented conflicts (EJAtlas)"
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


def layers(countries: tuple[str, ...] | list[str] = ()) -> list[pdk.Layer]:
    """The layer for the view's countries (all when none is chosen); none without cases."""
    from riskatlas import db

    if not db.has_table("conflicts"):
        return []
    df = db.query("conflict_points", {"countries": list(countries)})
    return [conflicts_layer(df)] if not df.empty else []


# --- Streamlit side: the switch, kept in the URL when off, and the legend line ---------------


def _push_shown() -> None:
    import streamlit as st

    if st.session_state[SHOW_KEY]:
        st.query_params.pop(SHOW_PARAM, None)
    else:
        st.query_params[SHOW_PARAM] = "0"


def shown_toggle() -> bool:
    """The "show documented conflicts" switch (on by default); ?conflicts=0 turns it off."""
    import streamlit as st

    from_url = st.query_params.get(SHOW_PARAM, "1") not in ("0", "off", "false", "no")
    if st.session_state.get(f"_{SHOW_KEY}_url") != from_url:
        st.session_state[SHOW_KEY] = from_url
        st.session_state[f"_{SHOW_KEY}_url"] = from_url
    shown = st.toggle(
        TOGGLE,
        key=SHOW_KEY,
        on_change=_push_shown,
        help="Cases from the Environmental Justice Atlas: conflicts documented around a mine, "
        "dump or plant. Their own layer (magenta rings), never counted as sites; a case is "
        "linked to a site only with a stated basis (company, distance, commodity).",
    )
    st.session_state[f"_{SHOW_KEY}_url"] = shown
    return shown


def legend(shown: bool) -> None:
    """The legend entry of the layer (fixed words only)."""
    import streamlit as st

    if not shown:
        st.caption("Documented conflicts hidden.")
        return
    r, g, b = RGB
    ring = (
        "display:inline-block;width:11px;height:11px;border-radius:50%;vertical-align:middle;"
        f"background:rgba({r},{g},{b},0.25);border:2px solid rgb({r},{g},{b})"
    )
    st.markdown(
        f'<div style="font-size:0.85rem;line-height:1.5"><span style="{ring}"></span> '
        f"<b>{LABEL}</b>: a case, not a site; linked to sites only with a stated basis. "
        "EJAtlas content: non-commercial use, with attribution.</div>",
        unsafe_allow_html=True,
    )
