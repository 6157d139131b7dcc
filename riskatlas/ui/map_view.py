"""The atlas map: outlines, one layer per tier (or H3 cells for huge sets), click to a Site page."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pydeck as pdk
import streamlit as st

from riskatlas import db
from riskatlas.aggregate import h3_cells, needs_aggregation
from riskatlas.layers import (
    country_outline_layer,
    deck,
    h3_layer,
    ocean_layer,
    site_layers,
    view_for,
)
from riskatlas.ui.common import SITE_PAGE
from riskatlas.ui.legend import legend

MAP_KEY = "atlas_map"


def build_deck(frame: pd.DataFrame, dimension: str) -> tuple[pdk.Deck, bool]:
    """The deck for a filtered set, and whether it was aggregated to H3 cells."""
    shapes = db.query("country_shapes")
    base = [ocean_layer(), country_outline_layer(shapes)]
    points = frame.dropna(subset=["lat", "lon"]) if not frame.empty else frame
    aggregated = needs_aggregation(len(points))
    if aggregated:
        layers = [*base, h3_layer(h3_cells(points, dimension))]
    else:
        layers = [*base, *site_layers(points, dimension)]
    return deck(layers, **view_for(points)), aggregated


def selected_site(event: Any) -> str | None:
    """The site_id of the clicked point, if a site (not a cell) was clicked."""
    try:
        objects = event.selection.objects
    except (AttributeError, KeyError):
        return None
    for layer_id, objs in (objects or {}).items():
        if str(layer_id).startswith("sites-") and objs:
            site_id = objs[0].get("site_id")
            if site_id:
                return str(site_id)
    return None


@st.fragment
def map_section(frame: pd.DataFrame, dimension: str) -> None:
    """Map and legend; a click reruns only this fragment, then opens the Site page."""
    the_deck, aggregated = build_deck(frame, dimension)
    if aggregated:
        st.info(
            f"{len(frame):,} sites match: too many points to draw, so the map shows them "
            "aggregated to H3 cells (hover for counts). Narrow the filters to see single sites; "
            "the table and the downloads hold every row."
        )
    col_map, col_legend = st.columns([4, 1])
    with col_map:
        event = st.pydeck_chart(
            the_deck,
            on_select="rerun",
            selection_mode="single-object",
            key=MAP_KEY,
            height=560,
            alt=f"Map of {len(frame):,} sites coloured by {dimension} risk",
        )
        st.caption("Click a site to open its page. No basemap is loaded from the internet: "
                   "country outlines are Natural Earth (public domain).")
    with col_legend:
        legend(frame, dimension)
    site_id = selected_site(event)
    if site_id:
        st.switch_page(SITE_PAGE, query_params={"site": site_id})
