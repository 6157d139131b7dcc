"""Country layers drawn offline: the ocean, Natural Earth outlines, and countries by indicator."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pydeck as pdk

from riskatlas.layers import (
    BORDER_RGB,
    LAND_RGB,
    LAND_SHADES,
    NO_DATA_RGB,
    OCEAN_RGB,
    esc,
    risk_rgb,
)


def feature_collection(shapes: pd.DataFrame, props: dict[str, dict[str, Any]] | None = None):
    """A GeoJSON FeatureCollection from country_shapes rows (geometry = the geojson column).

    Without ``props`` the same rows give the same object, parsed once (:func:`_once`). Treat
    the result as read-only."""
    if not props:
        return _once(_outlines, shapes)
    return _features(shapes.itertuples(index=False), props)


def _once(build: Callable[[tuple], Any], shapes: pd.DataFrame) -> Any:
    """``build`` (an lru_cache'd function of the outlines' iso3, names and GeoJSON) once per
    set of outlines. Why: parsing 250 countries' GeoJSON was a tenth of the CPU of a Map view no
    reader had asked for yet (issue 19), and the same object lets deck_static.offload_layers
    find the file it already wrote. Outlines given as parsed GeoJSON (dicts) are no cache key:
    built each time."""
    key = (tuple(shapes["country_iso3"]), tuple(shapes["name"]), tuple(shapes["geojson"]))
    try:
        return build(key)
    except TypeError:  # unhashable (dicts)
        return build.__wrapped__(key)


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
    """Country shapes (Natural Earth) as the offline basemap, in one shade, outlined unless
    ``stroked=False`` (the Map's land is :func:`land_layer`)."""
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


NEIGHBOUR_DEGREES = 0.2  # 1:110m outlines leave gaps of up to ~20 km between neighbours


def land_layer(shapes: pd.DataFrame) -> pdk.Layer:
    """The Map's land: countries filled, neighbours in different shades (LAND_SHADES), no lines.

    Why no border lines: every deck.gl layer type a map uses is a shader program that a browser
    without a GPU (software WebGL) compiles before the first frame. The borders' LineLayer was
    the only program of the Map's basemap that no other layer shared, and cost about 0.3 s of
    each first visit (issue 17, measured in bench/RESULTS.md); the land and the ocean share the
    polygon program. Told apart by shade, every border stays where it was, on one program fewer.
    """
    return pdk.Layer(
        "GeoJsonLayer",
        id="countries",
        data=_once(_shaded, shapes),
        stroked=False,
        filled=True,
        get_fill_color="properties.fill",
        pickable=False,
    )


@functools.lru_cache(maxsize=4)
def _shaded(key: tuple) -> dict[str, Any]:
    """The outlines with each country's shade, built once per set of outlines (the same object
    for every view, so deck_static.offload_layers writes its file once)."""
    isos, names, geojsons = key
    geoms = [json.loads(g) if isinstance(g, str) else g for g in geojsons]  # parsed once
    shade = land_shades(geoms)
    props = {iso: {"fill": list(LAND_SHADES[k])} for iso, k in zip(isos, shade, strict=True)}
    rows = [_Row(*row) for row in zip(isos, names, geoms, strict=True)]
    return _features(rows, props)


def land_shades(geometries: list[Any]) -> list[int]:
    """An index into LAND_SHADES per GeoJSON geometry (None or empty: 0), no two neighbours
    alike: countries closer than NEIGHBOUR_DEGREES count as neighbours, and are shaded most
    neighbours first, each taking the first shade none of its neighbours has (or, should all be
    taken, the one fewest of them have)."""
    from shapely.geometry import shape
    from shapely.strtree import STRtree

    shapes = {i: shape(g) for i, g in enumerate(geometries) if g}
    ids = list(shapes)
    tree = STRtree([shapes[i] for i in ids])
    near: dict[int, set[int]] = {i: set() for i in ids}
    for i in ids:
        zone = shapes[i].buffer(NEIGHBOUR_DEGREES)
        for k in tree.query(zone, predicate="intersects"):
            j = ids[int(k)]
            if j != i:
                near[i].add(j)
                near[j].add(i)
    shade = [0] * len(geometries)
    done: set[int] = set()
    for i in sorted(ids, key=lambda i: (-len(near[i]), i)):
        taken = [shade[j] for j in near[i] if j in done]
        free = [k for k in range(len(LAND_SHADES)) if k not in taken]
        shade[i] = free[0] if free else min(range(len(LAND_SHADES)), key=taken.count)
        done.add(i)
    return shade


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
