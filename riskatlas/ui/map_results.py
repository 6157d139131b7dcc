"""What the Map shows below the map, for any view (with or without a brand): the Sankey of
documented and inferred flows, the ranked hotspot tables and the downloads."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from riskatlas import exports, settings
from riskatlas.brands import slug
from riskatlas.citations import with_report_citations
from riskatlas.evidence import evidence_short
from riskatlas.filters import FilterState, cache_key
from riskatlas.findings import latest_text
from riskatlas.layers import TIER_SINGULAR
from riskatlas.ui import connection
from riskatlas.ui.common import SITE_PAGE, fmt_score, site_url
from riskatlas.ui.data import filtered_set
from riskatlas.view import TABLE_ROWS, View

DOCUMENTED_RGBA = "rgba(33,145,140,0.65)"
INFERRED_RGBA = "rgba(160,160,160,0.45)"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_TEXT = {"documented": "documented", "inferred": "inferred", "site": "site"}
# how a point was placed, short, beside its precision in the table (layers.GEO_METHOD_TEXT)
GEO_METHOD_SHORT = {
    "source_address": "from the address",
    "matched_record": "matched record",
    "name_place": "place in the name",
    "country_only": "country point",
}


@dataclass
class SankeyData:
    """Nodes (label, column 0/1/2) and links (source, target, kind, number of sites)."""

    labels: list[str]
    columns: list[int]
    links: list[tuple[int, int, str, int]]


def sankey_frames(flows: pd.DataFrame) -> SankeyData:
    """Nodes and links of the Sankey from the flows DuckDB counted (queries/view_sankey.sql:
    kind, src, src_label, src_col, dst, dst_label, dst_col, n sites), documented and inferred
    flows kept apart. Nodes are keyed, so a country reached by both kinds is one node."""
    labels: list[str] = []
    columns: list[int] = []
    index: dict[str, int] = {}

    def node(key: str, label: str, column: int) -> int:
        if key not in index:
            index[key] = len(labels)
            labels.append(label)
            columns.append(int(column))
        return index[key]

    links = [
        (
            node(r.src, r.src_label, r.src_col),
            node(r.dst, r.dst_label, r.dst_col),
            r.kind,
            int(r.n),
        )
        for r in flows.itertuples(index=False)
    ]
    return SankeyData(labels, columns, links)


def _positions(data: SankeyData) -> tuple[list[float], list[float]]:
    """Fixed columns (brand | listed / route | inferred source), nodes stacked by size."""
    size = [0] * len(data.labels)
    for a, b, _, n in data.links:
        size[a] += n
        size[b] += n
    xs = [(0.001, 0.5, 0.999)[c] for c in data.columns]
    ys = [0.5] * len(data.labels)
    for col in (0, 1, 2):
        nodes = sorted((i for i, c in enumerate(data.columns) if c == col), key=lambda i: -size[i])
        raw = sum(size[i] for i in nodes) or 1
        share = {i: max(size[i], raw * 0.06) for i in nodes}  # small nodes keep room for a label
        total = sum(share.values())
        cum = 0.0
        for i in nodes:
            ys[i] = min(max((cum + share[i] / 2) / total, 0.01), 0.99)
            cum += share[i]
    return xs, ys


def sankey(view: View) -> None:
    """Plotly Sankey: brand -> listed sites by country -> inferred source countries."""
    data = sankey_frames(view.sankey_flows())
    if not data.links:
        st.info("No documented or inferred flows for this selection.")
        return
    xs, ys = _positions(data)
    links = data.links
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                # plotly renders <b>, <a href> ... in labels and decodes &lt; &gt; &amp;: escaped,
                # a name shows as written
                "label": [html.escape(label, quote=False) for label in data.labels],
                "x": xs,
                "y": ys,
                "pad": 10,
                "thickness": 14,
                "color": "#555",
            },
            textfont={"color": "#1a1a1a", "size": 13},
            link={
                "source": [a for a, _, _, _ in links],
                "target": [b for _, b, _, _ in links],
                "value": [n for _, _, _, n in links],
                "color": [
                    DOCUMENTED_RGBA if k == "documented" else INFERRED_RGBA for _, _, k, _ in links
                ],
                "label": [f"{k}: {n} site(s)" for _, _, k, n in links],
                "hovertemplate": "%{label}<extra></extra>",
            },
        )
    )
    rows = max(data.columns.count(c) for c in (0, 1, 2))
    fig.update_layout(height=max(360, 34 * rows + 60), margin={"l": 8, "r": 8, "t": 16, "b": 16})
    st.plotly_chart(fig, width="stretch", config={"displayModeBar": False})
    st.caption(
        "Teal flows are **documented**: the brand's own list names sites in that country. "
        "Grey flows are **inferred**: no disclosure names those sites; the data only suggests a "
        "possible route (a listed refiner reports sourcing from that country, or the ILAB goods "
        "list flags the mineral there). The two are never added together."
    )


def hotspot_table(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """The ranked table shown on the page (first TABLE_ROWS rows), with Site links."""
    top = frame.head(TABLE_ROWS)
    cov = f"{dimension}_coverage"
    table = pd.DataFrame(
        {
            "rank": range(1, len(top) + 1),
            "site": [site_url(s) for s in top["site_id"]],
            "name": top["name"],
            "link": top["kind"].map(KIND_TEXT),
            "tier": top["tier"].map(lambda t: TIER_SINGULAR.get(t, t)),
            "country": top["country_iso3"],
            "province": top["province"] if "province" in top else None,
            "minerals": top["minerals"].map(
                lambda m: (
                    ", ".join(m)
                    if isinstance(m, list | tuple)
                    else (", ".join(m.tolist()) if hasattr(m, "tolist") else m)
                )
            ),
            dimension: top[dimension].map(fmt_score),
            "score rests on": top["evidence_level"].map(evidence_short)
            if "evidence_level" in top
            else None,
            "evidence coverage": top[cov].map(
                lambda v: "—" if v is None or pd.isna(v) else f"{v:.0%}"
            ),
            "location": [
                f"{p} ({GEO_METHOD_SHORT[m]})" if m in GEO_METHOD_SHORT else p
                for p, m in zip(
                    top["geo_precision"],
                    top["geo_method"] if "geo_method" in top else [None] * len(top),
                    strict=True,
                )
            ],
            "latest visit found": [latest_text(r) for r in top.to_dict("records")],
            "brands": top["brands"] if "brands" in top else None,
            "years": top["link_years"] if "link_years" in top else None,
            "why": [_why(r) for r in top.itertuples(index=False)],
            "citation": [
                f"{s}: {r}" if isinstance(r, str) and r else str(s)
                for s, r in zip(top["source_id"], top["source_ref"], strict=True)
            ],
        }
    )
    # site-visit findings only where some row has a visit (IPIS artisanal mines)
    return table.drop(
        columns=[] if table["latest visit found"].notna().any() else ["latest visit found"]
    )


def _why(row) -> str:
    """Why the row is in the view: the disclosure (documented) or the inference (inferred)."""
    if row.kind == "documented":
        status = getattr(row, "status_as_reported", None)
        status = f"; status as reported: {status}" if isinstance(status, str) and status else ""
        return f"listed by {row.brands} ({row.link_years}){status}"
    if row.kind == "inferred":
        text = getattr(row, "explanation", None)
        return text if isinstance(text, str) else "inferred"
    return ""


# The brand view's table in two ranked sections: what the brand lists, then what the data only
# suggests. One ranking of both put inferred artisanal mines above the brand's own refiners.
SECTIONS = (
    (
        "documented",
        "Documented: sites the brand's own disclosure lists",
        "Ranked by {dimension} risk. Each row cites the list (source and year).",
    ),
    (
        "inferred",
        "Inferred: where it could come from (no disclosure names these sites)",
        "Ranked by {dimension} risk. The data suggests a possible route (the column 'why' says "
        "which); these are not the brand's suppliers on record.",
    ),
)


def hotspots(view: View) -> None:
    """Hotspots ranked by the chosen risk; unknown scores are listed last as 'unknown'.

    With a brand, documented and inferred rows are two ranked sections, never one ranking.
    DuckDB ranks and returns the first TABLE_ROWS rows of each (View.tables, the route the
    benchmark times); the downloads hold all.
    """
    frames = shown_tables(cache_key(view.state), connection.version())
    if not view.state.brands:
        _ranked_table(view, frames[()], view.n_rows, "hotspots_all")
        return
    counts = {"documented": view.n_documented, "inferred": view.n_inferred}
    for kind, heading, note in SECTIONS:
        st.markdown(f"**{heading}** ({counts[kind]:,})")
        if (kind,) not in frames:
            st.caption(
                "None in this view."
                if kind == "inferred"
                else "The brand's own lists name no site in this view."
            )
            continue
        st.caption(note.format(dimension=view.state.dimension))
        _ranked_table(view, frames[(kind,)], counts[kind], f"hotspots_{kind}")


@st.cache_data(max_entries=settings.VIEW_CACHE.number(), show_spinner=False)
def shown_tables(state: FilterState, db_version: str) -> dict[tuple[str, ...], pd.DataFrame]:
    """The ranked tables of a view as shown (View.tables, shaped for display), computed once
    for every session asking for the same view: ``state`` is filters.cache_key of the page's
    state and a rebuild changes ``db_version``. Ranking in DuckDB is cached per query, but
    shaping the 1,000 rows cost each rerun of a popular view tens of milliseconds of CPU."""
    view = filtered_set(state)
    out = {}
    for kinds, top in view.tables(TABLE_ROWS).items():
        table = hotspot_table(with_report_citations(top, view.run), state.dimension)
        if "brands" in table and table["brands"].isna().all():
            table = table.drop(columns=["brands", "years", "why"])
        out[kinds] = table
    return out


def _ranked_table(view: View, table: pd.DataFrame, n_rows: int, key: str) -> None:
    """One ranked table (shown_tables); a click on a site's name (or link) opens its Site page."""
    dimension = view.state.dimension
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode=["single-cell", "single-row"],
        column_config={
            "score rests on": st.column_config.TextColumn(
                "score rests on",
                help="The strongest evidence behind the score: this site (a dated finding or a "
                "documented conflict linked to it), the mineral in this country, or country "
                "conditions only (the same for every site in the country).",
            ),
            "site": st.column_config.LinkColumn(
                "site", display_text=r"site\?site=(.*)", help="Open the site's page"
            ),
            "name": st.column_config.TextColumn("name", help="Click a name to open its Site page"),
            "rank": st.column_config.NumberColumn("rank", width="small"),
            dimension: st.column_config.TextColumn(
                f"{dimension} risk", help="0-100; 'unknown' = no evidence, not low"
            ),
        },
    )
    caption = "Click a site's name to open its page."
    if n_rows > TABLE_ROWS:
        caption += f" Showing the top {TABLE_ROWS:,} of {n_rows:,} rows; the downloads hold all."
    st.caption(caption)
    site_id = clicked_site(event, table)
    if site_id:
        st.switch_page(SITE_PAGE, query_params={"site": site_id})


