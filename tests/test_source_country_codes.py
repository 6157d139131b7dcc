"""country_codes adapter: the ISO 3166 reference table, read from the real mirror and fixtures."""

from __future__ import annotations

import pytest

from riskatlas.sources import country_codes
from riskatlas.sources.base import SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return country_codes.load(raw_dir)


def test_counts(result):
    t = result.tables["countries"]
    assert result.rows_in == 249
    assert result.rows_rejected == 0
    assert len(t) == 250  # 249 ISO entries + Kosovo (XKX)
    assert t["country_iso3"].is_unique
    assert list(t.columns[:5]) == ["country_iso3", "iso2", "name", "region", "subregion"]


def test_known_rows(result):
    t = result.tables["countries"].set_index("country_iso3")
    assert t.loc["NAM", "iso2"] == "NA"  # not read as a missing value
    assert t.loc["COD", "name"] == "DR Congo"
    assert (t.loc["COD", "region"], t.loc["COD", "subregion"]) == ("Africa", "Sub-Saharan Africa")
    assert t.loc["TWN", "region"] == "Asia"
    assert not t.loc["XKX", "in_iso3166"] and t.loc["FRA", "in_iso3166"]


def test_bad_rows_are_rejected(fixtures_dir):
    r = country_codes.load(fixtures_dir / "ind_bad")
    reasons = sorted(x["reason"] for x in r.rejects)
    assert r.rows_in == 4 and r.rows_loaded == 1
    assert reasons == [
        "3 fields, expected 56",
        "duplicate ISO3 code",
        "no valid ISO 3166-1 alpha-3 code",
    ]
    assert r.tables["countries"]["country_iso3"].tolist() == ["NAM", "XKX"]


def test_wrong_header_and_missing_file(fixtures_dir, tmp_path):
    with pytest.raises(SourceError, match="lacks the columns"):
        country_codes.load(fixtures_dir / "ind_broken")
    with pytest.raises(SourceError, match="missing source file"):
        country_codes.load(tmp_path)
