"""The Form SD brand smelter-list adapter on the real CSV, on fixtures, and brand ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from riskatlas.brands import KNOWN_BRANDS, brand_id, brands_frame, display_name
from riskatlas.sources import form_sd
from riskatlas.sources.base import SourceError

ROWS_PER_BRAND = {
    "Rockwell Automation, Inc.": 701,
    "Garrett Motion Inc.": 333,
    "Honda Motor Co., Ltd.": 226,
    "Skyworks Solutions, Inc.": 194,
}


@pytest.fixture(scope="module")
def result(raw_dir):
    return form_sd.load(raw_dir)


@pytest.fixture(scope="module")
def records(result):
    return result.tables["records"].set_index("source_ref")


@pytest.fixture(scope="module")
def links(result):
    return result.tables["links"].set_index("source_ref", drop=False)


def _fixture_raw(tmp_path: Path, fixtures_dir: Path, name: str) -> Path:
    folder = tmp_path / form_sd.SOURCE.folder
    folder.mkdir()
    shutil.copy(fixtures_dir / name, folder / form_sd.LINKS_FILE)
    return tmp_path


def test_rows_in_and_the_two_duplicates(result, links):
    assert result.rows_in == 1454
    assert result.rows_rejected == 2 and result.rows_loaded == 1452 == len(links)
    reasons = sorted((r["source_ref"], r["reason"]) for r in result.rejects)
    assert reasons == [
        ("honda.html, row 189", "duplicate (brand, metal, smelter_id) of honda.html, row 153"),
        (
            "rockwellautomation.html, row 51",
            "duplicate (brand, metal, smelter_id) of rockwellautomation.html, row 141",
        ),
    ]
    assert set(result.file_hashes) == {form_sd.LINKS_FILE}


def test_rows_per_brand(result, links):
    got = links["brand_as_reported"].value_counts()
    for r in result.rejects:
        brand = r["raw"].split(";")[0].removeprefix("brand=")
        got[brand] += 1
    assert got.to_dict() == ROWS_PER_BRAND


def test_brand_ids_are_stable_slugs(links):
    ids = {brand_id(b) for b in links["brand"]}
    assert ids == {"rockwell-automation", "garrett-motion", "honda-motor", "skyworks-solutions"}
    assert {display_name(b) for b in links["brand"]} <= set(KNOWN_BRANDS)
    assert display_name("Samsung Electronics Co., Ltd.") == "Samsung Electronics"
    assert brand_id("Samsung Electronics") == "samsung-electronics"
    assert brand_id("Apple Inc.") == brand_id("APPLE") == "apple"
    assert brand_id("Honda Motor Co., Ltd.") == "honda-motor"
    frame = brands_frame(["Apple", "Apple Inc.", "Garrett Motion Inc.", ""])
    assert frame.to_dict("records") == [
        {"brand_id": "apple", "name": "Apple"},
        {"brand_id": "garrett-motion", "name": "Garrett Motion"},
    ]


def test_one_record_per_smelter_id(records, links):
    assert len(records) == 706
    assert records.index.is_unique and records.index.is_monotonic_increasing
    assert set(links["record_ref"]) == set(records.index)
    assert (records["tier"] == "smelter_refiner").all()
    assert records["lat"].isna().all() and records["geo_precision"].isna().all()
    assert records["minerals"].map(len).eq(1).all()


def test_non_rmi_ids_are_kept_and_flagged(records):
    odd = records[records["non_rmi_id"]]
    assert len(odd) == 9 and "CIDSN2285" in odd.index
    assert odd["rmi_id"].isna().all() and odd["country_iso3"].isna().all()
    rmi = records[~records["non_rmi_id"]]
    assert (rmi["rmi_id"] == rmi.index).all()
    assert rmi.index.str.fullmatch(r"CID\d{6}").all()


def test_known_links(links, records):
    row = links.loc["skyworkssolutions.html, row 1"]
    assert row["record_ref"] == "CID001076" and row["mineral"] == "tantalum"
    assert row["name_as_reported"] == "AMG Brasil" and row["country_as_reported"] == "BRAZIL"
    assert row["year"] == 2025 and row["relation"] == "lists_smelter"
    assert records.loc["CID001076", "country_iso3"] == "BRA"
    # the kept Rockwell row of the duplicated pair has the name and the '*' mark
    kept = links.loc["rockwellautomation.html, row 141"]
    assert kept["name_as_reported"] == "Jiangxi Yaosheng Tungsten Co., Ltd."
    assert kept["status_as_reported"] == "*" and kept["rmap_status"] == "Conformant"
    assert records.loc["CID002316", "name"] == "Jiangxi Yaosheng Tungsten Co., Ltd."


def test_status_as_printed_and_normalised(links):
    assert (links["status_as_reported"] == "*").sum() == 223
    assert (links["rmap_status"] == "Conformant").sum() == 223 + 207
    by_brand = links.groupby("brand")["status_as_reported"].count().to_dict()
    assert by_brand.get("Honda Motor Co., Ltd.", 0) == 0
    assert by_brand.get("Skyworks Solutions, Inc.", 0) == 0
    assert by_brand["Garrett Motion Inc."] == 333
    assert links["source_ref"].is_unique


def test_wrong_header_names_the_missing_columns(tmp_path, fixtures_dir):
    raw = _fixture_raw(tmp_path, fixtures_dir, "brands_form_sd_wrong_header.csv")
    with pytest.raises(SourceError, match="reporting_year, smelter_id"):
        form_sd.load(raw)


def test_bad_rows_are_rejected_with_reasons(tmp_path, fixtures_dir):
    res = form_sd.load(_fixture_raw(tmp_path, fixtures_dir, "brands_form_sd_bad_rows.csv"))
    assert res.rows_in == 8 and res.rows_rejected == 4 and res.rows_loaded == 4
    reasons = {r["source_ref"]: r["reason"] for r in res.rejects}
    assert reasons == {
        "skyworkssolutions.html, row 2": "missing smelter_id",
        "rockwellautomation.html, row 2": "unknown metal: 'Cobalt-ish'",
        "rockwellautomation.html, row 3": (
            "duplicate (brand, metal, smelter_id) of rockwellautomation.html, row 4"
        ),
        "garrettmotion.htm, row 2": "reporting_year is not a year: 'twenty'",
    }
    recs = res.tables["records"].set_index("source_ref")
    assert sorted(recs.index) == ["CID001076", "CID002316", "CIDSN2285"]
    assert recs.loc["CIDSN2285", "rmi_id"] is None and recs.loc["CIDSN2285", "non_rmi_id"]
    assert recs.loc["CID001076", "country_iso3"] == "BRA"
    assert len(res.tables["links"]) == 4
