"""The atlas map: outlines, one layer per tier (or H3 cells for huge sets), click to a Site page."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pydeck as pdk
import streamlit as st

from riskatlas import aggregate, db
from riskatlas.aggregate import h3_cells, needs_aggregation
from riskatlas.filters import FilterState
from riskatlas.layers import (
    SpecDeck,
    country_outline_layer,
    deck,
    h3_layer,
    ocean_layer,
    site_layers,
    view_for,
)
from riskatlas.ui import data
from riskatlas.ui.common import SITE_PAGE
from riskatlas.ui.legend import legend

MAP_KEY = "atlas_map"


def build_deck(
    frame: pd.DataFrame, dimension: str, max_points: int | None = None
) -> tuple[pdk.Deck, bool]:
    """The deck for a filtered set, and whether it was aggregated to H3 cells."""
    shapes = db.query("country_shapes")
    base = [ocean_layer(), country_outline_layer(shapes)]
    points = frame.dropna(subset=["lat", "lon"]) if not frame.empty else frame
    aggregated = needs_aggregation(len(points), max_points or aggregate.MAX_POINTS)
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


@st.cache_data(max_entries=32, show_spinner="Drawing the map…")
def _deck_spec(state: FilterState, db_version: str, max_points: int) -> tuple[str, dict, bool]:
    """Serialised deck for a filter state (cached: a click reruns the map fragment)."""
    frame = data.filtered_set(state).frame
    the_deck, aggregated = build_deck(frame, state.dimension, max_points)
    return the_deck.to_json(), the_deck._tooltip, aggregated


@st.fragment
def map_section(state: FilterState, frame: pd.DataFrame) -> None:
    """Map and legend; a click reruns only this fragment, then opens the Site page."""
    spec, tooltip, aggregated = _deck_spec(state, db.version(), aggregate.MAX_POINTS)
    if aggregated:
        st.info(
            f"{len(frame):,} sites match: too many points to draw, so the map shows them "
            "aggregated to H3 cells (hover for counts). Narrow the filters to see single sites; "
            "the table and the downloads hold every row."
        )
    col_map, col_legend = st.columns([4, 1])
    with col_map:
        event = st.pydeck_chart(
            SpecDeck(spec, tooltip),
            on_select="rerun",
            selection_mode="single-object",
            key=MAP_KEY,
            height=560,
            alt=f"Map of {len(frame):,} sites coloured by {state.dimension} risk",
        )
        st.caption(
            "Click a site to open its page. No basemap is loaded from the internet: "
            "country outlines are Natural Earth (public domain)."
        )
    with col_legend:
        legend(frame, state.dimension)
    site_id = selected_site(event)
    if site_id:
        st.switch_page(SITE_PAGE, query_params={"site": site_id})


def title(state, vocab) -> str:
    """The page title states the question the filters ask."""
    minerals = " and ".join(state.minerals) if state.minerals else None
    if state.brands:
        names = ", ".join(vocab.brands.get(b, b) for b in state.brands)
        owner = f"{names}’" if names.endswith("s") else f"{names}’s"
        if minerals:
            return f"Where could the {minerals} in {owner} products come from?"
        return f"Where are the suppliers and smelters {names} lists?"
    if minerals:
        return f"Where {minerals} is mined, refined and used"
    return "Electronics supply-chain risk atlas"


def summary(view, state) -> None:
    """Counts of the view, documented and inferred apart, and what the filters left out."""
    if state.brands:
        c1, c2, c3 = st.columns(3)
        c1.metric(
            "Documented sites",
            f"{view.n_documented:,}",
            help="Sites the brand's own disclosure lists (source and year in the table).",
        )
        c2.metric(
            "Inferred sites",
            f"{view.n_inferred:,}",
            help="Sites no disclosure names; the data suggests a possible route. "
            "Never counted with documented links.",
        )
        unknown = int(view.frame[state.dimension].isna().sum()) if not view.frame.empty else 0
        c3.metric(
            f"Unknown {state.dimension} risk",
            f"{unknown:,}",
            help="No evidence yet: unknown is not low.",
        )
        if view.unlocated_links:
            st.caption(
                f"{view.unlocated_links:,} listed link(s) name a site the atlas cannot "
                "locate; they are not on the map."
            )
    else:
        unknown = int(view.frame[state.dimension].isna().sum()) if not view.frame.empty else 0
        st.markdown(
            f"**{view.n_sites:,} sites** match the filters; {unknown:,} of them have no "
            f"{state.dimension} evidence yet (shown grey: unknown, not low). Pick a brand in the "
            "sidebar to see the sites it lists (documented) and where they could source from "
            "(inferred)."
        )
    if view.hidden_unknown:
        st.caption(
            f"The minimum risk leaves out {view.hidden_unknown:,} row(s) whose "
            f"{state.dimension} risk is unknown."
        )
    if view.frame.empty:
        st.warning("Nothing matches these filters.")
