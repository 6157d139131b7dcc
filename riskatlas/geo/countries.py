"""Country shapes for the geocoder and the country check, read once per raw directory.

Why one module: the geocoder needs each country's label point (the point a country-level
record is drawn at) and the country check needs the outlines; both come from the same Natural
Earth file. Reading it here once, through the adapter's public readers, keeps the label point
identical to the ``country_shapes`` table (same rule, same rounding) without re-running the
adapter (which would also serialise every outline to GeoJSON).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from riskatlas import paths

LABEL_DIGITS = 5  # the country_shapes table rounds label points to 5 decimals (about 1 m)


@dataclass(frozen=True)
class CountryShapes:
    """Per ISO3: the label point (lat, lon) and the outline (parts without ISO code merged)."""

    label_points: dict[str, tuple[float, float]]
    polygons: dict[str, BaseGeometry]


@functools.lru_cache(maxsize=2)
def _shapes(raw: str) -> CountryShapes:
    from riskatlas.sources import natural_earth

    geometries = natural_earth.country_geometries(Path(raw))
    points = {}
    for iso3, _parent, geom in geometries:
        try:
            p = natural_earth.label_point(geom)
        except shapely.errors.GEOSException:
            continue  # the adapter rejects such a feature too: no label point
        points[iso3] = (round(p.y, LABEL_DIGITS), round(p.x, LABEL_DIGITS))
    return CountryShapes(points, natural_earth.merge_polygons(geometries))


def country_shapes(raw_dir: Path | str | None = None) -> CountryShapes:
    """The shapes of the Natural Earth file under ``raw_dir`` (default: the mirrored data)."""
    return _shapes(str(paths.raw_dir(raw_dir)))


def label_points(raw_dir: Path | str | None = None) -> dict[str, tuple[float, float]]:
    """ISO3 -> (lat, lon): a point inside the country's largest part, as country_shapes has it."""
    return country_shapes(raw_dir).label_points


def polygons(raw_dir: Path | str | None = None) -> dict[str, BaseGeometry]:
    """ISO3 -> valid outline, for point-in-country checks."""
    return country_shapes(raw_dir).polygons
