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

import json
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from riskatlas.evidence import evidence_text

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
# Neighbouring countries never share a shade (riskatlas.basemap.land_layer): the Map tells
# countries apart by shade instead of by border lines. Dark blue-greys 8 levels apart, LAND_RGB
# among them; none near a risk colour, UNKNOWN_RGB or NO_DATA_RGB.
LAND_SHADES = (LAND_RGB, (66, 72, 83), (44, 50, 60), (74, 80, 91), (59, 65, 76))
BORDER_RGB = (120, 128, 140)
NO_DATA_RGB = (90, 90, 90)

# pixel radius per tier for exact points; approximate rings are drawn larger
TIER_RADIUS = {"mine": 4, "artisanal_mine": 4, "smelter_refiner": 6, "factory": 5, "ewaste": 6}
APPROX_RADIUS = 10

# One slot: values are filled in turn, so a name holding "{tip}" would take the next slot.
TOOLTIP_HTML = "{tip}"
TOOLTIP_STYLE = {
    "backgroundColor": "#1f2530",
    "color": "#f4f4f4",
    "fontSize": "12px",
    "maxWidth": "380px",
    "whiteSpace": "pre-line",  # the tip's lines are separated by newlines, not HTML
}


class CompactDeck(pdk.Deck):
    """A Deck whose JSON is compact: pydeck indents and sorts keys, which for tens of thousands
    of points triples the payload and the time to build it."""

    def to_json(self) -> str:
        return json.dumps(
            self, default=default_serialize, separators=(",", ":"), ensure_ascii=False
        )


