"""owid_ewaste adapter: the EU (recycled/collected) and UNITAR (recycled/generated) rates stay apart."""

from __future__ import annotations

import pytest

from riskatlas.sources import owid_ewaste
from riskatlas.sources.base import SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return owid_ewaste.load(raw_dir)


def test_counts(result):
    ind = result.tables["country_indicators"]
    regions = result.tables["ewaste_recycling_regions"]
    assert result.rows_in == 621 and result.rows_rejected == 0
    assert len(ind) + len(regions) == 621
    assert regions["entity"].nunique() == 16  # World, 6 UN, 7 UN SDG regions, LDCs, SIDS
    assert ind["country_iso3"].nunique() == 37


def test_two_definitions_never_share_an_indicator(result):
    ind = result.tables["country_indicators"]
    eu = set(ind.loc[ind["indicator"] == "ewaste_recycling_rate_eu", "country_iso3"])
    unitar = set(ind.loc[ind["indicator"] == "ewaste_recycling_rate_unitar", "country_iso3"])
    assert set(ind["indicator"]) == {"ewaste_recycling_rate_eu", "ewaste_recycling_rate_unitar"}
    assert not eu & unitar
    assert {"DEU", "FRA", "MLT", "ISL", "LIE", "NOR"} <= eu and len(eu) == 30
    assert unitar == {"CAN", "CHE", "COL", "CRI", "JPN", "KOR", "USA"}
    assert set(result.tables["ewaste_recycling_regions"]["definition"]) == {"unitar"}


def test_known_values(result):
    ind = result.tables["country_indicators"].set_index(["country_iso3", "year"])
    assert ind.loc[("MLT", 2011), "value"] == pytest.approx(122.8)
    assert ind.loc[("MLT", 2011), "flag"].startswith("over 100")
    assert ind.loc[("DEU", 2018), "flag"] is None
    regions = result.tables["ewaste_recycling_regions"].set_index(["entity", "year"])
    assert regions.loc[("World", 2022), "value"] == pytest.approx(22.3)
    assert regions.loc[("World", 2022), "code"] == "OWID_WRL"
    assert regions.loc[("Africa (UN)", 2022), "value"] == pytest.approx(0.71)


def test_bad_rows(fixtures_dir):
    r = owid_ewaste.load(fixtures_dir / "ind_bad")
    assert r.rows_in == 7 and r.rows_loaded == 4
    assert sorted(x["reason"] for x in r.rejects) == [
        "3 fields, expected 4",
        "code is not ISO3: 'XYZ'",
        "value is not a number: 'abc'",
    ]
    ind = r.tables["country_indicators"].set_index("country_iso3")
    assert ind.loc["MLT", "indicator"] == "ewaste_recycling_rate_eu"
    assert ind.loc["JPN", "indicator"] == "ewaste_recycling_rate_unitar"
    assert "DEU" not in ind.index  # blank value: not reported, no row


def test_wrong_header(fixtures_dir):
    with pytest.raises(SourceError, match="header is"):
        owid_ewaste.load(fixtures_dir / "ind_broken")
