"""wgi adapter: WGI estimates and percentile ranks; non-ISO World Bank codes mapped."""

from __future__ import annotations

import pytest

from riskatlas.sources import wgi
from riskatlas.sources.base import SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return wgi.load(raw_dir)


@pytest.fixture(scope="module")
def values(result):
    ind = result.tables["country_indicators"]
    return {(r.country_iso3, r.indicator, r.year): r.value for r in ind.itertuples()}


def test_counts(result):
    ind = result.tables["country_indicators"]
    assert result.rows_in == 32100
    # Netherlands Antilles (former) has estimates but no ISO3: its 60 rows are rejected.
    assert result.rows_rejected == 60
    assert {x["reason"] for x in result.rejects} == {"economy code has no ISO3 equivalent"}
    assert all(x["source_ref"].startswith("ANT") for x in result.rejects)
    # 1,126 rows are '..' (no data): no row. Every other row gives estimate + pctrank.
    assert len(ind) == 2 * (32100 - 1126 - 60)
    assert not ind.duplicated(["country_iso3", "indicator", "year"]).any()
    assert len(set(ind["indicator"])) == 12


def test_non_iso_codes_mapped(result, values):
    iso = set(result.tables["country_indicators"]["country_iso3"])
    assert not {"ZAR", "ROM", "ADO", "TMP", "KSV", "WBG", "ANT"} & iso
    assert {"COD", "ROU", "AND", "TLS", "XKX", "PSE"} <= iso
    assert values[("COD", "wgi_rl", 2023)] == pytest.approx(-1.67)
    assert values[("COD", "wgi_rl_pctrank", 2023)] == pytest.approx(4.7)
    assert values[("AFG", "wgi_cc", 1996)] == pytest.approx(-1.29)


def test_bad_rows(fixtures_dir):
    r = wgi.load(fixtures_dir / "ind_bad")
    assert r.rows_in == 5 and r.rows_loaded == 2  # ZAR row and the '..' row
    assert sorted(x["reason"] for x in r.rejects) == [
        "6 fields, expected 11",
        "economy code has no ISO3 equivalent",
        "estimate or pctrank is not a number",
    ]
    assert r.tables["country_indicators"]["country_iso3"].tolist() == ["COD", "COD"]


def test_wrong_header(fixtures_dir):
    with pytest.raises(SourceError, match="lacks the columns"):
        wgi.load(fixtures_dir / "ind_broken")
