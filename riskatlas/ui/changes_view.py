"""The "What changed" view: a brand's documented sites added, dropped and kept between two years.

URL: ``changes?brand=apple&from=2012&to=2022``. Documented links only (the brand's own lists);
the matching across years and its basis live in riskatlas.changes.
"""

from __future__ import annotations

import pandas as pd
import pydeck as pdk
import streamlit as st

from riskatlas import changes, exports, wording
from riskatlas.basemap import land_layer
from riskatlas.layers import SpecDeck, deck, esc, view_for
from riskatlas.ui import connection, static_files
from riskatlas.ui.common import md_text, ocean_background

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Okabe-Ito colours (colour-blind safe), and a shape each: added = filled dot, dropped = ring.
ADDED_RGB = (0, 114, 178)
DROPPED_RGB = (213, 94, 0)
KEPT_RGB = (170, 170, 170)
TOP_COUNTRIES = 8
CHANGES_ABOUT = (
    ("Electronics Supply-Chain Risk Atlas: what changed between two years of a brand's lists.",),
    (
        "status: added (in the later list only), dropped (in the earlier only), kept (in both, "
        "matched on match_basis with match_score). Documented links only, never inferred.",
    ),
    (
        "citation_before / citation_after: the list and row of each year; site_ids_*: the atlas "
        "sites behind the row.",
    ),
    ("note: a possible match across years that was not merged (not certain enough).",),
    ("labour / environment: risk 0-100; an empty cell means no evidence (unknown), not low.",),
    ("Text cells that a spreadsheet would run as a formula start with a quote (').",),
)


def brand_years() -> pd.DataFrame:
    """Per brand: its name and the years its own lists cover."""
    cov = connection.query("brand_coverage", {"brands": []})
    rows = []
    for brand_id, part in cov.groupby("brand_id", sort=True):
        years = sorted({int(y) for ys in part["years"] for y in list(ys)})
        rows.append({"brand_id": brand_id, "name": part["brand_name"].iloc[0], "years": years})
    return pd.DataFrame(rows, columns=["brand_id", "name", "years"])


@st.cache_data(max_entries=16, show_spinner="Comparing the two lists…")
def compute(brand: str, year_from: int, year_to: int, version: str) -> changes.Change:
    """The change between two years (cached per database version)."""
    links = connection.fetch(
        "brand_year_links", {"brand": brand, "year_from": year_from, "year_to": year_to}
    )
    return changes.change(links, year_from, year_to)


def _int(value) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def pick() -> tuple[str, str, int, int] | None:
    """Brand and the two years, from the URL (brand, from, to) and the sidebar, kept in the URL.
    None when the brand has fewer than two years (the page says why)."""
    years = brand_years()
    if years.empty:
        st.info("The atlas holds no brand list.")
        return None
    ids = list(years["brand_id"])
    names = dict(zip(years["brand_id"], years["name"], strict=True))
    wanted = str(st.query_params.get("brand", ""))
    match = None
    if wanted:  # read as the Map reads it (riskatlas.names): "Samsung", "Apple Inc."
        from riskatlas.filters import FilterState, refusal_notice
        from riskatlas.names import brand_names

        reader = brand_names(names)
        res = reader.resolve(wanted)
        if res.ok:
            match = res.ids[0]
        else:
            st.warning(refusal_notice(res, reader, FilterState()) + " Pick one in the sidebar.")
    multi = [b for b in ids if len(years.set_index("brand_id").loc[b, "years"]) >= 2]
    default = match or (multi[0] if multi else ids[0])
    # No widget keys: the URL is the source of truth, and a widget whose default (index)
    # changes is a new widget, so a followed link or a new brand's years are shown as they are.
    brand = st.sidebar.selectbox(
        "Brand", ids, index=ids.index(default), format_func=lambda b: names[b]
    )
    available = list(years.set_index("brand_id").loc[brand, "years"])
    if len(available) < 2:
        st.info(
            md_text(
                f"The atlas holds {wording.possessive(names[brand])} lists for "
                f"{wording.year_ranges(available) or 'no year'} only: a change needs two years "
                "(a second year's list, for example a saved import, once approved)."
            )
        )
        return None
    same_brand = brand == match
    y_from = _int(st.query_params.get("from")) if same_brand else None
    y_to = _int(st.query_params.get("to")) if same_brand else None
    for label, value in (("from", y_from), ("to", y_to)):
        if value is not None and value not in available:
            st.warning(
                f"No {names[brand]} list for {value} ({label}); years with lists: "
                f"{wording.year_ranges(available)}."
            )
    y_from = y_from if y_from in available else available[0]
    y_to = y_to if y_to in available else available[-1]
    c1, c2 = st.sidebar.columns(2)
    y_from = c1.selectbox("From", available, index=available.index(y_from))
    y_to = c2.selectbox("To", available, index=available.index(y_to))
    st.query_params.update({"brand": brand, "from": str(y_from), "to": str(y_to)})
    return brand, names[brand], int(y_from), int(y_to)


