"""Does a site's point fall inside the country its source states? Vectorised against Natural Earth."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from riskatlas import paths

# 1:110m outlines are coarse (coasts and borders can be off by several km): a point within this many
# degrees (about 11 km at the equator) of its country's outline counts as inside.
TOLERANCE_DEG = 0.1


@functools.lru_cache(maxsize=4)
def _buffered(raw: str, tolerance: float) -> dict[str, BaseGeometry]:
    """Prepared, buffered polygon per ISO3 (cached per raw directory and tolerance)."""
    from riskatlas.sources.natural_earth import country_polygons

    out = {}
    for iso3, geom in country_polygons(Path(raw)).items():
        g = geom.buffer(tolerance, quad_segs=4) if tolerance > 0 else geom
        shapely.prepare(g)
        out[iso3] = g
    return out


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

    None means "not checkable": no coordinate, no country, or a country too small to be drawn at
    1:110m (Singapore, Hong Kong, Malta ...). Never read None as inside.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    codes = np.asarray([c if isinstance(c, str) else "" for c in iso3], dtype=object)
    if not (len(lat) == len(lon) == len(codes)):
        raise ValueError("lat, lon and iso3 must have the same length")
    out = np.full(len(lat), None, dtype=object)
    if len(lat) == 0:
        return out
    shapes = _buffered(str(paths.raw_dir(raw_dir)), tolerance)
    valid = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    for code in np.unique(codes[valid]):
        geom = shapes.get(code)
        if geom is None:
            continue
        idx = np.flatnonzero(valid & (codes == code))
        inside = shapely.contains_xy(geom, lon[idx], lat[idx])
        out[idx] = [not bool(v) for v in inside]
    return out
