"""The Countries page: a choropleth of one indicator and year, the e-waste map (one measure at a
time, the two recycling-rate definitions apart), and a profile per country."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from riskatlas import db
from riskatlas.layers import TIER_SINGULAR, VIRIDIS, choropleth_layer, deck, ocean_layer
from riskatlas.ui.common import md_text, sources_caption

CHORO_TOOLTIP = "{tip}"  # name (iso3), value and source in one plain-text slot

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
    year_wanted = int(raw_year) if raw_year and raw_year.isdecimal() else None
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
    ewaste_profile(iso3, vocab_countries.get(iso3, iso3))


# --- E-waste by country ---------------------------------------------------------------------
# Sources: What a Waste 2.0 (generated, municipal waste treatment), Eurostat env_waselee (EU
# WEEE flows) and UN SDG 12.5.1 via OWID (recycling rate, two definitions). A missing value
# reads "not reported", never 0; the two recycling-rate definitions never share a map, legend,
# chart or axis.

NOT_REPORTED = "not reported"
NO_FILL = (0, 0, 0, 0)
FLAG_MEANINGS = {"d": "definition differs", "s": "Eurostat estimate", "e": "estimated"}
WEEE_OPERATIONS = {  # Eurostat wst_oper -> what the profile calls it (waste = TOTAL, tonnes)
    "MKT": "put on the market (t)",
    "COL": "collected (t)",
    "TRT": "treated (t)",
    "RCY_REU": "recycled and prepared for reuse (t)",
    "TRT_NEU": "treated outside the EU (t)",
}
RATE_EU = "ewaste_recycling_rate_eu"
RATE_UNITAR = "ewaste_recycling_rate_unitar"
RATE_TITLES = {
    RATE_EU: "EU definition: recycled ÷ WEEE collected",
    RATE_UNITAR: "UNITAR definition: recycled ÷ e-waste generated",
}
RATE_AXES = {  # short: a long axis title is cut off by plotly
    RATE_EU: "% of WEEE collected (EU def.)",
    RATE_UNITAR: "% of e-waste generated (UNITAR def.)",
}


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


def fmt_value(value: object, value_format: str) -> str:
    """A value as the profile shows it; a missing one reads 'not reported', never 0."""
    if value is None or pd.isna(value):
        return NOT_REPORTED
    return value_format.format(float(value))


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
    _set_param("ewaste", "ew_measure")
    st.query_params.pop("ewaste_year", None)
    st.session_state.pop("ew_year", None)


def ewaste_map() -> None:
    """One e-waste measure per map (never two definitions on one scale), by country and year."""
    catalog = set(db.query("indicator_catalog")["indicator"])
    measures = [m for m in EWASTE_MEASURES if m.indicator in catalog]
    if not measures:
        st.info("No e-waste figures in this build.")
        return
    keys = [m.key for m in measures]
    wanted = st.query_params.get("ewaste")
    if wanted and wanted not in keys:
        st.warning(f"Unknown e-waste measure `{wanted.replace('`', '')[:40]}` ignored.")
    if st.session_state.get("ew_measure") not in keys:
        st.session_state["ew_measure"] = wanted if wanted in keys else keys[0]
    c1, c2 = st.columns([3, 1])
    key = c1.selectbox(
        "E-waste measure",
        keys,
        format_func=lambda k: MEASURES_BY_KEY[k].label,
        key="ew_measure",
        on_change=_set_measure,
    )
    measure = MEASURES_BY_KEY[key]
    years = db.query("ewaste_years", {"indicator": measure.indicator})
    if years.empty:
        st.info(f"No values of {measure.label} in this build.")
        return
    options = [int(y) for y in years["year"]]
    raw_year = st.query_params.get("ewaste_year")
    year_wanted = int(raw_year) if raw_year and raw_year.isdecimal() else None
    if raw_year and year_wanted not in options:
        st.warning(
            f"No values for year `{raw_year.replace('`', '')[:10]}` of this measure; "
            "showing the year most countries report."
        )
    if st.session_state.get("ew_year") not in options:
        st.session_state["ew_year"] = (
            year_wanted if year_wanted in options else _default_year(years)
        )
    year = c2.selectbox(
        "Year", options, key="ew_year", on_change=_set_param, args=("ewaste_year", "ew_year")
    )
    values = db.query("indicator_values", {"indicator": measure.indicator, "year": year})
    values["note"] = values["flag"].map(flag_text)
    shapes = db.query("country_shapes")
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
    st.pydeck_chart(
        deck([ocean_layer(), layer], lat=20, lon=15, zoom=1.0, tooltip_html=CHORO_TOOLTIP),
        height=440,
        key="ewaste_map",
        alt=f"World map: {measure.label}, {year}",
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


def _latest(ind: pd.DataFrame, indicator: str):
    """The latest row of one indicator (None when the country has none)."""
    rows = ind[ind["indicator"] == indicator]
    return None if rows.empty else rows.sort_values("year").iloc[-1]


def _metric(col, label: str, row, value_format: str) -> None:
    value = None if row is None else row["value"]
    col.metric(label, fmt_value(value, value_format))
    if row is not None:
        note = flag_text(row.get("flag"))
        col.caption(f"{int(row['year'])}" + (f" · {note}" if note else ""))


def weee_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Eurostat WEEE flows, one row per year: each value with its flag letter, the flags
    spelled out, and 'not reported' where Eurostat has no value."""
    out = []
    for year, grp in rows.groupby("year", sort=True):
        by_op = {r.operation: r for r in grp.itertuples(index=False)}
        rec: dict[str, object] = {"year": int(year)}
        notes = []
        for op, label in WEEE_OPERATIONS.items():
            r = by_op.get(op)
            if r is None or pd.isna(r.value):
                rec[label] = NOT_REPORTED
                continue
            flag = r.flag if isinstance(r.flag, str) and r.flag else ""
            rec[label] = f"{r.value:,.0f}" + (f" ({flag})" if flag else "")
            if flag:
                notes.append(f"{label.removesuffix(' (t)')}: {flag_text(flag)}")
        rec["flags"] = "; ".join(notes)
        out.append(rec)
    return pd.DataFrame(out, columns=["year", *WEEE_OPERATIONS.values(), "flags"])


