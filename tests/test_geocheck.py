"""geocheck: a site's point against its stated country; True outside, False inside, None unknown."""

from __future__ import annotations

import numpy as np
import pytest

from riskatlas.geo.check import checkable_countries, outside_country


def check(raw_dir, *points):
    lat, lon, iso = zip(*points, strict=True)
    return list(outside_country(lat, lon, iso, raw_dir=raw_dir))


def test_inside_and_outside(raw_dir):
    assert check(
        raw_dir,
        (48.86, 2.35, "FRA"),  # Paris
        (48.86, 2.35, "DEU"),  # Paris, stated as Germany
        (-4.32, 15.31, "COD"),  # Kinshasa
        (15.31, -4.32, "COD"),  # Kinshasa with lat and lon swapped: in Mali
        (35.34, 33.32, "CYP"),  # Kyrenia, Northern Cyprus: ISO counts it as Cyprus
        (42.66, 21.16, "XKX"),  # Pristina
    ) == [False, True, False, True, False, False]


def test_tolerance_for_coarse_borders(raw_dir):
    # Turow mine, Poland, lies 0.21 degrees inside Czechia on the 1:110m outlines.
    assert check(raw_dir, (50.92, 14.91, "POL")) == [False]
    assert list(outside_country([50.92], [14.91], ["POL"], raw_dir=raw_dir, tolerance=0)) == [True]


def test_not_checkable(raw_dir):
    assert check(
        raw_dir,
        (1.29, 103.85, "SGP"),  # Singapore: no shape at 1:110m
        (22.32, 114.17, "HKG"),
        (35.90, 14.51, "MLT"),
        (-2.58, 106.40, "IDN"),  # Bangka Island, not drawn at 1:110m: at sea, close to home
        (float("nan"), 10.0, "FRA"),
        (10.0, 10.0, None),
    ) == [None, None, None, None, None, None]
    assert {"SGP", "HKG", "MLT"}.isdisjoint(checkable_countries(raw_dir))


def test_far_at_sea_is_outside(raw_dir):
    assert check(raw_dir, (0.0, -30.0, "BRA")) == [True]  # mid-Atlantic, ~5 degrees off Brazil


def test_vectorised_and_fast(raw_dir):
    rng = np.random.default_rng(1)
    n = 40_000
    lat = rng.uniform(-50, 60, n)
    lon = rng.uniform(-120, 140, n)
    iso = rng.choice(["FRA", "COD", "CHN", "USA", "SGP", "BRA", "IDN"], n).tolist()
    outside_country(lat[:10], lon[:10], iso[:10], raw_dir=raw_dir)  # shapes loaded once
    out = outside_country(lat, lon, iso, raw_dir=raw_dir)
    assert len(out) == n
    assert set(out.tolist()) == {True, False, None}
    assert all(v is None for v, c in zip(out, iso, strict=True) if c == "SGP")


def test_length_mismatch(raw_dir):
    with pytest.raises(ValueError):
        outside_country([1.0], [1.0, 2.0], ["FRA"], raw_dir=raw_dir)
