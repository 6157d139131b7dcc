"""what_a_waste adapter: e-waste and waste-treatment indicators; blank cells give no row."""

from __future__ import annotations

import pytest

from riskatlas.sources import what_a_waste
from riskatlas.sources.base import SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return what_a_waste.load(raw_dir)


@pytest.fixture(scope="module")
def values(result):
    ind = result.tables["country_indicators"]
    return {(r.country_iso3, r.indicator): r.value for r in ind.itertuples()}


def test_counts(result):
    ind = result.tables["country_indicators"]
    assert result.rows_in == 217
    assert [(x["source_ref"], x["reason"]) for x in result.rejects] == [
        ("CHI", "no ISO3 code for 'Channel Islands' (CHI)")
    ]
    counts = ind.groupby("indicator").size().to_dict()
    assert counts["waw_ewaste_tons"] == 182 == counts["waw_ewaste_kg_per_capita"]
    assert set(ind["year"]) == {2016}
    assert "2011" in what_a_waste.SOURCE.data_date and "2017" in what_a_waste.SOURCE.data_date
    assert not ind.duplicated(["country_iso3", "indicator"]).any()


def test_known_values(values):
    assert values[("CHN", "waw_ewaste_tons")] == 7_210_000
    assert values[("USA", "waw_ewaste_tons")] == 2_440_000
    assert values[("IND", "waw_ewaste_tons")] == 1_700_000
    assert values[("GHA", "waw_ewaste_tons")] == 39_000
    assert values[("NGA", "waw_ewaste_tons")] == 277_000
    assert values[("CHN", "waw_ewaste_kg_per_capita")] == pytest.approx(7.21e6 * 1000 / 1.37e9)
    assert values[("CHN", "waw_landfill_pct")] == pytest.approx(60.16)
    assert values[("USA", "waw_recycling_pct")] == pytest.approx(34.6)
    assert ("GHA", "waw_recycling_pct") not in values  # blank in the file: no row, not 0
    assert ("AND", "waw_ewaste_tons") not in values


def test_flags_say_what_is_computed(result):
    ind = result.tables["country_indicators"].set_index(["country_iso3", "indicator"])
    assert "population" in ind.loc[("CHN", "waw_ewaste_kg_per_capita"), "flag"]
    assert ind.loc[("CHN", "waw_ewaste_tons"), "flag"] is None


def test_bad_rows(fixtures_dir):
    r = what_a_waste.load(fixtures_dir / "ind_bad")
    assert r.rows_in == 6 and r.rows_loaded == 2
    assert sorted(x["reason"] for x in r.rejects) == [
        "3 fields, expected 51",
        "no ISO3 code for 'Channel Islands' (CHI)",
        "special_waste_e_waste_tons_year is 'lots', not a number",  # base.number's wording
        "waw_recycling_pct out of range: 150.0",
    ]
    got = {
        (x.country_iso3, x.indicator): x.value for x in r.tables["country_indicators"].itertuples()
    }
    assert got[("CHN", "waw_landfill_pct")] == pytest.approx(
        61.16
    )  # 60.16 unspecified + 1 sanitary
    assert not any(iso == "GHA" for iso, _ in got)  # Ghana: only population, no indicator


def test_missing_columns(fixtures_dir):
    with pytest.raises(SourceError, match="lacks the columns"):
        what_a_waste.load(fixtures_dir / "ind_broken")