def clicked_site(event, table: pd.DataFrame) -> str | None:
    """The site of a clicked name or link cell, or of a selected row (one click opens it)."""
    try:
        selection = event.selection
        rows = list(selection.get("rows", []))
        cells = list(selection.get("cells", []))
    except (AttributeError, KeyError, TypeError):
        return None
    picked = [r for r, column in cells if column in ("name", "site")] + rows
    if not picked or not 0 <= int(picked[0]) < len(table):
        return None
    link = str(table["site"].iloc[int(picked[0])])
    return unquote(link.split("site=", 1)[1]) if "site=" in link else None


def downloads(rows: Callable[[], pd.DataFrame], n_rows: int, state: FilterState) -> None:
    """CSV, Excel, GeoJSON and GeoPackage of exactly the filtered set (fetched and built when
    clicked: at a million sites the rows are never pulled for a page view)."""
    stem = "riskatlas"
    for part in (*state.brands, *state.minerals, *state.countries):
        stem += "_" + slug(part)
    stem = stem[:80]
    formats = (
        (f"CSV ({n_rows:,} rows)", exports.to_csv, "csv", "text/csv"),
        ("Excel", exports.to_xlsx, "xlsx", XLSX_MIME),
        ("GeoJSON", exports.to_geojson, "geojson", "application/geo+json"),
        ("GeoPackage", exports.to_geopackage, "gpkg", "application/geopackage+sqlite3"),
    )
    for col, (label, write, ext, mime) in zip(st.columns(len(formats)), formats, strict=True):
        col.download_button(
            label,
            data=lambda write=write: write(rows()),
            file_name=f"{stem}.{ext}",
            mime=mime,
            key=f"dl_{ext}",
            on_click="ignore",
        )
    st.caption(
        "Every row of the current view, never capped, with citation columns: source_id / "
        "source_ref (the disclosure or record), site_source_id / site_source_ref (where the "
        "site comes from), and kind (documented, inferred or site)."
    )
