"""The Countries page's indicator choropleth (one indicator and year) and its country profile."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from riskatlas import catalogue
from riskatlas.basemap import choropleth_layer
from riskatlas.layers import TIER_SINGULAR
from riskatlas.names import Names
from riskatlas.place_names import country_names
from riskatlas.ui import connection
from riskatlas.ui.common import md_text, sources_caption
from riskatlas.ui.ewaste_profile import ewaste_profile
from riskatlas.ui.world_map import seed_choice, set_param, url_year, world_map

# Indicators a reader meets first; every other indicator in the database is offered too.
PREFERRED = ("gsi_prevalence_per_1000", "fh_E3", "fh_G4", "wgi_rl", "ilab_working_children_pct")


def _indicator_choice(ordered: list[str]):
    """The indicator picker, with a search by words: typing "forced" keeps the indicators whose
    label, meaning or source mention forced labour. The URL keeps the indicator's code. Returns
    the indicator and the column where the year picker goes."""
    seed_choice(
        "cty_indicator",
        ordered,
        st.query_params.get("indicator"),
        ordered[0],
        lambda v: f"Unknown indicator `{v[:60]}` ignored.",
    )
    c0, c1, c2 = st.columns([2, 3, 1])
    words = c0.text_input(
        "Find an indicator",
        key="cty_find",
        placeholder="words, e.g. forced, union, rule of law",
        help="Words in the indicator's name or description; case and accents ignored.",
    )
    options = catalogue.search(words, ordered)
    if not options:
        st.info(f"No indicator matches “{words.strip()[:60]}”; all indicators are listed.")
        options = ordered
    elif words.strip():
        c0.caption(f"{len(options)} of {len(ordered)} indicators match.")
    if st.session_state.get("cty_indicator") not in options:
        st.session_state["cty_indicator"] = options[0]
        st.query_params["indicator"] = options[0]
    indicator = c1.selectbox(
        "Indicator",
        options,
        key="cty_indicator",
        format_func=catalogue.label,
        on_change=set_param,
        args=("indicator", "cty_indicator"),
    )
    return indicator, c2


def choropleth() -> None:
    """Pick an indicator (by name or by words) and a year; countries without a value are grey
    (no data, not zero). Values read as published, with their unit, from the catalogue."""
    catalog = connection.query("indicator_catalog")
    if catalog.empty:
        st.info("No country indicators in this build.")
        return
    names = list(catalog["indicator"])
    rest = sorted((n for n in names if n not in PREFERRED), key=catalogue.label)
    ordered = [n for n in PREFERRED if n in names] + rest
    indicator, year_col = _indicator_choice(ordered)
    entry = catalogue.entry(indicator)
    years = [int(y) for y in connection.query("indicator_years", {"indicator": indicator})["year"]]
    seed_choice(
        "cty_year",
        years,
        st.query_params.get("year"),
        years[0],
        lambda v: f"No values of this indicator for year `{v[:10]}`; showing the latest year.",
        parse=url_year,
    )
    year = year_col.selectbox(
        "Year", years, key="cty_year", on_change=set_param, args=("year", "cty_year")
    )
    st.caption(md_text(f"{entry.label}: {entry.meaning}"))
    values = connection.query("indicator_values", {"indicator": indicator, "year": year})
    shapes = connection.query("country_shapes")
    layer = choropleth_layer(
        shapes, values, indicator, label=entry.label, formatter=entry.published
    )
    world_map(
        layer, lat=15, height=480, key="country_map", alt=f"World map of {entry.label} in {year}"
    )
    if len(values):
        low, high = entry.published(values["value"].min()), entry.published(values["value"].max())
        st.caption(
            md_text(
                f"{entry.label} in {year}: {len(values)} countries with a value, from {low} to "
                f"{high}, coloured by rank (darkest = lowest value, yellow = highest). Grey = "
                "no value (not zero). Values as published; the direction is in the description "
                "above."
            )
        )
    sources_caption(set(values["source_id"].dropna()))


def profile_table(prof: pd.DataFrame) -> pd.DataFrame:
    """One country's indicators as a reader sees them: label, the value as published with its
    unit, its year, the risk model's normalised score where the model uses it, and the source."""
    rank = {code: i for i, code in enumerate(PREFERRED)}
    prof = prof.assign(_label=[catalogue.label(i) for i in prof["indicator"]])
    prof = prof.assign(_rank=[rank.get(i, len(rank)) for i in prof["indicator"]])
    prof = prof.sort_values(["_rank", "_label"]).reset_index(drop=True)
    return pd.DataFrame(
        {
            "indicator": prof["_label"],
            catalogue.PUBLISHED_LABEL: [
                catalogue.published(i, v)
                for i, v in zip(prof["indicator"], prof["value"], strict=True)
            ],
            "year": prof["year"],
            catalogue.SCORE_LABEL: [
                catalogue.normalised(i, v)
                for i, v in zip(prof["indicator"], prof["value"], strict=True)
            ],
            "source": prof["source_id"],
            "note": prof["flag"],
        }
    )


def profile(vocab_countries: dict[str, str], names: Names | None = None) -> None:
    """One country: latest value of each indicator, ILAB goods findings, sites per tier.

    ``?country=`` is read by riskatlas.names (codes, names, "DRC", "Congo-Kinshasa"); a value it
    refuses is named in a warning with the closest countries as links.
    """
    options = list(vocab_countries)
    if not options:
        return
    names = names or country_names(vocab_countries)

    def read(raw: str) -> str:
        res = names.resolve(raw)
        return res.ids[0] if len(res.ids) == 1 else raw

    def unknown(raw: str) -> str:
        res = names.resolve(raw)
        links = ", ".join(f"[{md_text(names.label(i))}](?country={i})" for i in res.suggestions)
        return f"Unknown country `{raw[:40]}` ignored." + (
            f" Did you mean: {links}?" if links else ""
        )

    seed_choice(
        "cty_country",
        options,
        st.query_params.get("country") or "",
        "COD" if "COD" in options else options[0],
        unknown,
        parse=read,
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
    sites = connection.query("country_sites", {"country": iso3})
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
        goods = connection.query("country_goods", {"country": iso3})
        if goods.empty:
            st.caption("No finding on the list for this country.")
        else:
            st.dataframe(goods, hide_index=True, width="stretch")
    st.markdown("**Indicators** (latest year of each, as published)")
    prof = connection.query("country_profile", {"country": iso3})
    if prof.empty:
        st.caption("No indicator values for this country.")
    else:
        table = profile_table(prof)
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                "indicator": st.column_config.TextColumn(width="large"),
                catalogue.PUBLISHED_LABEL: st.column_config.TextColumn(width="large"),
                "year": st.column_config.NumberColumn(format="%d"),
                catalogue.SCORE_LABEL: st.column_config.NumberColumn(format="%.0f"),
            },
        )
        st.caption(
            "The risk score is the atlas's normalised reading of the value (0-100, 100 = worst), "
            "empty where the risk model does not use the indicator; quote the value as published."
        )
        with st.expander("What these indicators mean"):
            st.markdown(
                "\n".join(
                    f"- **{md_text(e.label)}**: {md_text(e.meaning)}"
                    for e in map(catalogue.entry, dict.fromkeys(prof["indicator"]))
                )
            )
    ewaste_profile(iso3, vocab_countries.get(iso3, iso3))
