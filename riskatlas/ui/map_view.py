"""The Map page's map, laid out: the layer switches, the finished deck (riskatlas.map_deck builds
it: outlines, one layer per tier or H3 cells for huge sets, conflicts, approved contributions as
a layer of their own) cached per view, the legend beside it, a click to a Site page; the
title, the counts above it and the downloads' "include contributed evidence"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from riskatlas import aggregate, conflicts_layer, settings, wording
from riskatlas.contrib.layer import LAYER_ID as CONTRIB_LAYER_ID
from riskatlas.contrib.layer import RGB as CONTRIB_RGB
from riskatlas.filters import FilterState, cache_key
from riskatlas.layers import SpecDeck
from riskatlas.map_deck import MapDeck, map_deck, view_site_ids
from riskatlas.ui import connection, data, static_files
from riskatlas.ui.common import SITE_PAGE, md_text, ocean_background, page_guard
from riskatlas.ui.legend import legend
from riskatlas.view import View

MAP_KEY = "atlas_map"
SHOW_CONTRIB_KEY = "show_contributed"
SHOW_CONTRIB_PARAM = "contributed"  # ?contributed=0 hides the layer; absent = shown
INCLUDE_CONTRIB_KEY = "include_contributed"
CONTRIB_TOGGLE = "Show contributed evidence"
CONTRIB_EXPORT_LABEL = "Include contributed evidence"


def selected_site(event: Any) -> str | None:
    """The site_id of the clicked point (a site or a contribution), if not a cell was clicked.

    A contribution's id is its atlas site, or 'contrib:<id>' for a place the atlas lacks.
    """
    try:
        objects = event.selection.objects
    except (AttributeError, KeyError):
        return None
    for layer_id, objs in (objects or {}).items():
        layer_id = str(layer_id)
        if (layer_id.startswith("sites-") or layer_id == CONTRIB_LAYER_ID) and objs:
            site_id = objs[0].get("site_id")
            if site_id:
                return str(site_id)
    return None


@st.cache_data(max_entries=settings.VIEW_CACHE.number(), show_spinner="Drawing the map…")
def _map(
    state: FilterState,
    db_version: str,
    max_points: int,
    show_contributed: bool = False,
    contrib_version: str = "",
    show_conflicts: bool = False,
) -> MapDeck:
    """The finished map of a filter state (riskatlas.map_deck), cached: a click reruns the map
    fragment; a review changes contrib_version, so an approval shows without a restart."""
    approved = data.approved().frame if show_contributed else None
    # large layer data goes to served files: the browser parses the spec with JSON5 (slow)
    return map_deck(
        data.filtered_set(state), max_points, approved, show_conflicts, static_files.offload_layers
    )


def _push_shown(key: str, param: str) -> None:
    if st.session_state[key]:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = "0"


def layer_toggle(key: str, param: str, label: str, help_text: str) -> bool:
    """A layer's on/off switch (on by default), kept in the URL as ``?<param>=0`` when off; the
    URL wins when a link was followed (the contributions and the conflicts layers), and when
    Streamlit dropped the widget's value (a rerun whose message carries no widget states, as a
    reader's client that only follows links sends): the switch then says what the URL says,
    never off by accident, and the map is the one every other reader of that URL shares."""
    from_url = st.query_params.get(param, "1") not in ("0", "off", "false", "no")
    if st.session_state.get(f"_{key}_url") != from_url or key not in st.session_state:
        st.session_state[key] = from_url
        st.session_state[f"_{key}_url"] = from_url
    shown = st.toggle(label, key=key, on_change=_push_shown, args=(key, param), help=help_text)
    st.session_state[f"_{key}_url"] = shown
    return shown


def show_contributed_toggle() -> bool:
    """The "show contributed evidence" switch (on by default), kept in the URL when off."""
    return layer_toggle(
        SHOW_CONTRIB_KEY,
        SHOW_CONTRIB_PARAM,
        CONTRIB_TOGGLE,
        "Sites and incidents added by advocates and unions and approved by a maintainer: "
        "their own layer (orange), never counted with the published sources.",
    )


def show_conflicts_toggle() -> bool:
    """The "show documented conflicts" switch (on by default); ?conflicts=0 turns it off."""
    return layer_toggle(
        conflicts_layer.SHOW_KEY,
        conflicts_layer.SHOW_PARAM,
        conflicts_layer.TOGGLE,
        "Cases from the Environmental Justice Atlas: conflicts documented around a mine, "
        "dump or plant. Their own layer (magenta rings), never counted as sites; a case is "
        "linked to a site only with a stated basis (company, distance, commodity).",
    )


def conflicts_legend(shown: bool, n: int = 0, scope: str = "") -> None:
    """The legend entry of the conflicts layer: how many cases are drawn and which (a count and
    fixed words only)."""
    if not shown:
        st.caption("Documented conflicts hidden.")
        return
    r, g, b = conflicts_layer.RGB
    ring = (
        "display:inline-block;width:11px;height:11px;border-radius:50%;vertical-align:middle;"
        f"background:rgba({r},{g},{b},0.25);border:2px solid rgb({r},{g},{b})"
    )
    st.markdown(
        f'<div style="font-size:0.85rem;line-height:1.5"><span style="{ring}"></span> '
        f"<b>{conflicts_layer.LABEL}</b>: a case, not a site; linked to sites only with a "
        f"stated basis. {n:,} drawn: {scope}. "
        "EJAtlas content: non-commercial use, with attribution.</div>",
        unsafe_allow_html=True,
    )


def contributed_legend(n: int | None, problem: str | None) -> None:
    """The legend entry of the contributions layer (a count and fixed words only); ``n`` is None
    when the layer is hidden."""
    if problem:
        st.caption(md_text(problem))
    if n is None:
        st.caption("Contributed evidence hidden.")
        return
    r, g, b = CONTRIB_RGB
    dot = (
        "display:inline-block;width:12px;height:12px;border-radius:50%;vertical-align:middle;"
        f"background:rgb({r},{g},{b});border:1px solid #fff"
    )
    st.markdown(
        f'<div style="font-size:0.85rem;line-height:1.5"><span style="{dot}"></span> '
        f"<b>contributed</b> evidence: {n:,} on the map (reviewed by a maintainer, not a "
        "published source; not scored, not in the counts or the hotspot table)</div>",
        unsafe_allow_html=True,
    )


@st.fragment
def map_section(view: View) -> None:
    """Map and legend; a click reruns only this fragment, then opens the Site page.

    A fragment reruns on its own, outside the page's guard: it carries the guard itself."""
    with page_guard():
        _map_section(view)


