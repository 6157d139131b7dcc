"""pydeck layers for the atlas maps: country outlines, sites per tier, H3 cells, the risk scale.

Encodings, the same on every map (the legend in riskatlas.ui.legend describes them):
- fill colour = risk score 0-100 on viridis (colour-blind safe); unknown risk = grey, never on
  the scale;
- approximate locations (city / province / country precision) = hollow rings, larger radius;
- inferred exposure = faded fill and a thin pale outline, in layers whose id says "inferred";
  documented links and plain sites = solid fill with a dark outline.
All text that reaches a tooltip is HTML-escaped here.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd
import pydeck as pdk

TIERS = ("mine", "artisanal_mine", "smelter_refiner", "factory", "ewaste")
TIER_LABELS = {
    "mine": "Mines",
    "artisanal_mine": "Artisanal mines",
    "smelter_refiner": "Smelters / refiners",
    "factory": "Factories",
    "ewaste": "E-waste sites",
}
TIER_SINGULAR = {
    "mine": "mine",
    "artisanal_mine": "artisanal mine",
    "smelter_refiner": "smelter / refiner",
    "factory": "factory",
    "ewaste": "e-waste site",
}
APPROXIMATE = ("city", "province", "country")
KINDS = ("site", "documented", "inferred")

# viridis at 0.0, 0.1, ... 1.0 (matplotlib's table)
VIRIDIS = (
    (68, 1, 84),
    (72, 36, 117),
    (65, 68, 135),
    (53, 95, 141),
    (42, 120, 142),
    (33, 145, 140),
    (34, 168, 132),
    (68, 191, 112),
    (122, 209, 81),
    (189, 223, 38),
    (253, 231, 37),
)
UNKNOWN_RGB = (150, 150, 150)
OCEAN_RGB = (18, 24, 33)
LAND_RGB = (52, 58, 68)
BORDER_RGB = (120, 128, 140)
NO_DATA_RGB = (90, 90, 90)

# pixel radius per tier for exact points; approximate rings are drawn larger
TIER_RADIUS = {"mine": 4, "artisanal_mine": 4, "smelter_refiner": 6, "factory": 5, "ewaste": 6}
APPROX_RADIUS = 10

TOOLTIP_HTML = (
    "<b>{name}</b><br/>{tier} · {kind}<br/>Minerals: {minerals}<br/>Country: {country}"
    "<br/>Risk: {risk}<br/>Location: {precision}<br/>Source: {source}"
)
TOOLTIP_STYLE = {
    "backgroundColor": "#1f2530",
    "color": "#f4f4f4",
    "fontSize": "12px",
    "maxWidth": "360px",
    "whiteSpace": "normal",
}


def esc(value: Any) -> str:
    """HTML-escape one data value for a tooltip.

    quote=False: values only ever land in element text (never inside an attribute), so quotes
    are harmless there and "Côte d'Ivoire" stays readable.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=False)


def risk_rgb(score: float | None) -> tuple[int, int, int]:
    """Viridis colour of a 0-100 score; grey for an unknown (None/NaN) score."""
    if score is None or pd.isna(score):
        return UNKNOWN_RGB
    t = min(max(float(score), 0.0), 100.0) / 100.0 * (len(VIRIDIS) - 1)
    i = min(int(t), len(VIRIDIS) - 2)
    f = t - i
    a, b = VIRIDIS[i], VIRIDIS[i + 1]
    return tuple(round(a[k] + (b[k] - a[k]) * f) for k in range(3))  # type: ignore[return-value]


def risk_text(score: float | None, coverage: float | None, dimension: str) -> str:
    """How a score reads in a tooltip: 'unknown' when there is no evidence, never 'low'."""
    if score is None or pd.isna(score):
        return f"{dimension} unknown (no evidence)"
    cov = "" if coverage is None or pd.isna(coverage) else f", evidence covers {coverage:.0%}"
    return f"{dimension} {float(score):.0f}/100{cov}"


def precision_text(precision: str | None) -> str:
    """Location precision as the tooltip states it."""
    if precision in APPROXIMATE:
        return f"location approximate: {precision} level"
    if precision == "exact":
        return "exact coordinates from the source"
    return "location precision unknown"


