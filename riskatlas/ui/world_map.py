"""What the Countries page's world choropleths share: pickers that follow the URL, and the map."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from riskatlas.basemap import ocean_layer
from riskatlas.layers import SpecDeck, deck
from riskatlas.ui import static_files

CHORO_TOOLTIP = "{tip}"  # name (iso3), value and source in one plain-text slot


def set_param(name: str, key: str) -> None:
    """Write a picker's choice into the URL, so the address bar always shares the current view."""
    value = st.session_state[key]
    if value in (None, ""):
        st.query_params.pop(name, None)
    else:
        st.query_params[name] = str(value)


def seed_choice(
    key: str,
    options: Sequence,
    raw: str | None,
    default: object,
    unknown: Callable[[str], str],
    parse: Callable[[str], object] | None = None,
) -> None:
    """Start picker ``key`` at the URL's value ``raw`` when it is an option, else at ``default``.

    Why: a shared link must open the same view, and a value in it that is not an option is named
    in a warning (``unknown`` gets it without backticks) rather than dropped silently. A choice
    the session has already made is kept. ``parse`` turns the URL text into an option's type.
    """
    wanted = (parse(raw) if parse else raw) if raw else None
    if raw and wanted not in options:
        st.warning(unknown(raw.replace("`", "")))
    if st.session_state.get(key) not in options:
        st.session_state[key] = wanted if wanted in options else default


def url_year(raw: str) -> int | None:
    """A year as the URL gives it; anything but plain digits is no year."""
    return int(raw) if raw.isdecimal() else None


def world_map(layer, lat: float, height: int, key: str, alt: str) -> None:
    """One choropleth layer over the ocean, the whole world in view, with a plain-text tooltip.

    The countries' shapes and values (300 KB) go to a served file (riskatlas.deck_static), not
    into the spec: the browser parses the spec with Streamlit's JSON5 reader, about 0.2 s for
    each of the page's two maps on the main thread before either shows, and a file with
    JSON.parse in a few milliseconds (the same file again from the browser's cache)."""
    the_deck = deck([ocean_layer(), layer], lat=lat, lon=15, zoom=1.0, tooltip_html=CHORO_TOOLTIP)
    static_files.offload_layers(the_deck.layers)
    st.pydeck_chart(
        SpecDeck(the_deck.to_json(), the_deck._tooltip),
        height=height,
        key=key,
        alt=alt,
    )