def _map_section(view: View) -> None:
    state = view.state
    show = show_contributed_toggle()
    show_conflicts = show_conflicts_toggle()
    drawn = _map(
        cache_key(state),
        connection.version(),
        aggregate.MAX_POINTS,
        show,
        data.contributions_version() if show else "",
        show_conflicts,
    )
    aggregated = drawn.aggregated
    if aggregated:
        kinds = (
            " Documented and inferred sites are counted apart in each cell; a cell holding "
            "inferred sites only is faded."
            if state.brands
            else ""
        )
        st.info(
            f"{view.n_located:,} located rows match: more than the "
            f"{aggregate.MAX_POINTS:,} points a map can show, so it shows them aggregated to H3 "
            f"cells, one circle per cell, coloured by the highest known {state.dimension} risk "
            "(hover for counts; zoom in to separate nearby cells)."
            f"{kinds} Narrow the filters (a country, a tier, a brand) to see single sites; the "
            "table and the downloads hold every row."
        )
    col_map, col_legend = st.columns([4, 1])
    with col_map:
        ocean_background()
        event = st.pydeck_chart(
            SpecDeck(drawn.spec, drawn.tooltip),
            on_select="rerun",
            selection_mode="single-object",
            key=MAP_KEY,
            height=560,
            alt=f"Map of {view.n_rows:,} sites coloured by {state.dimension} risk",
        )
        st.caption(
            "Click a site to open its page. No basemap is loaded from the internet: "
            "country outlines are Natural Earth (public domain)."
        )
    with col_legend:
        counts = drawn.legend
        legend(counts.tier_counts, counts.n_unknown, counts.dimension, counts.aggregated)
        contributed_legend(counts.n_contributed, data.approved().problem if show else None)
        conflicts_legend(counts.conflicts, counts.n_conflicts, counts.conflicts_scope)
    site_id = selected_site(event)
    if site_id:
        st.switch_page(SITE_PAGE, query_params={"site": site_id})


def title(state, vocab) -> str:
    """The page title states the question the filters ask."""
    return wording.map_title(list(state.minerals), [vocab.brands.get(b, b) for b in state.brands])


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
        c3.metric(
            f"Unknown {state.dimension} risk",
            f"{view.n_unknown:,}",
            help="No evidence yet: unknown is not low.",
        )
        if view.unlocated_links:
            st.caption(
                f"{view.unlocated_links:,} listed link(s) name a site the atlas cannot "
                "locate; they are not on the map."
            )
        coverage = data.brand_coverage(state.brands)
        if not view.empty:
            for brand_id in state.brands:
                st.caption(md_text(wording.brand_lists_text(coverage, brand_id)))
    else:
        st.markdown(
            f"**{view.n_sites:,} sites** match the filters; {view.n_unknown:,} of them have no "
            f"{state.dimension} evidence yet (shown grey: unknown, not low). Pick a brand in the "
            "sidebar to see the sites it lists (documented) and where they could source from "
            "(inferred)."
        )
    if view.hidden_unknown:
        st.caption(
            f"The minimum risk leaves out {view.hidden_unknown:,} row(s) whose "
            f"{state.dimension} risk is unknown."
        )
    if view.empty and state.brands:
        others = bool(state.tiers or state.countries or state.min_risk is not None)
        st.warning(
            md_text(
                "Nothing matches these filters. "
                + wording.why_empty(
                    data.brand_coverage(state.brands),
                    state.brands,
                    state.minerals,
                    state.year,
                    others,
                )
            )
        )
    elif view.empty:
        st.warning(
            "Nothing matches these filters: no site in the atlas meets all of them at once. "
            "Remove one (in the sidebar) to widen the view."
        )


def export_rows(view: View) -> tuple[Callable[[], pd.DataFrame], int]:
    """What the downloads hold, fetched only when one is clicked, and how many rows: the view,
    plus approved contributions only when the user ticks "include contributed evidence" (then
    the caption and every contributed row say so)."""
    include = st.checkbox(
        CONTRIB_EXPORT_LABEL,
        value=False,
        key=INCLUDE_CONTRIB_KEY,
        help="Adds the approved contributions matching these filters as rows of kind "
        "'contributed', each citing its contributor and evidence address.",
    )
    if not include:
        return (lambda: view.frame), view.n_rows
    from riskatlas.contrib.export import EXPORT_NOTE

    contrib = data.contributions(view.state, view_site_ids(view))
    if contrib.problem:
        st.warning(md_text(contrib.problem))
    st.caption(
        f"{EXPORT_NOTE} This download adds {len(contrib.frame):,} contributed row(s) "
        "(kind = contributed, source_id = contributed, with export_note) to the view's "
        f"{view.n_rows:,} row(s)."
    )
    return (
        lambda: data.with_contributions(view.frame, contrib.frame),
        view.n_rows + len(contrib.frame),
    )
