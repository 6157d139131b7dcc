"""Does a site's point fall inside the country its source states? Vectorised against Natural Earth."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from riskatlas import paths
from riskatlas.geo import countries

# 1:110m outlines are coarse: borders and coasts are off by up to ~20 km (Turow, Poland, sits 0.21°
# inside Czechia at this scale). A point within this many degrees of its country counts as inside.
TOLERANCE_DEG = 0.25
# Islands are missing at 1:110m (Bangka, Belitung, Wetar, Dinagat ...). A point that falls in no
# country at all, within this many degrees of its own, cannot be checked at this scale: None.
SEA_MARGIN_DEG = 2.0


@functools.lru_cache(maxsize=2)
def _polygons(raw: str) -> dict[str, BaseGeometry]:
    out = countries.polygons(raw)
    for g in out.values():
        shapely.prepare(g)
    return out


@functools.lru_cache(maxsize=4)
def _buffered(raw: str, tolerance: float) -> dict[str, BaseGeometry]:
    """Prepared, buffered polygon per ISO3 (cached per raw directory and tolerance)."""
    out = {}
    for iso3, geom in _polygons(raw).items():
        g = geom.buffer(tolerance, quad_segs=4) if tolerance > 0 else geom
        shapely.prepare(g)
        out[iso3] = g
    return out


@functools.lru_cache(maxsize=2)
def _land(raw: str) -> shapely.STRtree:
    return shapely.STRtree(list(_polygons(raw).values()))


def checkable_countries(raw_dir: Path | None = None, tolerance: float = TOLERANCE_DEG) -> set[str]:
    """ISO3 codes with a shape at 1:110m; points in any other country cannot be checked."""
    return set(_buffered(str(paths.raw_dir(raw_dir)), tolerance))


def outside_country(
    lat: Sequence[float] | np.ndarray,
    lon: Sequence[float] | np.ndarray,
    iso3: Sequence[str | None],
    raw_dir: Path | None = None,
    tolerance: float = TOLERANCE_DEG,
) -> np.ndarray:
    """Per point: True if it lies outside its stated country, False if inside, None if unknown.

    Why: a point in the wrong country is the commonest sign of a bad coordinate (swapped lat/lon,
    wrong sign, wrong country field). True means it lies in another country, or far at sea.
    None means "not checkable": no coordinate, no country, a country too small to be drawn at
    1:110m (Singapore, Hong Kong, Malta ...), or a point at sea near its own country (an island
    the 1:110m outlines omit). Never read None as inside.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    codes = np.asarray([c if isinstance(c, str) else "" for c in iso3], dtype=object)
    if not (len(lat) == len(lon) == len(codes)):
        raise ValueError("lat, lon and iso3 must have the same length")
    out = np.full(len(lat), None, dtype=object)
    if len(lat) == 0:
        return out
    raw = str(paths.raw_dir(raw_dir))
    shapes = _buffered(raw, tolerance)
    valid = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    for code in np.unique(codes[valid]):
        geom = shapes.get(code)
        if geom is None:
            continue
        idx = np.flatnonzero(valid & (codes == code))
        inside = shapely.contains_xy(geom, lon[idx], lat[idx])
        out[idx] = [not bool(v) for v in inside]
    _unflag_missing_islands(out, lat, lon, codes, raw)
    return out


def _unflag_missing_islands(out: np.ndarray, lat, lon, codes, raw: str) -> None:
    """Points outside their country but on no land at 1:110m, close to home, become None."""
    idx = np.flatnonzero(out == True)  # noqa: E712 - object array of True/False/None
    if len(idx) == 0:
        return
    points = shapely.points(lon[idx], lat[idx])
    on_land = np.zeros(len(idx), dtype=bool)
    hit_points, _ = _land(raw).query(points, predicate="intersects")
    on_land[np.unique(hit_points)] = True
    polygons = _polygons(raw)
    for j, i in enumerate(idx):
        if on_land[j]:
            continue
        if shapely.distance(polygons[codes[i]], points[j]) <= SEA_MARGIN_DEG:
            out[i] = None
