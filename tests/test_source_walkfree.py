"""walkfree adapter: the byte copy of the GSI 2023 table, checked against the cleaned CSV."""

from __future__ import annotations

import pandas as pd
import pytest

from riskatlas.sources import walkfree
from riskatlas.sources.base import SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return walkfree.load(raw_dir)


@pytest.fixture(scope="module")
def values(result):
    ind = result.tables["country_indicators"]
    return {(r.country_iso3, r.indicator): r.value for r in ind.itertuples()}


def test_counts(result):
    assert result.rows_in == 180 and result.rows_rejected == 0
    ind = result.tables["country_indicators"]
    assert (ind["indicator"] == "gsi_prevalence_per_1000").sum() == 160
    assert set(ind["year"]) == {2023}
    assert "2021" in walkfree.SOURCE.data_date


def test_matches_cleaned_csv(values, raw_dir):
    oracle = pd.read_csv(
        raw_dir / "walkfree_global_slavery_index_2023" / "gsi_2023_prevalence.csv",
        keep_default_na=False,
    )
    for row in oracle.to_dict("records"):
        got = values.get((row["iso3"], "gsi_prevalence_per_1000"))
        if row["prevalence_per_1000"] == "":
            assert got is None  # 20 small states: no estimate, no row
        else:
            assert got == pytest.approx(float(row["prevalence_per_1000"]))
        n = values.get((row["iso3"], "gsi_estimated_number"))
        expected = row["estimated_number_in_modern_slavery"]
        assert n == (pytest.approx(float(expected)) if expected != "" else None)


def test_known_values(values):
    assert values[("COD", "gsi_prevalence_per_1000")] == 4.5
    assert values[("PRK", "gsi_prevalence_per_1000")] == 104.6
    assert values[("AFG", "gsi_estimated_number")] == 505_000
    assert ("ISL", "gsi_prevalence_per_1000") not in values
    assert ("XKX", "gsi_prevalence_per_1000") in values


def test_bad_rows_rejected(fixtures_dir):
    r = walkfree.load(fixtures_dir / "ind_bad")
    assert r.rows_in == 5 and r.rows_loaded == 2
    # the reason names the column (riskatlas.sources.base.number, the one number reader)
    assert sorted(x["reason"] for x in r.rejects) == [
        "Estimated prevalence of modern slavery per 1,000 population is 'abc', not a number",
        "country not recognised: 'Atlantis'",
        "wrong number of fields (expected 5)",
    ]
    got = {x.country_iso3 for x in r.tables["country_indicators"].itertuples()}
    assert got == {"AFG"}  # Antigua's blank cells give no rows


def test_wrong_header(fixtures_dir):
    with pytest.raises(SourceError, match="header is"):
        walkfree.load(fixtures_dir / "ind_broken")
