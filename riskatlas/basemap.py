"""Country layers drawn offline: the ocean, Natural Earth outlines, and countries by indicator."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pydeck as pdk

from riskatlas.layers import BORDER_RGB, LAND_RGB, NO_DATA_RGB, OCEAN_RGB, esc, risk_rgb


def feature_collection(shapes: pd.DataFrame, props: dict[str, dict[str, Any]] | None = None):
    """A GeoJSON FeatureCollection from country_shapes rows (geometry = the geojson column).

    Without ``props`` (the outlines under every Map view) the same rows give the same object,
    parsed once: parsing 250 countries' GeoJSON was a tenth of the CPU of a Map view no reader
    had asked for yet (issue 19), and the same object lets deck_static.offload_layers find the
    file it already wrote. Treat the result as read-only."""
    if not props:
        key = (tuple(shapes["country_iso3"]), tuple(shapes["name"]), tuple(shapes["geojson"]))
        try:
            return _outlines(key)
        except TypeError:  # outlines given as parsed GeoJSON (dicts): not a cache key
            pass
    return _features(shapes.itertuples(index=False), props)


@functools.lru_cache(maxsize=4)
def _outlines(key: tuple) -> dict[str, Any]:
    isos, names, geojsons = key
    rows = [
        _Row(iso, name, geojson) for iso, name, geojson in zip(isos, names, geojsons, strict=True)
    ]
    return _features(rows, None)


@dataclass(frozen=True)
class _Row:
    country_iso3: str
    name: str
    geojson: Any


def _features(rows: Iterable[Any], props: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    features = []
    for row in rows:
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


def country_outline_layer(shapes: pd.DataFrame, stroked: bool = True) -> pdk.Layer:
    """Country shapes (Natural Earth) as the offline basemap; ``stroked=False`` draws the land
    only (the borders then come from :func:`border_layer`)."""
    return pdk.Layer(
        "GeoJsonLayer",
        id="countries",
        data=feature_collection(shapes),
        stroked=stroked,
        filled=True,
        get_fill_color=list(LAND_RGB),
        get_line_color=list(BORDER_RGB),
        line_width_min_pixels=0.5,
        pickable=False,
    )


BORDER_DIGITS = 3  # 0.001 degree, about 100 m: below a pixel at the zoom levels the maps open at


def _rings(coords: Any):
    """The linear rings of a Polygon's or a MultiPolygon's coordinates."""
    if coords and isinstance(coords[0][0], int | float):
        yield coords
        return
    for part in coords or []:
        yield from _rings(part)


def border_segments(shapes: pd.DataFrame) -> list[dict[str, list[float]]]:
    """Every edge of every country ring as a segment ``{"s": [lon, lat], "t": [lon, lat]}``.

    The same outlines give the same segments for every view the Map draws: computed once per
    set of outlines (about 20 ms and 10,000 segments each time otherwise)."""
    key = tuple(shapes["geojson"])
    try:
        return _segments(key)
    except TypeError:  # outlines given as parsed GeoJSON (dicts): not a cache key
        return _segments.__wrapped__(key)


@functools.lru_cache(maxsize=4)
def _segments(geojsons: tuple) -> list[dict[str, list[float]]]:
    out = []
    for raw in geojsons:
        geom = json.loads(raw) if isinstance(raw, str) else raw
        if not geom:
            continue
        for ring in _rings(geom.get("coordinates")):
            pts = [
                [round(float(x), BORDER_DIGITS), round(float(y), BORDER_DIGITS)]
                for x, y, *_ in ring
            ]
            out.extend({"s": a, "t": b} for a, b in zip(pts[:-1], pts[1:], strict=True) if a != b)
    return out


def border_layer(shapes: pd.DataFrame) -> pdk.Layer:
    """Country borders as straight segments (a LineLayer), for the Map's basemap.

    Why not the outline layer's own stroke: a GeoJsonLayer strokes with deck.gl's PathLayer,
    whose shader (joints, miters) the software renderer of a browser without a GPU compiles and
    runs for seconds before the first frame (measured: 3.5 of the 5 CPU seconds the Map's GPU
    process spent per visit, issue 19.4). Borders of one pixel need no joints; the LineLayer's
    shader is a quad per segment. Same colour, same place; not pickable (no names in it).
    """
    return pdk.Layer(
        "LineLayer",
        id="borders",
        data=border_segments(shapes),
        get_source_position="s",
        get_target_position="t",
        get_color=list(BORDER_RGB),
        get_width=1,
        width_units='"pixels"',
        pickable=False,
    )


def choropleth_layer(
    shapes: pd.DataFrame,
    values: pd.DataFrame,
    indicator: str,
    *,
    label: str | None = None,
    value_format: str = "{:g}",
    formatter: Callable[[float], str] | None = None,
    no_data: str = "no data",
    no_data_fill: tuple[int, ...] = (*NO_DATA_RGB, 200),
    layer_id: str = "choropleth",
) -> pdk.Layer:
    """Countries coloured by one indicator, by rank among the countries with a value (viridis:
    darkest = lowest; skewed indicators stay readable); grey = no data, never a low value.

    ``values`` has country_iso3, value, and optionally source_id and note (e.g. what a
    Eurostat flag means); the tooltip shows the exact value, the note and the source.
    ``label``/``value_format`` word the value (``formatter``, when given, instead: e.g. the
    catalogue's value as published with its unit); ``no_data``/``no_data_fill`` say and draw a
    country without a value (e.g. "not reported" with no fill at all).
    """
    vals = values.dropna(subset=["value"]).drop_duplicates("country_iso3")
    pct = vals["value"].rank(method="average", pct=True) if len(vals) > 1 else None
    name = label or indicator
    props: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(vals.itertuples(index=False)):
        rgb = risk_rgb(50.0 if pct is None else float(pct.iloc[i]) * 100)
        src = getattr(row, "source_id", "") or ""
        note = getattr(row, "note", None)
        shown = formatter(row.value) if formatter else value_format.format(row.value)
        text = f"{name} = {shown}"
        if isinstance(note, str) and note:
            text += f" ({note})"
        props[row.country_iso3] = {"fill": [*rgb, 230], "value": esc(text), "source": esc(src)}
    fc = feature_collection(shapes, props)
    for f in fc["features"]:
        p = f["properties"]
        p.setdefault("fill", list(no_data_fill))
        p.setdefault("value", esc(f"{name}: {no_data}"))
        p.setdefault("source", "")
        p["tip"] = f"{p['name']} ({p['iso3']})\n{p['value']}" + (
            f"\nSource: {p['source']}" if p["source"] else ""
        )
    return pdk.Layer(
        "GeoJsonLayer",
        id=layer_id,
        data=fc,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=list(BORDER_RGB),
        line_width_min_pixels=0.5,
        pickable=True,
        auto_highlight=True,
    )
