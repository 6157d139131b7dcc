"""eurostat_weee adapter: env_waselee reshaped long, flags kept, EL/UK mapped, aggregates kept apart."""

from __future__ import annotations

import pytest

from riskatlas.sources import eurostat_weee
from riskatlas.sources.base import SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return eurostat_weee.load(raw_dir)


@pytest.fixture(scope="module")
def weee(result):
    return result.tables["weee"].set_index(["geo", "waste", "operation", "unit", "year"])


def test_counts(result):
    w = result.tables["weee"]
    assert result.rows_in == 10_084 and result.rows_rejected == 0
    assert len(w) == 101_902  # every cell that is not ':'
    assert w["flag"].value_counts().to_dict() == {"d": 3136, "s": 986, "e": 208, "ds": 24, "de": 16}
    assert not w.duplicated(["geo", "waste", "operation", "unit", "year"]).any()
    assert set(w["year"]) == set(range(2005, 2019))


def test_known_values(weee):
    eu = weee.loc[("EU28", "TOTAL", "COL", "T", 2018)]
    assert (eu["value"], eu["flag"], eu["country_iso3"]) == (4_379_097, "s", None)
    assert weee.loc[("EU28", "TOTAL", "MKT", "T", 2018), "value"] == 10_268_726
    assert weee.loc[("EU28", "TOTAL", "RCY_REU", "T", 2018), "value"] == 4_025_636
    assert weee.loc[("DE", "TOTAL", "COL", "T", 2018), "value"] == 853_125
    assert weee.loc[("DE", "TOTAL", "COL", "KG_HAB", 2017), "value"] == pytest.approx(10.13)
    assert weee.loc[("EL", "TOTAL", "COL", "T", 2017), "country_iso3"] == "GRC"
    assert weee.loc[("UK", "TOTAL", "COL", "T", 2018), "country_iso3"] == "GBR"
    assert ("EU28", "TOTAL", "COL", "T", 2009) not in weee.index  # ':' in the file: no row
    assert weee.xs("EU27_2020", level="geo")["country_iso3"].isna().all()


def test_country_indicators_total_only(result):
    ind = result.tables["country_indicators"]
    assert ind["country_iso3"].notna().all()
    assert ind["source_ref"].str.startswith("TOTAL,").all()
    assert {
        "weee_COL_T",
        "weee_MKT_T",
        "weee_RCY_REU_T",
        "weee_TRT_NEU_T",
        "weee_COL_KG_HAB",
    } <= set(ind["indicator"])
    de = ind[(ind["country_iso3"] == "DEU") & (ind["indicator"] == "weee_COL_T")].set_index("year")
    assert de.loc[2018, "value"] == 853_125
    assert not ind.duplicated(["country_iso3", "indicator", "year"]).any()


def test_bad_rows(fixtures_dir):
    r = eurostat_weee.load(fixtures_dir / "ind_bad")
    assert r.rows_in == 8 and r.rows_loaded == 4
    assert sorted(x["reason"] for x in r.rejects) == [
        "1 year cells, expected 2",
        "cell for 2018 is not a value or ':' : '12x '",
        "geo code not recognised: 'ZZ'",
        "key is not waste,wst_oper,unit,geo",
    ]
    w = r.tables["weee"]
    assert len(w) == 6  # ':' and ': d' cells give no row
    el = w[w["geo"] == "EL"].iloc[0]
    assert (el["country_iso3"], el["year"], el["value"], el["flag"]) == ("GRC", 2017, 55_000, "d")
    assert set(r.tables["country_indicators"]["country_iso3"]) == {"GRC", "GBR"}


def test_wrong_header(fixtures_dir):
    with pytest.raises(SourceError, match="first column"):
        eurostat_weee.load(fixtures_dir / "ind_broken")