def esc(value: Any) -> str:
    """One data value as plain text for a tooltip.

    Streamlit's deck.gl component HTML-escapes every value it puts into an ``html`` tooltip
    (checked in chromium by tests/test_hostile_browser.py), so escaping here as well showed
    "&amp;" and "&lt;img" to readers. Values go in as plain text; the browser escapes them.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def risk_rgb(score: float | None) -> tuple[int, int, int]:
    """Viridis colour of a 0-100 score; grey for an unknown (None/NaN) score."""
    if score is None or pd.isna(score):
        return UNKNOWN_RGB
    t = min(max(float(score), 0.0), 100.0) / 100.0 * (len(VIRIDIS) - 1)
    i = min(int(t), len(VIRIDIS) - 2)
    f = t - i
    a, b = VIRIDIS[i], VIRIDIS[i + 1]
    return tuple(round(a[k] + (b[k] - a[k]) * f) for k in range(3))  # type: ignore[return-value]


def risk_rgb_array(scores: np.ndarray) -> np.ndarray:
    """risk_rgb for many scores at once (n x 3 ints); NaN -> the unknown grey."""
    unknown = np.isnan(scores)
    t = np.clip(np.where(unknown, 0, scores), 0, 100) / 100 * (len(VIRIDIS) - 1)
    xs = np.arange(len(VIRIDIS))
    table = np.array(VIRIDIS, dtype=float)
    out = np.column_stack([np.interp(t, xs, table[:, k]) for k in range(3)]).round().astype(int)
    out[unknown] = UNKNOWN_RGB
    return out


def risk_text(score: float | None, coverage: float | None, dimension: str) -> str:
    """How a score reads in a tooltip: 'unknown' when there is no evidence, never 'low'."""
    if score is None or pd.isna(score):
        return f"{dimension} unknown (no evidence)"
    cov = "" if coverage is None or pd.isna(coverage) else f", evidence covers {coverage:.0%}"
    return f"{dimension} {float(score):.0f}/100{cov}"


# How a point was placed (sites.geo_method), as the tooltip, the Site page and the legend say it.
GEO_METHOD_TEXT = {
    "source_coordinates": "coordinates published by the source",
    "source_address": "placed from the address the source gives",
    "matched_record": "placed at a record of another source matched by name",
    "name_place": "placed at a place named in the facility's name",
    "country_only": "placed at the country's point only",
}


def precision_text(precision: str | None, method: str | None = None) -> str:
    """Location precision as the tooltip states it, with how the point was placed if known."""
    if precision in APPROXIMATE:
        text = f"location approximate: {precision} level"
    elif precision == "exact":
        text = "exact coordinates from the source"
        if method == "matched_record":
            text = "exact coordinates of a matched record"
    else:
        return "location precision unknown"
    how = GEO_METHOD_TEXT.get(method) if isinstance(method, str) else None
    if how and method != "source_coordinates":
        text += f" ({how})"
    return text


def _minerals_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    return ", ".join(str(v) for v in value)


class SpecDeck:
    """A deck already serialised (cached by the page): what st.pydeck_chart needs of a Deck."""

    deck_widget = None
    mapbox_key = None

    def __init__(self, spec: str, tooltip: dict[str, Any]):
        self._spec = spec
        self._tooltip = tooltip

    def to_json(self) -> str:
        return self._spec


def tooltip_tip(
    tier: str, kind: str, minerals: str, country: str, risk: str, precision: str, source: str
) -> str:
    """The tooltip lines under the name (escaped; newlines render as line breaks)."""
    lines = [
        f"{tier} · {kind}",
        f"Minerals: {minerals or '—'}",
        f"Country: {country}",
        f"Risk: {risk}",
        f"Location: {precision}",
        f"Source: {source}",
    ]
    return esc("\n".join(lines))


def point_records(df: pd.DataFrame, dimension: str, kind: str) -> list[dict[str, Any]]:
    """The small per-point payload a site layer sends: id, position, colour, escaped tooltip.

    ``df`` has site_id, name, tier, lat, lon, geo_precision, country_iso3, country_name,
    minerals, <dimension>, <dimension>_coverage, source_id, source_ref. Rows without
    coordinates are left out (they stay in the table and the downloads). Vectorised: the
    unfiltered atlas sends tens of thousands of points.
    """
    df = df[df["lat"].notna() & df["lon"].notna()] if not df.empty else df
    if df.empty:
        return []
    faded = kind == "inferred"
    score = df[dimension]
    known = score.notna()
    approx = df["geo_precision"].map(is_approximate)
    if faded:
        alpha = approx.map({True: 150, False: 90})
    else:
        alpha = (approx * 255 + (~approx) * known.map({True: 235, False: 200})).astype(int)
    rgb = risk_rgb_array(score.to_numpy(dtype=float, na_value=np.nan))
    fill = np.column_stack([rgb, np.asarray(alpha, dtype=int)]).tolist()
    cov = df.get(f"{dimension}_coverage", pd.Series(None, index=df.index))
    cname = df["country_name"] if "country_name" in df else pd.Series(None, index=df.index)
    iso3 = df["country_iso3"].fillna("")
    country = [
        f"{n} ({c})" if isinstance(n, str) and n else c for n, c in zip(cname, iso3, strict=True)
    ]
    source = [
        f"{a}: {b}" if isinstance(b, str) and b else str(a)
        for a, b in zip(df["source_id"], df["source_ref"], strict=True)
    ]
    if "source_note" in df:  # e.g. the reports a curated e-waste site cites, instead of its slug
        source = [
            n if isinstance(n, str) and n else s
            for n, s in zip(df["source_note"], source, strict=True)
        ]
    tips = [
        tooltip_tip(
            TIER_SINGULAR.get(t, t),
            KIND_LABELS[kind],
            _minerals_text(m),
            c,
            "; ".join(x for x in (risk_text(sc, cv, dimension), evidence_text(ev)) if x),
            precision_text(p, gm),
            src,
        )
        for t, m, c, sc, cv, ev, p, gm, src in zip(
            df["tier"],
            df["minerals"],
            country,
            score,
            cov,
            df.get("evidence_level", pd.Series(None, index=df.index)),
            df["geo_precision"],
            df.get("geo_method", pd.Series(None, index=df.index)),
            source,
            strict=True,
        )
    ]
    names = df["name"].map(esc).tolist()
    columns = (
        df["site_id"].astype(str).tolist(),
        df["lon"].astype(float).round(4).tolist(),
        df["lat"].astype(float).round(4).tolist(),
        fill,
        [f"{n}\n{t}" for n, t in zip(names, tips, strict=True)],
    )
    keys = ("site_id", "lon", "lat", "fill", "tip")  # the name is the tip's first line
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]


def is_approximate(precision: str | None) -> bool:
    """City, province or country precision (or none given): drawn as a ring, said in the tip."""
    return (
        precision in APPROXIMATE
        or precision is None
        or (isinstance(precision, float) and math.isnan(precision))
    )


KIND_LABELS = {
    "site": "site",
    "documented": "documented link (the brand lists it)",
    "inferred": "inferred (no disclosure names it)",
}


def site_layers(df: pd.DataFrame, dimension: str) -> list[pdk.Layer]:
    """Per tier and kind (documented / inferred / plain site) one layer of exact points and one
    of approximate rings; inferred first, so documented points are drawn on top.

    The records of a kind are built in one vectorised pass and then split by tier and ring
    (building them per layer cost 30 passes over the frame).
    """
    layers: list[pdk.Layer] = []
    if df.empty:
        return layers
    df = df[df["lat"].notna() & df["lon"].notna()]
    for kind in ("inferred", "site", "documented"):
        sub = df[df["kind"] == kind]
        if sub.empty:
            continue
        groups: dict[tuple[str, bool], list[dict[str, Any]]] = {}
        rings = sub["geo_precision"].map(is_approximate)
        for rec, tier, ring in zip(
            point_records(sub, dimension, kind), sub["tier"], rings, strict=True
        ):
            groups.setdefault((tier, bool(ring)), []).append(rec)
        for tier in TIERS:
            for ring in (False, True):
                data = groups.get((tier, ring))
                if data:
                    layer_id = f"sites-{tier}-{kind}" + ("-approx" if ring else "")
                    layers.append(_scatter(layer_id, data, tier, kind, ring))
    return layers


def _scatter(layer_id: str, data: list, tier: str, kind: str, ring: bool) -> pdk.Layer:
    if ring:  # approximate: hollow ring in the risk colour, larger
        style = {
            "filled": False,
            "get_line_color": "fill",
            "get_radius": APPROX_RADIUS,
            "get_line_width": 2,
        }
    else:
        line = [230, 230, 230, 110] if kind == "inferred" else [10, 10, 10, 220]
        style = {
            "filled": True,
            "get_fill_color": "fill",
            "get_line_color": line,
            "get_radius": TIER_RADIUS.get(tier, 5),
            "get_line_width": 1,
        }
    return pdk.Layer(
        "ScatterplotLayer",
        id=layer_id,
        data=data,
        get_position="[lon, lat]",
        radius_units='"pixels"',
        line_width_units='"pixels"',
        stroked=True,
        pickable=True,
        auto_highlight=True,
        **style,
    )


def h3_layer(cells: pd.DataFrame, res: int = 5) -> pdk.Layer:
    """Aggregated sites: one circle per H3 cell (riskatlas.aggregate.cell_records), at the cell's
    centre and of its hexagon's size, never smaller than aggregate.MIN_RADIUS_PX on screen.

    Why circles and not hexagons: a hexagon has no minimum size, and at the world zoom a brand's
    or a mineral's view opens at, its cells were smaller than a pixel. The pale outline keeps a
    dark (low-score) circle visible on the dark map.
    """
    from riskatlas.aggregate import EDGE_KM, MIN_RADIUS_PX

    return pdk.Layer(
        "ScatterplotLayer",
        id="h3-cells",
        data=cells.to_dict("records"),
        get_position="[lon, lat]",
        get_fill_color="fill",
        get_line_color=[235, 235, 235, 200],
        get_radius=EDGE_KM.get(res, EDGE_KM[5]) * 1000,
        radius_units='"meters"',
        radius_min_pixels=MIN_RADIUS_PX,
        line_width_units='"pixels"',
        get_line_width=1,
        stroked=True,
        filled=True,
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
) -> CompactDeck:
    """A deck with no basemap provider: nothing is fetched from outside the app."""
    return CompactDeck(
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
    return view_for_extent(
        (lat.quantile(0.02), lat.quantile(0.98)), (lon.quantile(0.02), lon.quantile(0.98))
    )


def view_for_extent(lat_range, lon_range) -> dict[str, float]:
    """A view that frames a latitude and a longitude range (the located rows' 2nd-98th
    percentiles); the world view when the ranges are unknown."""
    try:
        la0, la1 = (float(v) for v in lat_range)
        lo0, lo1 = (float(v) for v in lon_range)
    except (TypeError, ValueError):
        return {"lat": 5.0, "lon": 20.0, "zoom": 1.2}
    if any(math.isnan(v) for v in (la0, la1, lo0, lo1)):
        return {"lat": 5.0, "lon": 20.0, "zoom": 1.2}
    extent = max(la1 - la0, (lo1 - lo0) / 2, 0.5)
    zoom = max(0.8, min(8.0, math.log2(170 / extent)))
    return {"lat": float((la0 + la1) / 2), "lon": float((lo0 + lo1) / 2), "zoom": round(zoom, 2)}
