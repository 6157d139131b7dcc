"""The Countries page's e-waste map: one measure at a time, its legend, and what each measure is."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from riskatlas.basemap import choropleth_layer
from riskatlas.layers import VIRIDIS
from riskatlas.ui import connection
from riskatlas.ui.common import sources_caption
from riskatlas.ui.world_map import seed_choice, set_param, url_year, world_map

# Sources: What a Waste 2.0 (generated, municipal waste treatment), Eurostat env_waselee (EU
# WEEE flows) and UN SDG 12.5.1 via OWID (recycling rate, two definitions). A missing value
# reads "not reported", never 0; the two recycling-rate definitions never share a map, legend,
# chart or axis.

NOT_REPORTED = "not reported"
NO_FILL = (0, 0, 0, 0)
FLAG_MEANINGS = {"d": "definition differs", "s": "Eurostat estimate", "e": "estimated"}
RATE_EU = "ewaste_recycling_rate_eu"
RATE_UNITAR = "ewaste_recycling_rate_unitar"


@dataclass(frozen=True)
class Measure:
    """One e-waste map: its indicator, how the value reads, and what it is (and is not)."""

    key: str
    indicator: str
    label: str
    value_format: str
    about: str


EWASTE_MEASURES = (
    Measure(
        "generated",
        "waw_ewaste_tons",
        "E-waste generated (tonnes a year)",
        "{:,.0f} t",
        "World Bank What a Waste 2.0: e-waste generated per year. Nominal 2016; each country's "
        "own reference year (2011-2017) is not in the file; round figures, likely estimates.",
    ),
    Measure(
        "per_person",
        "waw_ewaste_kg_per_capita",
        "E-waste generated per person (kg a year)",
        "{:,.1f} kg",
        "What a Waste 2.0 tonnage divided by the file's population (computed by the atlas).",
    ),
    Measure(
        "eu_market",
        "weee_MKT_KG_HAB",
        "EU: electrical and electronic equipment put on the market (kg per inhabitant)",
        "{:,.1f} kg",
        "Eurostat env_waselee, all categories: EU/EEA countries only, 2005-2018.",
    ),
    Measure(
        "eu_collected",
        "weee_COL_KG_HAB",
        "EU: WEEE collected (kg per inhabitant)",
        "{:,.1f} kg",
        "Eurostat env_waselee, all categories: EU/EEA countries only, 2005-2018.",
    ),
    Measure(
        "eu_recycled",
        "weee_RCY_REU_KG_HAB",
        "EU: WEEE recycled and prepared for reuse (kg per inhabitant)",
        "{:,.1f} kg",
        "Eurostat env_waselee, all categories: EU/EEA countries only, 2005-2018.",
    ),
    Measure(
        "eu_outside",
        "weee_TRT_NEU_T",
        "EU: WEEE treated outside the EU (tonnes)",
        "{:,.0f} t",
        "Eurostat env_waselee: documented, legal shipments for treatment outside the EU only; "
        "illegal exports and used equipment sent for reuse are not in it.",
    ),
    Measure(
        "rate_eu",
        RATE_EU,
        "E-waste recycling rate, EU definition: recycled ÷ collected (%)",
        "{:.1f} %",
        "UN SDG 12.5.1 via Our World in Data; for EU/EEA countries the rate is Eurostat's: "
        "recycled ÷ WEEE collected. Not comparable with the UNITAR definition (recycled ÷ "
        "generated), which has its own map.",
    ),
    Measure(
        "rate_unitar",
        RATE_UNITAR,
        "E-waste recycling rate, UNITAR definition: recycled ÷ generated (%)",
        "{:.1f} %",
        "UN SDG 12.5.1 via Our World in Data; UNITAR's rate: documented recycling ÷ e-waste "
        "generated. Few countries report it. Not comparable with the EU definition (recycled ÷ "
        "collected), which has its own map.",
    ),
)
MEASURES_BY_KEY = {m.key: m for m in EWASTE_MEASURES}


def flag_text(flag: object) -> str:
    """What a flag means: Eurostat's letters spelled out ('ds' -> both); other notes as given."""
    if not isinstance(flag, str) or not flag.strip():
        return ""
    flag = flag.strip()
    if all(ch in FLAG_MEANINGS for ch in flag):
        return "; ".join(f"{ch} = {FLAG_MEANINGS[ch]}" for ch in flag)
    return flag


