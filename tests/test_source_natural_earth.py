"""natural_earth adapter: country shapes keyed by ISO3, antimeridian-safe, plus the check polygons."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import Point, shape

from riskatlas.sources import natural_earth
from riskatlas.sources.base import SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return natural_earth.load(raw_dir)


@pytest.fixture(scope="module")
def shapes(result):
    return result.tables["country_shapes"].set_index("country_iso3")


def test_counts(result, shapes):
    assert result.rows_in == 177
    assert result.rows_rejected == 0
    assert len(shapes) == 177 and shapes.index.is_unique


def test_minus_99_codes_resolved(shapes):
    assert {"FRA", "NOR", "XKX"} <= set(shapes.index)
    assert "-99" not in shapes.index
    assert shapes.loc["CYN", "iso_parent"] == "CYP" and "not an ISO" in shapes.loc["CYN", "note"]
    assert shapes.loc["SOL", "iso_parent"] == "SOM"
    assert shapes.loc["FRA", "iso_parent"] is None


def test_small_countries_absent_at_110m(shapes):
    assert not {"SGP", "HKG", "MLT", "MUS"} & set(shapes.index)


def test_geojson_and_label_points(shapes):
    for iso3 in ("RUS", "FJI", "USA", "FRA", "COD"):
        geom = shape(json.loads(shapes.loc[iso3, "geojson"]))
        assert geom.is_valid or iso3 == "USA"  # USA's 1:110m outline self-intersects, as published
        parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
        for p in parts:  # no ring wraps the globe
            assert p.bounds[2] - p.bounds[0] <= 180
        assert geom.buffer(0).contains(
            Point(shapes.loc[iso3, "label_lon"], shapes.loc[iso3, "label_lat"])
        )
    assert -5 < shapes.loc["FRA", "label_lon"] < 10  # on the mainland, not French Guiana


def test_country_polygons_merge_non_iso_parts(raw_dir):
    polys = natural_earth.country_polygons(raw_dir)
    assert "CYN" not in polys and "SOL" not in polys
    assert polys["CYP"].contains(Point(33.32, 35.34))  # Kyrenia, in Northern Cyprus
    assert polys["SOM"].contains(Point(44.06, 9.56))  # Hargeisa, in Somaliland
    assert all(g.is_valid for g in polys.values())


def test_bad_features_rejected_and_antimeridian_fixed(fixtures_dir):
    r = natural_earth.load(fixtures_dir / "ind_bad")
    assert r.rows_in == 4 and r.rows_loaded == 2
    assert {x["reason"] for x in r.rejects} == {
        "geometry is empty or not a polygon",
        "no ISO3 code and name not recognised",
    }
    fji = shape(
        json.loads(r.tables["country_shapes"].set_index("country_iso3").loc["FJI", "geojson"])
    )
    assert fji.geom_type == "MultiPolygon"  # the 179..-179 ring was split at the antimeridian
    assert all(p.bounds[2] - p.bounds[0] < 2 for p in fji.geoms)


def test_not_a_feature_collection(fixtures_dir):
    with pytest.raises(SourceError, match="not a GeoJSON FeatureCollection"):
        natural_earth.load(fixtures_dir / "ind_broken")
