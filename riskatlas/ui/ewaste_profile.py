"""One country's e-waste profile: generated and treated, EU WEEE flows, two recycling rates."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from riskatlas import sources
from riskatlas.ui import connection
from riskatlas.ui.common import md_text, sources_caption
from riskatlas.ui.ewaste_view import NOT_REPORTED, RATE_EU, RATE_UNITAR, flag_text

WEEE_OPERATIONS = {  # Eurostat wst_oper -> what the profile calls it (waste = TOTAL, tonnes)
    "MKT": "put on the market (t)",
    "COL": "collected (t)",
    "TRT": "treated (t)",
    "RCY_REU": "recycled and prepared for reuse (t)",
    "TRT_NEU": "treated outside the EU (t)",
}
RATE_TITLES = {
    RATE_EU: "EU definition: recycled ÷ WEEE collected",
    RATE_UNITAR: "UNITAR definition: recycled ÷ e-waste generated",
}
RATE_AXES = {  # short: a long axis title is cut off
    RATE_EU: "% of WEEE collected (EU def.)",
    RATE_UNITAR: "% of e-waste generated (UNITAR def.)",
}


def fmt_value(value: object, value_format: str) -> str:
    """A value as the profile shows it; a missing one reads 'not reported', never 0."""
    if value is None or pd.isna(value):
        return NOT_REPORTED
    return value_format.format(float(value))


def _latest(ind: pd.DataFrame, indicator: str):
    """The latest row of one indicator (None when the country has none)."""
    rows = ind[ind["indicator"] == indicator]
    return None if rows.empty else rows.sort_values("year").iloc[-1]


def _metric(col, label: str, row, value_format: str) -> None:
    """One figure with its year and any flag; a missing one reads 'not reported', never 0."""
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


def line_chart_spec(series: dict[str, pd.DataFrame], y_title: str) -> dict:
    """A Vega-Lite spec of one quantity (one unit, one definition) over the years: a line with
    markers per series, the value and any flag on hover, the data inline (a few dozen points).

    Why Vega-Lite and not plotly: the Countries page's main content is its indicator map, and
    a plotly chart anywhere on the page makes a first-time reader's browser fetch and run
    plotly's 4.7 MB script on the same thread that draws the map (2 s on a loaded machine);
    Streamlit's Vega-Lite renderer is a fifth of that."""
    values = [
        {
            "series": name,
            "year": int(r["year"]),
            "value": float(r["value"]),
            "note": str(r["hover"]) if isinstance(r.get("hover"), str) else "",
        }
        for name, df in series.items()
        for r in df.to_dict("records")
        if r.get("value") is not None and not pd.isna(r["value"])
    ]
    return {
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {
                "field": "year",
                "type": "quantitative",
                "title": "year",
                "axis": {"format": "d"},
            },
            "y": {"field": "value", "type": "quantitative", "title": y_title},
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "sort": list(series),
                "legend": {"orient": "bottom", "labelLimit": 400},
            },
            "tooltip": [
                {"field": "series", "title": " "},
                {"field": "year", "format": "d"},
                {"field": "value", "format": ",.1f"},
                {"field": "note"},
            ],
        },
        "height": 300,
    }


def _line_chart(series: dict[str, pd.DataFrame], y_title: str, key: str) -> None:
    """A small line chart of one quantity over the years (see line_chart_spec)."""
    st.vega_lite_chart(spec=line_chart_spec(series, y_title), width="stretch", key=key)


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
    sources_caption(sources.for_section("ewaste.generated"))


def _weee_section(iso3: str, name: str) -> None:
    st.markdown(
        "**EU WEEE** (Eurostat env_waselee): electrical and electronic equipment put on the "
        "market, and the waste of it (WEEE) collected, treated, recycled, and treated outside "
        "the EU; all categories, tonnes"
    )
    rows = (
        connection.query("country_weee", {"country": iso3})
        if connection.has_table("weee")
        else pd.DataFrame()
    )
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
    sources_caption(sources.for_section("ewaste.weee"))


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
    if indicator == RATE_UNITAR and connection.has_table("ewaste_recycling_regions"):
        regions = connection.query("ewaste_region_rates", {"country": iso3})
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
    sources_caption(sources.for_section("ewaste.rates"))


def ewaste_profile(iso3: str, name: str) -> None:
    """One country's e-waste: generated and treated, EU WEEE flows by year with flags, and the
    recycling rate under each definition apart; every block with its source and data date."""
    st.markdown("#### E-waste")
    ind = connection.query("country_ewaste", {"country": iso3})
    _generated_section(ind)
    _weee_section(iso3, name)
    _rates_section(ind, iso3, name)