def headline(name: str, y_from: int, y_to: int, change: changes.Change) -> None:
    """The counts, how they reconcile, and what the matching saved."""
    c = change.counts()
    unit = "supplier × province units" if change.by_province else "sites"
    n_from, n_to = c["kept"] + c["dropped"], c["kept"] + c["added"]
    a, b, k = st.columns(3)
    a.metric(f"Added by {y_to}", f"{c['added']:,}")
    b.metric(f"Dropped since {y_from}", f"{c['dropped']:,}")
    k.metric("Kept", f"{c['kept']:,}")
    st.caption(
        md_text(
            f"Counted in {unit}: {y_from}: {n_from:,} = {c['kept']:,} kept + {c['dropped']:,} "
            f"dropped; {y_to}: {n_to:,} = {c['kept']:,} kept + {c['added']:,} added. "
            f"Documented links only ({wording.possessive(name)} own lists), never inferred."
        )
    )
    if change.by_province:
        st.info(
            "One of the two lists gives only the province (Apple prints no street address from "
            "2020 on), so the years are compared by supplier and province, not site by site."
        )
    st.caption(
        f"Matching spellings across years: compared as printed, {change.naive_moved:,} units "
        f"would count as dropped or added; after matching names and addresses, "
        f"{change.matched_moved:,}. Each kept row says on what basis it was matched; close but "
        "uncertain pairs are not merged and say 'possible match'."
    )


def change_deck(table: pd.DataFrame, y_from: int, y_to: int) -> tuple[str, dict]:
    """The map's deck (spec and tooltip): added (blue dots) and dropped (vermillion rings)
    drawn apart, kept faint grey, over the country outlines.

    The land is the Map's: countries told apart by shade (riskatlas.basemap.land_layer), the
    same served file. A stroked outline is drawn by deck.gl's PathLayer, whose software-WebGL
    set-up in a browser without a GPU held up the table of changes above the map by about a
    second, and border lines by a LineLayer, one more program to compile (issue 17)."""
    shapes = connection.query("country_shapes")
    located = table[table["lat"].notna() & table["lon"].notna()]
    layers: list[pdk.Layer] = [land_layer(shapes)]  # the ocean: the chart's background
    for status, rgb, filled, radius in (
        ("kept", KEPT_RGB, True, 3),
        ("dropped", DROPPED_RGB, False, 7),
        ("added", ADDED_RGB, True, 5),
    ):
        part = located[located["status"] == status]
        if part.empty:
            continue
        data = [
            {
                "lon": round(float(r.lon), 4),
                "lat": round(float(r.lat), 4),
                "tip": "\n".join(
                    [
                        esc(r.name),
                        f"{status} ({y_from} → {y_to})",
                        f"Country: {esc(r.country_name)}; province: {esc(r.province) or '—'}",
                        f"Basis: {esc(r.match_basis)}" if status == "kept" else esc(r.note or ""),
                    ]
                ),
            }
            for r in part.itertuples(index=False)
        ]
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id=f"change-{status}",
                data=data,
                get_position="[lon, lat]",
                get_fill_color=[*rgb, 220],
                get_line_color=[*rgb, 255],
                filled=filled,
                stroked=True,
                get_radius=radius,
                radius_units='"pixels"',
                line_width_units='"pixels"',
                get_line_width=2 if not filled else 1,
                pickable=True,
            )
        )
    the_deck = deck(layers, **view_for(located))
    static_files.offload_layers(the_deck.layers)  # outlines and points (400 KB) to served files
    return the_deck.to_json(), the_deck._tooltip


@st.cache_data(max_entries=16, show_spinner=False)
def _cached_deck(brand: str, y_from: int, y_to: int, version: str) -> tuple[str, dict]:
    """The map's deck per brand, years and database version, shared by every session: one
    visit builds the points' tooltips and writes the served files, the next sends the same
    spec."""
    return change_deck(compute(brand, y_from, y_to, version).table, y_from, y_to)


