"""Minerals and Brands overview pages: per mineral / per brand counts that lead into the map."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from riskatlas.filters import FilterState
from riskatlas.ui import connection
from riskatlas.ui.common import md_text


def map_url(**params: str) -> str:
    """Relative link into the filtered Map (the home page is the app root)."""
    clean = {k: v for k, v in params.items() if v}
    return "./?" + urlencode(clean, safe=",") if clean else "./"


def minerals() -> None:
    """Per mineral: where it is (sites per tier), how many brands list refiners of it."""
    table = connection.query("mineral_overview")
    table.insert(0, "map", [map_url(mineral=m) for m in table["mineral"]])
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "map": st.column_config.LinkColumn(
                "map", display_text=r"mineral=(.*)", help="Open the map filtered to this mineral"
            ),
            "with_labour_score": st.column_config.NumberColumn(
                "with labour score", help="Sites with any labour evidence; the rest are unknown"
            ),
        },
    )
    st.caption("documented_sites: sites a brand's own list names for this mineral.")
    names = list(table["mineral"])
    if not names:
        return
    wanted = st.query_params.get("mineral")
    if wanted:  # "Co", "cassitérite", "cobalts": read as the Map's filter reads them
        from riskatlas.names import mineral_names

        read = mineral_names(names).resolve(wanted)
        wanted = read.ids[0] if len(read.ids) == 1 else wanted
    if st.session_state.get("min_pick") not in names:
        st.session_state["min_pick"] = (
            wanted if wanted in names else ("cobalt" if "cobalt" in names else names[0])
        )
    pick = st.selectbox("Where is it?", names, key="min_pick")
    where = connection.query("mineral_countries", {"mineral": pick})
    pivot = (
        where.pivot_table(
            index=["country_iso3", "country"],
            columns="tier",
            values="sites",
            aggfunc="sum",
            fill_value=0,
        ).reset_index()
        if not where.empty
        else where
    )
    if not pivot.empty:
        pivot["total"] = pivot.drop(columns=["country_iso3", "country"]).sum(axis=1)
        pivot = pivot.sort_values("total", ascending=False)
        pivot.insert(0, "map", [map_url(mineral=pick, country=c) for c in pivot["country_iso3"]])
    st.dataframe(
        pivot,
        hide_index=True,
        width="stretch",
        column_config={"map": st.column_config.LinkColumn("map", display_text="open map")},
    )


def brands(state: FilterState | None = None) -> None:
    """Per brand and mineral: documented sites and, apart, inferred sites; links into the map.

    The sidebar's brands, minerals and year narrow the page (``state``); the year applies to
    the brand's lists (documented); inferred routes have no year of their own.
    """
    year = state.year if state is not None else None
    doc = connection.query("brand_overview", {"year": year})
    if connection.has_table("inferred_exposure"):
        inf = connection.query("brand_inferred_overview")
    else:
        inf = pd.DataFrame(columns=["brand_id", "mineral", "inferred_sites"])
    table = doc.merge(
        inf.rename(columns={"mineral": "mineral_key"}), on=["brand_id", "mineral_key"], how="left"
    )
    table["inferred_sites"] = table["inferred_sites"].fillna(0).astype(int)
    if state is not None and state.brands:
        table = table[table["brand_id"].isin(state.brands)]
    if state is not None and state.minerals:
        table = table[table["mineral_key"].isin(state.minerals)]
    if table.empty:
        st.info(
            "None of the chosen brands lists a site for these minerals"
            + (f" in {year}" if year is not None else "")
            + ". Remove a filter in the sidebar to widen the page."
        )
        return
    if state is not None and (state.brands or state.minerals or year is not None):
        st.caption(
            "Narrowed by the sidebar"
            + (f"; documented sites in the {year} lists (inferred sites: any year)" if year else "")
            + "."
        )
    table.insert(
        0,
        "map",
        [
            map_url(brand=b, mineral=m if isinstance(m, str) else "")
            for b, m in zip(table["brand_id"], table["mineral_key"], strict=True)
        ],
    )
    for brand_id, part in table.groupby("brand_id", sort=False):
        name = part["brand"].iloc[0]
        st.subheader(md_text(name))
        st.page_link(
            "pages/map.py",
            label="All of this brand on the map",
            query_params={"brand": brand_id},
            icon=":material/map:",
        )
        st.page_link(
            "pages/changes.py",
            label="What changed between its lists' years",
            query_params={"brand": brand_id},
            icon=":material/compare_arrows:",
        )
        st.dataframe(
            part.drop(columns=["brand_id", "brand", "mineral_key"]),
            hide_index=True,
            width="stretch",
            column_config={
                "map": st.column_config.LinkColumn("map", display_text="open map"),
                "documented_sites": st.column_config.NumberColumn(
                    "documented sites", help="The brand's own list names them"
                ),
                "inferred_sites": st.column_config.NumberColumn(
                    "inferred sites", help="No disclosure names them; a possible route only"
                ),
            },
        )
