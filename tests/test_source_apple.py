"""The Apple supplier-list adapter on the real compiled CSV and on small broken fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from riskatlas.brands import brand_id, company_key
from riskatlas.sources import apple
from riskatlas.sources.base import SourceError

# Rows per list year, as SOURCE.md counts them (no 2019 list).
ROWS_PER_YEAR = {
    2012: 802, 2013: 802, 2014: 759, 2015: 777, 2016: 768,
    2017: 777, 2018: 808, 2020: 610, 2021: 745, 2022: 710,
}  # fmt: skip


@pytest.fixture(scope="module")
def result(raw_dir):
    return apple.load(raw_dir)


@pytest.fixture(scope="module")
def records(result):
    return result.tables["records"].set_index("source_ref")


@pytest.fixture(scope="module")
def links(result):
    return result.tables["links"]


def _fixture_raw(tmp_path: Path, fixtures_dir: Path, name: str) -> Path:
    folder = tmp_path / apple.SOURCE.folder
    folder.mkdir()
    shutil.copy(fixtures_dir / name, folder / apple.LIST_FILE)
    return tmp_path


def test_every_row_is_a_link_or_a_reject(result, links):
    assert result.rows_in == 7558
    assert result.rows_rejected == 3
    assert result.rows_loaded == 7555 == len(links)
    reasons = sorted(r["reason"].split(" (")[0].split(":")[0] for r in result.rejects)
    assert reasons == [
        "duplicate after normalising name and address",
        "exact duplicate row",
        "exact duplicate row",
    ]
    assert set(result.file_hashes) == {apple.LIST_FILE}


def test_rows_per_year_match_source_md(result, links):
    rejected = pd.Series(
        [int(r["source_ref"].split()[3].rstrip(",")) for r in result.rejects]
    ).value_counts()
    got = links["year"].value_counts().add(rejected, fill_value=0).astype(int).to_dict()
    assert got == ROWS_PER_YEAR
    assert 2019 not in set(links["year"])


def test_links_are_documented_supplier_listings(links):
    assert (links["brand"] == "Apple").all()
    assert brand_id("Apple") == "apple"
    assert (links["relation"] == "lists_supplier").all()
    assert links["mineral"].isna().all()
    assert links["source_ref"].is_unique
    assert links["source_ref"].is_monotonic_increasing
    assert links["source_ref"].str.fullmatch(r"Apple Supplier List 20\d\d, row \d+").all()
    assert not links.duplicated(["record_ref", "year"]).any()


def test_known_supplier_year_link(links, records):
    link = links.set_index("source_ref").loc["Apple Supplier List 2022, row 1"]
    assert link["record_ref"] == "apple:3m:chn:guangdong"
    assert link["year"] == 2022 and link["name_as_reported"] == "3M"
    rec = records.loc["apple:3m:chn:guangdong"]
    assert rec["name"] == "3M" and rec["province"] == "Guangdong" and rec["address"] is None
    assert list(rec["years"]) == [2020, 2021, 2022]
    assert (rec["first_year"], rec["last_year"]) == (2020, 2022)


def test_one_record_per_supplier_location(records, links):
    assert len(records) == 4162
    assert records.index.is_unique and records.index.is_monotonic_increasing
    assert records.index.str.startswith("apple:").all()
    assert set(links["record_ref"]) == set(records.index)
    assert (records["tier"] == "factory").all()
    assert records["lat"].isna().all() and records["lon"].isna().all()
    assert records["geo_precision"].isna().all()
    assert records["minerals"].map(len).eq(0).all()
    assert records["rmi_id"].isna().all()
    assert records["country_iso3"].notna().all()
    assert set(records["country_iso3"]) >= {"CHN", "JPN", "USA", "TWN", "KOR", "CZE"}
    # a record's years are exactly the years its links were listed
    years = links.groupby("record_ref")["year"].apply(sorted)
    assert (records["years"].map(list) == years.reindex(records.index)).all()


def test_street_addresses_until_2018_regions_from_2020(records):
    street = records["address"].notna()
    region = records["province"].notna()
    assert not (street & region).any()
    assert (records.loc[street, "last_year"] <= 2018).all()
    assert (records.loc[region, "first_year"] >= 2020).all()
    # the 16 'NA' rows of 2020 stay, at country level
    bare = records[~street & ~region]
    assert len(bare) == 16 and all(list(y) == [2020] for y in bare["years"])


def test_supplier_names_are_grouped_across_spellings(raw_dir, records, links):
    raw = pd.read_csv(raw_dir / apple.SOURCE.folder / apple.LIST_FILE, dtype=str)
    assert raw["supplier_name"].nunique() == 954  # as SOURCE.md counts them, newlines included
    assert links["name_as_reported"].nunique() == 940  # newlines stripped
    suppliers = records.index.str.split(":").str[1]
    assert suppliers.nunique() == 476  # "Co., Ltd." == "Company Limited" == "Co Ltd"
    alps = {company_key(n) for n in links["name_as_reported"] if n.startswith("Alps Electric")}
    assert alps == {"alps electric"}
    # the latest list's spelling names a record
    # ... and "Rd" == "Road" in the address: one factory listed 2012-2018
    catcher = records.loc[
        records.index.str.startswith("apple:catcher-technology:chn:no-21-gucheng")
    ]
    assert len(catcher) == 1 and catcher["name"].iloc[0] == "Catcher Technology Company Limited"
    assert list(catcher["years"].iloc[0]) == [2012, 2013, 2014, 2015, 2016, 2017, 2018]
    assert catcher["address"].iloc[0].startswith("No 21 Gucheng Road ")  # 2018's spelling


def test_embedded_newlines_are_stripped(records, links):
    for col in ("name", "address", "province", "country_raw"):
        assert not records[col].dropna().str.contains(r"\s\s|\n|^\s|\s$").any(), col
    for col in ("name_as_reported", "address_as_reported"):
        assert not links[col].dropna().str.contains("\n").any(), col
    assert "Taiwan Semiconductor Manufacturing Company Limited" in set(records["name"])
    assert "\nJiangsu" not in set(records["province"]) and "Jiangsu" in set(records["province"])


def test_record_ids_are_stable(result, raw_dir):
    again = apple.load(raw_dir)
    pd.testing.assert_frame_equal(again.tables["records"], result.tables["records"])
    pd.testing.assert_frame_equal(again.tables["links"], result.tables["links"])
    assert apple.record_ref("alps electric", "JPN", "") == "apple:alps-electric:jpn"
    long = apple.record_ref("x", "CHN", "a-" * 50)
    assert len(long.split(":")[3]) <= apple.MAX_ADDRESS_SLUG + 9


def test_wrong_header_names_the_missing_columns(tmp_path, fixtures_dir):
    raw = _fixture_raw(tmp_path, fixtures_dir, "brands_apple_wrong_header.csv")
    with pytest.raises(SourceError, match="supplier_name, supplier_address"):
        apple.load(raw)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(SourceError, match=apple.LIST_FILE):
        apple.load(tmp_path)


def test_bad_rows_are_rejected_with_reasons(tmp_path, fixtures_dir):
    res = apple.load(_fixture_raw(tmp_path, fixtures_dir, "brands_apple_bad_rows.csv"))
    assert res.rows_in == 9 and res.rows_rejected == 5 and res.rows_loaded == 4
    reasons = {r["source_ref"]: r["reason"] for r in res.rejects}
    assert reasons["Apple Supplier List 2020, row 3"] == "missing supplier name"
    assert reasons["Apple Supplier List, row 4"].startswith("year is not a number")
    assert reasons["Apple Supplier List 2018, row 6"] == "exact duplicate row (same as row 5)"
    assert reasons["Apple Supplier List 2018, row 7"].startswith("duplicate after normalising")
    assert reasons["Apple Supplier List 2020, row 9"].startswith("no location")
    recs = res.tables["records"].set_index("source_ref")
    assert list(recs.loc["apple:3m:chn:guangdong", "years"]) == [2021, 2022]
    assert recs.loc["apple:micron-technology:sgp", "province"] is None
    assert len(res.tables["links"]) == 4
