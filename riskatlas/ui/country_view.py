"""The Countries page's indicator choropleth (one indicator and year) and its country profile."""

from __future__ import annotations

import streamlit as st

from riskatlas import db
from riskatlas.basemap import choropleth_layer
from riskatlas.layers import TIER_SINGULAR
from riskatlas.ui.common import md_text, sources_caption
from riskatlas.ui.ewaste_profile import ewaste_profile
from riskatlas.ui.world_map import seed_choice, set_param, url_year, world_map

# Indicators a reader meets first; every other indicator in the database is offered too.
PREFERRED = ("gsi_prevalence_per_1000", "fh_E3", "fh_G4", "wgi_rl", "ilab_working_children_pct")


def choropleth() -> None:
    """Pick an indicator and year; countries without a value are grey (no data, not zero)."""
    catalog = db.query("indicator_catalog")
    if catalog.empty:
        st.info("No country indicators in this build.")
        return
    names = list(catalog["indicator"])
    ordered = [n for n in PREFERRED if n in names] + [n for n in names if n not in PREFERRED]
    seed_choice(
        "cty_indicator",
        names,
        st.query_params.get("indicator"),
        ordered[0],
        lambda v: f"Unknown indicator `{v[:60]}` ignored.",
    )
    c1, c2 = st.columns([3, 1])
    indicator = c1.selectbox(
        "Indicator",
        ordered,
        key="cty_indicator",
        on_change=set_param,
        args=("indicator", "cty_indicator"),
    )
    years = [int(y) for y in db.query("indicator_years", {"indicator": indicator})["year"]]
    seed_choice(
        "cty_year",
        years,
        st.query_params.get("year"),
        years[0],
        lambda v: f"No {indicator} values for year `{v[:10]}`; showing the latest year.",
        parse=url_year,
    )
    year = c2.selectbox(
        "Year", years, key="cty_year", on_change=set_param, args=("year", "cty_year")
    )
    values = db.query("indicator_values", {"indicator": indicator, "year": year})
    shapes = db.query("country_shapes")
    layer = choropleth_layer(shapes, values, indicator)
    world_map(
        layer, lat=15, height=480, key="country_map", alt=f"World map of {indicator} in {year}"
    )
    if len(values):
        st.caption(
            f"{indicator} in {year}: {len(values)} countries with a value, from "
            f"{values['value'].min():g} to {values['value'].max():g}, coloured by rank (darkest "
            "= lowest value, yellow = highest). Grey = no value (not zero). Check the "
            "indicator's direction on the Sources page: for some, higher means better."
        )
    sources_caption(set(values["source_id"].dropna()))


def profile(vocab_countries: dict[str, str]) -> None:
    """One country: latest value of each indicator, ILAB goods findings, sites per tier."""
    options = list(vocab_countries)
    if not options:
        return
    seed_choice(
        "cty_country",
        options,
        (st.query_params.get("country") or "").upper(),
        "COD" if "COD" in options else options[0],
        lambda v: f"Unknown country `{v[:20]}` ignored.",
    )
    iso3 = st.selectbox(
        "Country",
        options,
        format_func=lambda c: f"{vocab_countries.get(c, c)} ({c})",
        key="cty_country",
        on_change=set_param,
        args=("country", "cty_country"),
    )
    st.subheader(md_text(vocab_countries.get(iso3, iso3)))
    sites = db.query("country_sites", {"country": iso3})
    c1, c2 = st.columns(2)
    with c1:
        st.markdown("**Sites in the atlas**")
        if sites.empty:
            st.caption("None.")
        else:
            sites["tier"] = sites["tier"].map(lambda t: TIER_SINGULAR.get(t, t))
            st.dataframe(sites, hide_index=True, width="stretch")
            st.page_link(
                "pages/map.py",
                label="Open these sites on the map",
                query_params={"country": iso3},
                icon=":material/map:",
            )
    with c2:
        st.markdown("**ILAB goods list** (child / forced labour by good)")
        goods = db.query("country_goods", {"country": iso3})
        if goods.empty:
            st.caption("No finding on the list for this country.")
        else:
            st.dataframe(goods, hide_index=True, width="stretch")
    st.markdown("**Indicators** (latest year of each)")
    prof = db.query("country_profile", {"country": iso3})
    if prof.empty:
        st.caption("No indicator values for this country.")
    else:
        st.dataframe(prof, hide_index=True, width="stretch")
    ewaste_profile(iso3, vocab_countries.get(iso3, iso3))
