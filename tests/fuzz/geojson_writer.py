"""Serialise the seed FeatureCollection with broken geometries, properties and features."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.mutate import APPLIED
from tests.fuzz.strategies import hostile_text

GEO_OPS = (
    "geom_coord", "geom_coord", "geom_coord", "geom_type", "geom_garbage", "geom_none",
    "props_key", "props_key", "props_drop_key", "props_garbage", "feature_garbage",
    "dup_feature", "drop_feature", "features_garbage", "top_type", "short_ring", "huge_ring",
    "empty_features", "nested_coord",
)  # fmt: skip
COORD = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 1000.0, -1000.0, 180.0, -180.0, 90.0, -90.0, 0.0]),
    st.sampled_from(["12", None, [], [1.0], True, {"x": 1}]),
)
GEOM_GARBAGE = st.sampled_from(
    [
        {},
        {"type": "Point", "coordinates": [1.0, 2.0]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[]]},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": "abc"},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]},
        {"type": "MultiPolygon", "coordinates": [[[]]]},
        {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], 5]},
        {"type": "GeometryCollection", "geometries": []},
        {"type": "Circle", "coordinates": [0, 0]},
        {"type": 7, "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [0, 0], [0, 0], [0, 0]]]},
        {"type": "Polygon", "coordinates": [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]},
        "POLYGON((0 0,1 0,1 1,0 0))",
        [1, 2, 3],
        42,
    ]
)
PROP_VALUE = st.one_of(
    hostile_text(), st.none(), st.integers(), st.floats(), st.sampled_from([[], {}, ["FRA"], True])
)


def write_geojson(data: st.DataObject, blob: str) -> bytes:
    """The seed FeatureCollection with broken geometries, properties and features."""
    doc = json.loads(blob)
    for _ in range(data.draw(st.integers(0, 5), label="n_geo_ops")):
        op = data.draw(st.sampled_from(GEO_OPS), label="geo_op")
        APPLIED.append(op)
        feats = doc.get("features") if isinstance(doc, dict) else None
        if not isinstance(feats, list):
            continue
        dict_feats = [
            f for f in feats if isinstance(f, dict) and isinstance(f.get("properties"), dict)
        ]
        with_geom = [f for f in dict_feats if _has_coords(f.get("geometry"))]
        if op in ("geom_coord", "nested_coord", "short_ring", "huge_ring") and with_geom:
            f = data.draw(st.sampled_from(with_geom), label="feature")
            ring = first_ring(f["geometry"])
            if op == "geom_coord" and ring:
                i = data.draw(st.integers(0, len(ring) - 1), label="vertex")
                ring[i] = [data.draw(COORD, label="x"), data.draw(COORD, label="y")]
            elif op == "nested_coord" and ring:
                ring[0] = data.draw(st.sampled_from([[], [1.0], [1.0, 2.0, 3.0, 4.0], "x", None]))
            elif op == "short_ring":
                del ring[data.draw(st.integers(1, 3)) :]
            elif op == "huge_ring":
                ring[:] = [[float(i % 360 - 180), float(i % 180 - 90)] for i in range(1000)]
        elif op == "geom_type" and dict_feats:
            f = data.draw(st.sampled_from(dict_feats), label="feature")
            if isinstance(f.get("geometry"), dict):
                f["geometry"]["type"] = data.draw(
                    st.sampled_from(["Point", "LineString", "polygon", "", None, "MultiPolygon"])
                )
        elif op == "geom_garbage" and dict_feats:
            data.draw(st.sampled_from(dict_feats))["geometry"] = copy.deepcopy(
                data.draw(GEOM_GARBAGE, label="geometry")
            )
        elif op == "geom_none" and dict_feats:
            data.draw(st.sampled_from(dict_feats))["geometry"] = None
        elif op == "props_key" and dict_feats:
            f = data.draw(st.sampled_from(dict_feats), label="feature")
            key = data.draw(
                st.sampled_from(["ADM0_A3", "ISO_A3", "ISO_A3_EH", "NAME", "NAME_LONG", "ADMIN"])
            )
            f["properties"][key] = data.draw(PROP_VALUE, label="value")
        elif op == "props_drop_key" and dict_feats:
            f = data.draw(st.sampled_from(dict_feats), label="feature")
            f["properties"].pop(data.draw(st.sampled_from(["ADM0_A3", "ISO_A3", "NAME"])), None)
        elif op == "props_garbage" and dict_feats:
            data.draw(st.sampled_from(dict_feats))["properties"] = data.draw(
                st.sampled_from([None, [], "props", 3, {"other": 1}])
            )
        elif op == "feature_garbage" and feats:
            i = data.draw(st.integers(0, len(feats) - 1), label="index")
            feats[i] = data.draw(st.sampled_from([None, "feature", 7, [], {"type": "Feature"}]))
        elif op == "dup_feature" and feats:
            feats.append(copy.deepcopy(data.draw(st.sampled_from(feats))))
        elif op == "drop_feature" and feats:
            del feats[data.draw(st.integers(0, len(feats) - 1))]
        elif op == "empty_features":
            doc["features"] = []
        elif op == "features_garbage":
            doc["features"] = data.draw(st.sampled_from([None, {}, "features", 3, {"a": []}]))
        elif op == "top_type":
            doc["type"] = data.draw(st.sampled_from(["Feature", "featurecollection", None]))
    if data.draw(st.integers(0, 20), label="wrap") == 0:
        APPLIED.append("wrap in a list")
        doc = [doc]
    text = json.dumps(doc, allow_nan=True, ensure_ascii=data.draw(st.booleans()))
    return text.encode("utf-8")


def _has_coords(geom: Any) -> bool:
    return isinstance(geom, dict) and first_ring(geom) is not None


def first_ring(geom: dict) -> list | None:
    c = geom.get("coordinates")
    try:
        ring = c[0] if geom.get("type") == "Polygon" else c[0][0]
    except (TypeError, IndexError, KeyError):
        return None
    return ring if isinstance(ring, list) else None
