"""The Countries page: a choropleth of one indicator and year, and a profile per country."""

from __future__ import annotations

import streamlit as st

from riskatlas import db
from riskatlas.layers import TIER_SINGULAR, choropleth_layer, deck, ocean_layer
from riskatlas.ui.common import md_text, sources_caption

CHORO_TOOLTIP = "<b>{name}</b> ({iso3})<br/>{value}<br/>Source: {source}"

# Indicators a reader meets first; every other indicator in the database is offered too.
PREFERRED = ("gsi_prevalence_per_1000", "fh_E3", "fh_G4", "wgi_rl", "ilab_working_children_pct")


def _set_param(name: str, key: str) -> None:
    value = st.session_state[key]
    if value in (None, ""):
        st.query_params.pop(name, None)
    else:
        st.query_params[name] = str(value)


def choropleth() -> None:
    """Pick an indicator and year; countries without a value are grey (no data, not zero)."""
    catalog = db.query("indicator_catalog")
    if catalog.empty:
        st.info("No country indicators in this build.")
        return
    names = list(catalog["indicator"])
    ordered = [n for n in PREFERRED if n in names] + [n for n in names if n not in PREFERRED]
    wanted = st.query_params.get("indicator")
    if wanted and wanted not in names:
        st.warning(f"Unknown indicator `{wanted.replace('`', '')[:60]}` ignored.")
    if st.session_state.get("cty_indicator") not in names:
        st.session_state["cty_indicator"] = wanted if wanted in names else ordered[0]
    c1, c2 = st.columns([3, 1])
    indicator = c1.selectbox(
        "Indicator",
        ordered,
        key="cty_indicator",
        on_change=_set_param,
        args=("indicator", "cty_indicator"),
    )
    years = [int(y) for y in db.query("indicator_years", {"indicator": indicator})["year"]]
    raw_year = st.query_params.get("year")
    year_wanted = int(raw_year) if raw_year and raw_year.isdigit() else None
    if raw_year and year_wanted not in years:
        st.warning(
            f"No {indicator} values for year `{raw_year.replace('`', '')[:10]}`; "
            "showing the latest year."
        )
    if st.session_state.get("cty_year") not in years:
        st.session_state["cty_year"] = year_wanted if year_wanted in years else years[0]
    year = c2.selectbox(
        "Year", years, key="cty_year", on_change=_set_param, args=("year", "cty_year")
    )
    values = db.query("indicator_values", {"indicator": indicator, "year": year})
    shapes = db.query("country_shapes")
    layer = choropleth_layer(shapes, values, indicator)
    st.pydeck_chart(
        deck([ocean_layer(), layer], lat=15, lon=15, zoom=1.0, tooltip_html=CHORO_TOOLTIP),
        height=480,
        key="country_map",
        alt=f"World map of {indicator} in {year}",
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
    wanted = (st.query_params.get("country") or "").upper()
    if wanted and wanted not in options:
        st.warning(f"Unknown country `{wanted.replace('`', '')[:20]}` ignored.")
    if st.session_state.get("cty_country") not in options:
        st.session_state["cty_country"] = (
            wanted if wanted in options else ("COD" if "COD" in options else options[0])
        )
    iso3 = st.selectbox(
        "Country",
        options,
        format_func=lambda c: f"{vocab_countries.get(c, c)} ({c})",
        key="cty_country",
        on_change=_set_param,
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
