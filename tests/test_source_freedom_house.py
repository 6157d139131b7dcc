"""freedom_house adapter: the original FIW workbook, checked against the CSV saved from it."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from riskatlas.countries import to_iso3
from riskatlas.sources import freedom_house
from riskatlas.sources.base import SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return freedom_house.load(raw_dir)


@pytest.fixture(scope="module")
def values(result):
    ind = result.tables["country_indicators"]
    return {(r.country_iso3, r.indicator, r.year): r.value for r in ind.itertuples()}


def test_counts(result):
    ind = result.tables["country_indicators"]
    assert result.rows_in == 2515
    assert result.rows_rejected == 147
    assert len(ind) == 5 * result.rows_loaded
    assert not ind.duplicated(["country_iso3", "indicator", "year"]).any()
    assert set(ind["year"]) == set(range(2013, 2025))
    assert set(ind["indicator"]) == {"fh_E3", "fh_G4", "fh_PR", "fh_CL", "fh_total"}


def test_matches_csv_oracle(values, raw_dir):
    csv = pd.read_csv(raw_dir / "freedom_house_fiw_2013_2024" / "fiw_2013_2024.csv")
    checked = 0
    for row in csv[csv["C/T"] == "c"].to_dict("records"):
        iso3 = to_iso3(row["Country/Territory"])
        for col, ind in freedom_house.INDICATORS.items():
            assert values[(iso3, ind, row["Edition"])] == row[col]
            checked += 1
    assert checked == 2340 * 5


def test_known_values(values, result):
    assert values[("COD", "fh_E3", 2024)] == 1
    assert values[("COD", "fh_total", 2024)] == 19
    assert values[("HKG", "fh_E3", 2024)] >= 0  # territory with its own ISO3: kept
    reasons = {x["source_ref"]: x["reason"] for x in result.rejects}
    assert reasons["Tibet 2024"].startswith("territory has no ISO3 code")
    assert reasons["Indian Kashmir 2024"] == "territory within IND: the country's own score is used"
    assert "no single score" in reasons["West Bank 2024"]
    flags = result.tables["country_indicators"].set_index(["country_iso3", "year", "indicator"])
    assert flags.loc[("HKG", 2024, "fh_E3"), "flag"] == "territory"


def test_bad_rows_rejected(fixtures_dir):
    r = freedom_house.load(fixtures_dir / "ind_bad")
    assert r.rows_in == 8 and r.rows_loaded == 3
    assert sorted(x["reason"] for x in r.rejects) == [
        "E3 is not a number: 'N/A'",
        "Gaza Strip and West Bank all map to PSE: no single score",
        "Gaza Strip and West Bank all map to PSE: no single score",
        "territory has no ISO3 code: 'Tibet'",
        "territory within IND: the country's own score is used",
    ]
    assert set(r.tables["country_indicators"]["country_iso3"]) == {"COD", "HKG", "IND"}


def test_wrong_sheet_and_truncated_workbook(fixtures_dir, tmp_path):
    with pytest.raises(SourceError, match="has no sheet"):
        freedom_house.load(fixtures_dir / "ind_broken")
    folder = tmp_path / "freedom_house_fiw_2013_2024"
    folder.mkdir()
    src = fixtures_dir / "ind_bad" / "freedom_house_fiw_2013_2024" / freedom_house.FILE
    shutil.copy(src, folder / freedom_house.FILE)
    data = (folder / freedom_house.FILE).read_bytes()
    (folder / freedom_house.FILE).write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError, match="cannot open"):
        freedom_house.load(tmp_path)