def _default_year(years: pd.DataFrame) -> int:
    """The latest year in which most reporting countries have a value (a last year that only a
    few countries have reported yet would look like missing data)."""
    best = int(years["countries"].max())
    return int(years.loc[years["countries"] >= 0.8 * best, "year"].max())


def ewaste_legend_html(values: pd.DataFrame, measure: Measure) -> str:
    """The map's legend: the rank scale with the lowest and highest value, and no fill = not
    reported. Only numbers and fixed words, never data text."""
    stops = ", ".join(
        f"rgb({c[0]},{c[1]},{c[2]}) {i * 100 // (len(VIRIDIS) - 1)}%" for i, c in enumerate(VIRIDIS)
    )
    vals = values["value"].dropna()
    low = measure.value_format.format(vals.min()) if len(vals) else "—"
    high = measure.value_format.format(vals.max()) if len(vals) else "—"
    return f"""
<div style="font-size:0.85rem;line-height:1.5;max-width:520px">
<div style="height:12px;border-radius:3px;background:linear-gradient(to right, {stops})"></div>
<div style="display:flex;justify-content:space-between"><span>lowest {low}</span>
<span>coloured by rank</span><span>highest {high}</span></div>
<div><span style="display:inline-block;width:14px;height:10px;border:1px solid #888;
vertical-align:middle"></span> no fill: <b>{NOT_REPORTED}</b>
 (no value in the source; not zero)</div>
</div>
"""


def _set_measure() -> None:
    """Another measure has other years: its map starts at its own default year."""
    set_param("ewaste", "ew_measure")
    st.query_params.pop("ewaste_year", None)
    st.session_state.pop("ew_year", None)


def ewaste_map() -> None:
    """One e-waste measure per map (never two definitions on one scale), by country and year."""
    catalog = set(connection.query("indicator_catalog")["indicator"])
    measures = [m for m in EWASTE_MEASURES if m.indicator in catalog]
    if not measures:
        st.info("No e-waste figures in this build.")
        return
    keys = [m.key for m in measures]
    seed_choice(
        "ew_measure",
        keys,
        st.query_params.get("ewaste"),
        keys[0],
        lambda v: f"Unknown e-waste measure `{v[:40]}` ignored.",
    )
    c1, c2 = st.columns([3, 1])
    key = c1.selectbox(
        "E-waste measure",
        keys,
        format_func=lambda k: MEASURES_BY_KEY[k].label,
        key="ew_measure",
        on_change=_set_measure,
    )
    measure = MEASURES_BY_KEY[key]
    years = connection.query("ewaste_years", {"indicator": measure.indicator})
    if years.empty:
        st.info(f"No values of {measure.label} in this build.")
        return
    options = [int(y) for y in years["year"]]
    seed_choice(
        "ew_year",
        options,
        st.query_params.get("ewaste_year"),
        _default_year(years),
        lambda v: (
            f"No values for year `{v[:10]}` of this measure; showing the year most countries "
            "report."
        ),
        parse=url_year,
    )
    year = c2.selectbox(
        "Year", options, key="ew_year", on_change=set_param, args=("ewaste_year", "ew_year")
    )
    values = connection.query("indicator_values", {"indicator": measure.indicator, "year": year})
    values["note"] = values["flag"].map(flag_text)
    shapes = connection.query("country_shapes")
    layer = choropleth_layer(
        shapes,
        values,
        measure.indicator,
        label=f"{measure.label}, {year}",
        value_format=measure.value_format,
        no_data=NOT_REPORTED,
        no_data_fill=NO_FILL,
        layer_id="ewaste-choropleth",
    )
    world_map(
        layer, lat=20, height=440, key="ewaste_map", alt=f"World map: {measure.label}, {year}"
    )
    st.markdown(ewaste_legend_html(values, measure), unsafe_allow_html=True)
    reported = values["value"].notna().sum()
    missing = len(set(shapes["country_iso3"]) - set(values["country_iso3"]))
    st.caption(
        f"{measure.label}, {year}: {reported} countries report a value; {missing} countries on "
        f"the map have none and are drawn without fill ({NOT_REPORTED}, not zero). "
        f"{measure.about} Hover a country for its value and any flag."
    )
    sources_caption(set(values["source_id"].dropna()))