def _line_chart(series: dict[str, pd.DataFrame], y_title: str, key: str) -> None:
    """A small line chart of one quantity (one unit, one definition) over the years."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for name, df in series.items():
        fig.add_trace(
            go.Scatter(
                x=df["year"],
                y=df["value"],
                mode="lines+markers",
                name=name,
                hovertext=df.get("hover"),
            )
        )
    fig.update_layout(
        height=300,
        margin={"l": 8, "r": 8, "t": 24, "b": 8},
        yaxis_title=y_title,
        xaxis_title="year",
        legend={"orientation": "h", "y": -0.25},
    )
    st.plotly_chart(fig, width="stretch", config={"displayModeBar": False}, key=key)


def _generated_section(ind: pd.DataFrame) -> None:
    st.markdown("**E-waste generated** (World Bank, What a Waste 2.0)")
    c1, c2, c3 = st.columns(3)
    _metric(c1, "E-waste generated a year", _latest(ind, "waw_ewaste_tons"), "{:,.0f} t")
    _metric(c2, "per person", _latest(ind, "waw_ewaste_kg_per_capita"), "{:,.1f} kg")
    _metric(c3, "all municipal waste a year", _latest(ind, "waw_msw_tons"), "{:,.0f} t")
    st.markdown(
        "**How municipal waste is treated** (What a Waste 2.0 reports treatment for all "
        "municipal solid waste; it has no separate figure for e-waste)"
    )
    c1, c2, c3 = st.columns(3)
    _metric(c1, "open dump", _latest(ind, "waw_open_dump_pct"), "{:.1f} %")
    _metric(c2, "recycling", _latest(ind, "waw_recycling_pct"), "{:.1f} %")
    _metric(c3, "landfill (all kinds)", _latest(ind, "waw_landfill_pct"), "{:.1f} %")
    st.caption(
        f"'{NOT_REPORTED}' = the source has no value for this country, not zero. Year 2016 is the "
        "database's nominal year; each country's own reference year (2011-2017) is not given."
    )
    sources_caption({"world_bank_what_a_waste"})


def _weee_section(iso3: str, name: str) -> None:
    st.markdown(
        "**EU WEEE** (Eurostat env_waselee): electrical and electronic equipment put on the "
        "market, and the waste of it (WEEE) collected, treated, recycled, and treated outside "
        "the EU; all categories, tonnes"
    )
    rows = db.query("country_weee", {"country": iso3}) if db.has_table("weee") else pd.DataFrame()
    if rows.empty:
        st.caption(
            f"{md_text(name)}: {NOT_REPORTED}. Eurostat's WEEE series covers EU/EEA countries "
            "only (2005-2018)."
        )
        return
    table = weee_table(rows)
    widths = {
        label: st.column_config.TextColumn(label, width="small")
        for label in WEEE_OPERATIONS.values()
    }
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="ewaste_weee_table",
        column_config={
            **widths,
            "year": st.column_config.NumberColumn("year", format="%d", width="small"),
            "flags": st.column_config.TextColumn("flags", width="large"),
        },
    )
    series = {}
    for op in ("MKT", "COL", "RCY_REU", "TRT_NEU"):
        df = rows[rows["operation"] == op].sort_values("year")
        if not df.empty:
            df = df.assign(hover=df["flag"].map(lambda f: flag_text(f) or "no flag"))
            series[WEEE_OPERATIONS[op].removesuffix(" (t)")] = df
    _line_chart(series, "tonnes", key="ewaste_weee_chart")
    st.caption(
        "Flags (Eurostat): d = definition differs (a national definition), s = Eurostat "
        "estimate, e = estimated; a value's flag letter is in brackets and spelled out in "
        f"'flags'. '{NOT_REPORTED}' = no value published (':'), not zero. Treated outside the EU "
        "covers documented legal shipments only, not illegal exports."
    )
    sources_caption({"eurostat_env_waselee"})


def _rate_block(indicator: str, ind: pd.DataFrame, iso3: str, name: str) -> None:
    """One definition of the recycling rate: its own heading, chart and axis."""
    st.markdown(f"*{RATE_TITLES[indicator]}*")
    rows = ind[ind["indicator"] == indicator].sort_values("year")
    series: dict[str, pd.DataFrame] = {}
    if rows.empty:
        st.caption(f"{md_text(name)}: {NOT_REPORTED} under this definition.")
    else:
        last = rows.iloc[-1]
        note = flag_text(last["flag"])
        st.markdown(
            f"{md_text(name)}: **{last['value']:.1f} %** in {int(last['year'])}"
            + (f" ({md_text(note)})" if note else "")
        )
        flagged = rows[rows["flag"].notna()]
        if not flagged.empty:
            st.caption(
                "Flagged: "
                + "; ".join(f"{int(r.year)}: {md_text(r.flag)}" for r in flagged.itertuples())
            )
        series[name] = rows.assign(hover=rows["flag"].map(lambda f: flag_text(f) or ""))
    if indicator == RATE_UNITAR and db.has_table("ewaste_recycling_regions"):
        regions = db.query("ewaste_region_rates", {"country": iso3})
        parts = []
        for entity, grp in regions.groupby("entity", sort=False):
            grp = grp.sort_values("year")
            series[f"{entity} (context)"] = grp
            last = grp.iloc[-1]
            parts.append(f"{md_text(entity)} {last['value']:.1f} % in {int(last['year'])}")
        if parts:
            st.caption(
                "For context, the same definition for the world and the UN region (not this "
                "country's figure): " + "; ".join(parts) + "."
            )
    if series:
        _line_chart(series, RATE_AXES[indicator], key=f"ewaste_rate_{indicator}")


def _rates_section(ind: pd.DataFrame, iso3: str, name: str) -> None:
    st.markdown(
        "**E-waste recycling rate** (UN SDG 12.5.1, via Our World in Data): two definitions "
        "that are never compared: EU/EEA countries report recycled ÷ collected (Eurostat), "
        "everyone else recycled ÷ generated (UNITAR). Each has its own chart and axis."
    )
    for indicator in (RATE_EU, RATE_UNITAR):
        _rate_block(indicator, ind, iso3, name)
    sources_caption({"owid_ewaste_recycling"})


def ewaste_profile(iso3: str, name: str) -> None:
    """One country's e-waste: generated and treated, EU WEEE flows by year with flags, and the
    recycling rate under each definition apart; every block with its source and data date."""
    st.markdown("#### E-waste")
    ind = db.query("country_ewaste", {"country": iso3})
    _generated_section(ind)
    _weee_section(iso3, name)
    _rates_section(ind, iso3, name)