def _minerals_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    return ", ".join(str(v) for v in value)


def point_records(df: pd.DataFrame, dimension: str, kind: str) -> list[dict[str, Any]]:
    """The small per-point payload a site layer sends: position, colours, escaped tooltip text.

    ``df`` has site_id, name, tier, lat, lon, geo_precision, country_iso3, country_name,
    minerals, <dimension>, <dimension>_coverage, source_id, source_ref.
    """
    if df.empty:
        return []
    score_col, cov_col = dimension, f"{dimension}_coverage"
    faded = kind == "inferred"
    out = []
    for row in df.itertuples(index=False):
        score = getattr(row, score_col)
        known = score is not None and not pd.isna(score)
        rgb = risk_rgb(score)
        approx = row.geo_precision in APPROXIMATE or row.geo_precision is None
        if approx:
            fill = [*rgb, 0]
            line = [*rgb, 150 if faded else 255]
            radius, width = APPROX_RADIUS, 2
        else:
            alpha = 90 if faded else (235 if known else 200)
            fill = [*rgb, alpha]
            line = [230, 230, 230, 120] if faded else [10, 10, 10, 220]
            radius, width = TIER_RADIUS.get(row.tier, 5), 1
        country = row.country_iso3 or ""
        cname = getattr(row, "country_name", None)
        source = f"{row.source_id}: {row.source_ref}" if row.source_ref else row.source_id
        out.append(
            {
                "site_id": row.site_id,
                "lon": round(float(row.lon), 4),
                "lat": round(float(row.lat), 4),
                "fill": fill,
                "line": line,
                "radius": radius,
                "width": width,
                "name": esc(row.name),
                "tier": esc(TIER_SINGULAR.get(row.tier, row.tier)),
                "kind": esc(KIND_LABELS[kind]),
                "minerals": esc(_minerals_text(row.minerals)),
                "country": esc(f"{cname} ({country})" if cname and not pd.isna(cname) else country),
                "risk": esc(risk_text(score, getattr(row, cov_col), dimension)),
                "precision": esc(precision_text(row.geo_precision)),
                "source": esc(source),
            }
        )
    return out


KIND_LABELS = {
    "site": "site",
    "documented": "documented link (brand lists it)",
    "inferred": "inferred exposure (not named by the brand)",
}


def site_layers(df: pd.DataFrame, dimension: str) -> list[pdk.Layer]:
    """One ScatterplotLayer per tier and kind (documented / inferred / plain site), inferred first
    so that documented points are drawn on top."""
    layers = []
    if df.empty:
        return layers
    for kind in ("inferred", "site", "documented"):
        part = df[df["kind"] == kind] if "kind" in df.columns else (df if kind == "site" else df[:0])
        for tier in TIERS:
            sub = part[part["tier"] == tier]
            if sub.empty:
                continue
            layers.append(
                pdk.Layer(
                    "ScatterplotLayer",
                    id=f"sites-{tier}-{kind}",
                    data=point_records(sub, dimension, kind),
                    get_position="[lon, lat]",
                    get_fill_color="fill",
                    get_line_color="line",
                    get_radius="radius",
                    get_line_width="width",
                    radius_units="pixels",
                    line_width_units="pixels",
                    stroked=True,
                    filled=True,
                    pickable=True,
                    auto_highlight=True,
                )
            )
    return layers


def feature_collection(shapes: pd.DataFrame, props: dict[str, dict[str, Any]] | None = None):
    """A GeoJSON FeatureCollection from country_shapes rows (geometry = the geojson column)."""
    features = []
    for row in shapes.itertuples(index=False):
        geom = json.loads(row.geojson) if isinstance(row.geojson, str) else row.geojson
        if not geom:
            continue
        p = {"iso3": row.country_iso3, "name": esc(row.name)}
        if props and row.country_iso3 in props:
            p.update(props[row.country_iso3])
        features.append({"type": "Feature", "geometry": geom, "properties": p})
    return {"type": "FeatureCollection", "features": features}