def change_map(brand: str, y_from: int, y_to: int) -> None:
    """The map of the change; its outlines and points (400 KB) go to served files
    (riskatlas.deck_static) instead of the spec the browser parses with a slow JSON5 reader."""
    spec, tooltip = _cached_deck(brand, y_from, y_to, connection.version())
    ocean_background()
    st.pydeck_chart(
        SpecDeck(spec, tooltip),
        height=480,
        key="change_map",
        alt=f"Map of sites added and dropped between {y_from} and {y_to}",
    )
    st.markdown(
        '<div style="font-size:0.85rem">'
        f'<span style="color:rgb{ADDED_RGB}">●</span> <b>added</b> (filled blue dot) · '
        f'<span style="color:rgb{DROPPED_RGB}">◯</span> <b>dropped</b> (vermillion ring) · '
        f'<span style="color:rgb{KEPT_RGB}">●</span> kept (small grey dot). Points are where the '
        "atlas places each site or province (approximate where the list gives no street)."
        "</div>",
        unsafe_allow_html=True,
    )


def per_year_spec(counts: pd.DataFrame, name: str) -> dict:
    """A Vega-Lite stacked bar chart of sites per list year and country (the TOP_COUNTRIES
    largest apart, the rest as 'other'); a year without a list has no bar and no tick.

    Why Vega-Lite and not plotly: a first-time reader's browser would fetch and run plotly's
    4.7 MB script beside the map's and the table's, delaying the table of changes."""
    top = counts.groupby("country")["sites"].sum().nlargest(TOP_COUNTRIES).index
    counts = counts.assign(country=counts["country"].where(counts["country"].isin(top), "other"))
    summed = counts.groupby(["year", "country"], as_index=False)["sites"].sum()
    order = [*sorted(c for c in set(summed["country"]) if c != "other")]
    order += ["other"] if "other" in set(summed["country"]) else []
    values = [
        {"year": str(int(r.year)), "country": str(r.country), "sites": int(r.sites)}
        for r in summed.itertuples(index=False)
    ]
    return {
        "data": {"values": values},
        "title": {"text": f"Sites {name} lists per year, by country", "fontSize": 14},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
            "y": {"field": "sites", "type": "quantitative", "title": "sites", "stack": "zero"},
            "color": {"field": "country", "type": "nominal", "title": None, "sort": order},
        },
        "height": 360,
    }


def per_year_chart(brand: str, name: str) -> None:
    """Sites the brand's lists name per year, by country (the largest countries apart)."""
    counts = connection.query("brand_year_countries", {"brand": brand})
    if counts.empty:
        return
    st.vega_lite_chart(spec=per_year_spec(counts, name), width="stretch", key="chg_per_year")
    st.caption("Years without a bar have no list in the source.")


def breakdowns(table: pd.DataFrame) -> None:
    """Added, dropped and kept by country, province and tier; the risk of each."""
    tabs = st.tabs(["By country", "By province", "By tier", "Risk added vs dropped"])
    for tab, column in zip(tabs[:3], ("country_name", "province", "tier"), strict=True):
        with tab:
            st.dataframe(changes.summary_by(table, column), hide_index=True, width="stretch")
    with tabs[3]:
        st.dataframe(changes.risk_of(table).round(1), hide_index=True, width="stretch")
        st.caption(
            "Mean of the known scores (0-100); a site without evidence is unknown, not low, and "
            "is counted apart."
        )


def change_table(table: pd.DataFrame, brand: str, y_from: int, y_to: int) -> None:
    """Every change row, with both years' citations, and its downloads."""
    shown = table.drop(columns=["lat", "lon"])
    st.dataframe(shown, hide_index=True, width="stretch", height=360)
    stem = f"riskatlas_changes_{brand}_{y_from}_{y_to}"
    c1, c2 = st.columns(2)
    c1.download_button(
        f"CSV ({len(table):,} rows)",
        data=lambda: exports.to_csv(shown, shaped=False),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="chg_csv",
        on_click="ignore",
    )
    c2.download_button(
        "Excel",
        data=lambda: exports.to_xlsx(shown, CHANGES_ABOUT, "changes"),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        key="chg_xlsx",
        on_click="ignore",
    )
    st.caption(
        "citation_before / citation_after: the list and row of each year; match_basis: why a "
        "site counts as kept; note: a possible match that was not merged."
    )


def page() -> None:
    """The whole view."""
    picked = pick()
    if picked is None:
        return
    brand, name, y_from, y_to = picked
    st.title(md_text(f"What changed in {wording.possessive(name)} lists, {y_from} → {y_to}"))
    change = compute(brand, y_from, y_to, connection.version())
    headline(name, y_from, y_to, change)
    st.subheader("Every change, cited")
    change_table(change.table, brand, y_from, y_to)
    change_map(brand, y_from, y_to)
    per_year_chart(brand, name)
    breakdowns(change.table)
