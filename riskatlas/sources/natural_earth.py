"""Natural Earth 1:110m country outlines: map shapes, label points and polygons for point checks."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from riskatlas.countries import to_iso3
from riskatlas.sources.base import AdapterResult, SourceError, SourceInfo, clean_text, sha256_file

FILE = "ne_110m_admin_0_countries.geojson"
SOURCE = SourceInfo(
    source_id="natural_earth",
    title="Natural Earth Admin 0 – Countries, 1:110m",
    publisher="Natural Earth (naturalearthdata.com)",
    url="https://www.naturalearthdata.com/downloads/110m-cultural-vectors/110m-admin-0-countries/",
    licence="Public domain (Natural Earth terms of use)",
    data_date="Natural Earth v4.x (POP_YEAR 2017, GDP_YEAR 2016)",
    folder="natural_earth_admin0_110m",
    files=(FILE,),
    # fetch: the pinned copy byte-identical to the mirror (see its SOURCE.md); url: the publisher.
    fetch_urls={
        FILE: "https://raw.githubusercontent.com/Alenriquez96/visited-countries/"
        "8a0c1d43431f3601d3e7054a8e5a26dbaefd1f17/public/ne_110m_admin_0_countries.geojson"
    },
    notes=(
        "177 features. 1:110m is coarse: small countries and islands (Singapore, Hong Kong, "
        "Malta, Mauritius...) are absent, so points there cannot be checked against a shape. "
        "ISO_A3 is -99 for France, Norway, Kosovo, N. Cyprus and Somaliland: France and Norway "
        "get FRA/NOR, Kosovo XKX; N. Cyprus (CYN) and Somaliland (SOL) keep Natural Earth's "
        "ADM0_A3 code, which is not ISO (ISO counts them as part of CYP and SOM). Shapes whose "
        "longitude span exceeds 180 degrees (Russia, Fiji, Antarctica) are passed through the "
        "antimeridian package so that no ring wraps the globe."
    ),
    order=20,
)


SHAPE_COLUMNS = [
    "country_iso3", "name", "label_lon", "label_lat", "geojson", "adm0_a3", "iso_parent", "note",
]  # fmt: skip


def load(raw_dir: Path) -> AdapterResult:
    """One shape per feature, keyed by ISO3, with its geometry as a GeoJSON string."""
    path = SOURCE.path(raw_dir, FILE)
    features = _features(path)
    result = AdapterResult(source=SOURCE, rows_in=len(features))
    result.file_hashes[FILE] = sha256_file(path)
    rows = []
    for ref, iso3, parent, note, geom, props in _resolved(features, result):
        try:
            point = label_point(geom)
        except shapely.errors.GEOSException as e:
            result.reject(ref, f"no label point for the geometry: {e}", props.get("NAME"))
            continue
        rows.append(
            {
                "country_iso3": iso3,
                "name": clean_text(props.get("NAME_LONG")) or clean_text(props.get("NAME")),
                "label_lon": round(point.x, 5),
                "label_lat": round(point.y, 5),
                "geojson": json.dumps(mapping(geom), separators=(",", ":")),
                "adm0_a3": ref,
                "iso_parent": parent,
                "note": note,
            }
        )
    result.tables["country_shapes"] = (
        pd.DataFrame(rows, columns=SHAPE_COLUMNS).sort_values("country_iso3").reset_index(drop=True)
    )
    return result


def country_geometries(raw_dir: Path) -> list[tuple[str, str | None, BaseGeometry]]:
    """(ISO3, ISO3 of the sovereign country or None, geometry) per usable feature, read once.

    Why public: the geocoder's country points and the country check need the shapes, not the
    adapter's table (``riskatlas.geo.countries`` reads them once per build through this).
    """
    path = SOURCE.path(raw_dir, FILE)
    scratch = AdapterResult(source=SOURCE, rows_in=0)
    return [
        (iso3, parent, geom)
        for _ref, iso3, parent, _note, geom, _props in _resolved(_features(path), scratch)
    ]


def merge_polygons(
    geometries: list[tuple[str, str | None, BaseGeometry]],
) -> dict[str, BaseGeometry]:
    """Valid shapely geometry per ISO3 for point-in-country checks.

    Features without an ISO code of their own (N. Cyprus, Somaliland) are merged into the ISO
    country that contains them, so a point there stated as CYP or SOM is not called outside.
    """
    parts: dict[str, list[BaseGeometry]] = {}
    for iso3, parent, geom in geometries:
        parts.setdefault(parent or iso3, []).append(shapely.make_valid(geom))
    return {k: v[0] if len(v) == 1 else shapely.union_all(v) for k, v in parts.items()}


def country_polygons(raw_dir: Path) -> dict[str, BaseGeometry]:
    """merge_polygons of the file's features."""
    return merge_polygons(country_geometries(raw_dir))