def ocean_layer() -> pdk.Layer:
    """A dark background rectangle, drawn first: the map has no basemap and no tile request."""
    ring = [[-180, -85], [180, -85], [180, 85], [-180, 85], [-180, -85]]
    return pdk.Layer(
        "PolygonLayer",
        id="ocean",
        data=[{"polygon": ring}],
        get_polygon="polygon",
        get_fill_color=list(OCEAN_RGB),
        stroked=False,
        pickable=False,
    )


def country_outline_layer(shapes: pd.DataFrame) -> pdk.Layer:
    """Country shapes (Natural Earth) as the offline basemap."""
    return pdk.Layer(
        "GeoJsonLayer",
        id="countries",
        data=feature_collection(shapes),
        stroked=True,
        filled=True,
        get_fill_color=list(LAND_RGB),
        get_line_color=list(BORDER_RGB),
        line_width_min_pixels=0.5,
        pickable=False,
    )


def choropleth_layer(shapes: pd.DataFrame, values: pd.DataFrame, indicator: str) -> pdk.Layer:
    """Countries coloured by one indicator (viridis scaled to its min..max; grey = no data).

    ``values`` has country_iso3, value; the tooltip shows the exact value and its source.
    """
    vals = values.dropna(subset=["value"])
    lo, hi = (float(vals["value"].min()), float(vals["value"].max())) if len(vals) else (0, 1)
    span = (hi - lo) or 1.0
    props: dict[str, dict[str, Any]] = {}
    for row in vals.itertuples(index=False):
        rgb = risk_rgb((float(row.value) - lo) / span * 100)
        src = getattr(row, "source_id", "") or ""
        props[row.country_iso3] = {
            "fill": [*rgb, 230],
            "value": esc(f"{indicator} = {row.value:g}"),
            "source": esc(src),
        }
    fc = feature_collection(shapes, props)
    for f in fc["features"]:
        p = f["properties"]
        p.setdefault("fill", [*NO_DATA_RGB, 200])
        p.setdefault("value", esc(f"{indicator}: no data"))
        p.setdefault("source", "")
    return pdk.Layer(
        "GeoJsonLayer",
        id="choropleth",
        data=fc,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=list(BORDER_RGB),
        line_width_min_pixels=0.5,
        pickable=True,
        auto_highlight=True,
    )


def h3_layer(cells: pd.DataFrame) -> pdk.Layer:
    """Aggregated sites as H3 hexagons (see riskatlas.aggregate.h3_cells for the columns)."""
    return pdk.Layer(
        "H3HexagonLayer",
        id="h3-cells",
        data=cells.to_dict("records"),
        get_hexagon="hex",
        get_fill_color="fill",
        get_line_color=[20, 20, 20, 160],
        line_width_min_pixels=0.5,
        stroked=True,
        filled=True,
        extruded=False,
        pickable=True,
        auto_highlight=True,
    )


def deck(
    layers: Iterable[pdk.Layer],
    *,
    lat: float = 5.0,
    lon: float = 20.0,
    zoom: float = 1.2,
    tooltip_html: str = TOOLTIP_HTML,
) -> pdk.Deck:
    """A deck with no basemap provider: nothing is fetched from outside the app."""
    return pdk.Deck(
        layers=list(layers),
        map_provider=None,
        initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom),
        tooltip={"html": tooltip_html, "style": TOOLTIP_STYLE},
    )


def view_for(df: pd.DataFrame) -> dict[str, float]:
    """A view that frames the points (robust to outliers: 2nd-98th percentile)."""
    if df.empty:
        return {"lat": 5.0, "lon": 20.0, "zoom": 1.2}
    lat = df["lat"].astype(float)
    lon = df["lon"].astype(float)
    la0, la1 = lat.quantile(0.02), lat.quantile(0.98)
    lo0, lo1 = lon.quantile(0.02), lon.quantile(0.98)
    extent = max(la1 - la0, (lo1 - lo0) / 2, 0.5)
    zoom = max(0.8, min(8.0, math.log2(170 / extent)))
    return {"lat": float((la0 + la1) / 2), "lon": float((lo0 + lo1) / 2), "zoom": round(zoom, 2)}