def _features(path: Path) -> list[dict[str, Any]]:
    """GeoJSON features of the file; anything that is not a FeatureCollection is a SourceError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise SourceError(f"{SOURCE.source_id}: {path} is not valid GeoJSON: {e}") from e
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise SourceError(f"{SOURCE.source_id}: {path} is not a GeoJSON FeatureCollection")
    features = data.get("features")
    if features is None:
        features = []
    if not isinstance(features, list):
        raise SourceError(f"{SOURCE.source_id}: {path} 'features' is not a list")
    if features and not any("ADM0_A3" in _props(f) for f in features):
        raise SourceError(
            f"{SOURCE.source_id}: {path} features lack ADM0_A3; is it Natural Earth admin-0?"
        )
    return features


def _props(feature: Any) -> dict[str, Any]:
    """A feature's properties, or {} when the feature or its properties are not JSON objects."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    return props if isinstance(props, dict) else {}


def _resolved(features: list[dict[str, Any]], result: AdapterResult):
    """(adm0_a3, iso3, iso_parent, note, geometry, properties) per usable feature, in file order."""
    direct = {}
    for f in features:
        props = _props(f)
        code = _iso(props.get("ISO_A3")) or _iso(props.get("ISO_A3_EH"))
        if code:
            direct[id(f)] = code
    taken = set(direct.values())
    out = []
    for f in features:
        props = _props(f)
        ref = clean_text(props.get("ADM0_A3")) or "?"
        if not isinstance(f, dict):
            result.reject(ref, "feature is not a JSON object", f)
            continue
        try:
            geom = shape(f.get("geometry"))
        except (
            AttributeError, KeyError, IndexError, TypeError, ValueError,
            shapely.errors.ShapelyError,
        ) as e:  # fmt: skip
            result.reject(
                ref, f"geometry cannot be read: {type(e).__name__}: {e}", props.get("NAME")
            )
            continue
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            result.reject(ref, "geometry is empty or not a polygon", props.get("NAME"))
            continue
        problem = _coordinate_problem(geom)
        if problem:
            result.reject(ref, problem, props.get("NAME"))
            continue
        if not geom.area > 0:
            result.reject(ref, "geometry has no area (degenerate rings)", props.get("NAME"))
            continue
        iso3, parent, note = direct.get(id(f)), None, None
        if iso3 is None:
            guess = to_iso3(ref) or to_iso3(props.get("ADMIN")) or to_iso3(props.get("NAME"))
            if guess and guess not in taken:
                iso3, note = guess, f"ISO_A3 is -99 in Natural Earth; {guess} from ADM0_A3/name"
                taken.add(guess)
            elif guess:
                iso3, parent = ref, guess
                note = (
                    f"not an ISO 3166 country: Natural Earth code {ref}; ISO counts it as part "
                    f"of {guess}"
                )
            else:
                result.reject(ref, "no ISO3 code and name not recognised", props.get("NAME"))
                continue
        try:
            fixed = _fix_antimeridian(geom)
        except Exception as e:  # noqa: BLE001 - a shape the antimeridian fix cannot cut is a reject
            result.reject(
                ref, f"antimeridian fix failed: {type(e).__name__}: {e}", props.get("NAME")
            )
            continue
        out.append((ref, iso3, parent, note, fixed, props))
    return out


def _coordinate_problem(geom: BaseGeometry) -> str | None:
    """Why a shape's vertices are not WGS84 degrees (NaN, infinite, beyond ±180/±90), or None."""
    xy = shapely.get_coordinates(geom)
    if not np.isfinite(xy).all():
        return "geometry has a vertex that is not a finite number"
    if (np.abs(xy[:, 0]) > 180).any() or (np.abs(xy[:, 1]) > 90).any():
        return "geometry has a vertex outside longitude -180..180 / latitude -90..90"
    return None


def _iso(code: Any) -> str | None:
    s = clean_text(code)
    return s if s and s != "-99" and len(s) == 3 and s.isalpha() else None


def _fix_antimeridian(geom: BaseGeometry) -> BaseGeometry:
    """Split rings that would wrap the globe, only for shapes spanning more than 180° of longitude."""
    minx, _, maxx, _ = geom.bounds
    if maxx - minx <= 180:
        return geom
    import antimeridian

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Antarctica's winding is reversed on purpose by the fix
        return shape(antimeridian.fix_shape(mapping(geom)))


def label_point(geom: BaseGeometry):
    """A point inside the largest part, so labels sit on the mainland (Russia, USA, France)."""
    parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    largest = max(parts, key=lambda p: p.area)
    return largest.representative_point()
