"""The ICMM adapter on the original workbook (checked against the CSV export) and on broken workbooks."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from riskatlas.minerals import VOCABULARY
from riskatlas.sources import icmm
from riskatlas.sources.base import RECORD_COLUMNS, SourceError

CSV_EXPORT = "icmm_global_mining_dataset_2025_09.csv"
HEADER = [
    "ICMMID", "Confidence Factor", "Mine Name ", "Group Names", "Latitude", "Longitude",
    "Asset Type", "Country", "Primary Commodity", "Secondary Commodity", "Other Commodities",
]  # fmt: skip


@pytest.fixture(scope="module")
def result(raw_dir):
    return icmm.load(raw_dir)


@pytest.fixture(scope="module")
def records(result):
    return result.tables["records"].set_index("source_ref", drop=False)


@pytest.fixture(scope="module")
def oracle(raw_dir):
    path = raw_dir / icmm.SOURCE.folder / CSV_EXPORT
    return pd.read_csv(path, dtype={"icmm_id": str}, keep_default_na=False).set_index("icmm_id")


def test_every_row_is_read_and_loaded(result):
    assert result.rows_in == 8508
    assert result.rows_rejected == 0
    assert result.rows_loaded == 8508
    assert set(result.file_hashes) == {icmm.WORKBOOK}
    assert result.file_hashes[icmm.WORKBOOK].startswith("c116c28a175bdf78")


def test_records_follow_the_contract(records):
    assert list(records.columns[: len(RECORD_COLUMNS)]) == RECORD_COLUMNS
    assert len(records) == 8508
    assert records.index.is_unique and records.index.is_monotonic_increasing
    assert set(records["tier"]) == {"mine", "smelter_refiner"}
    assert records["country_iso3"].notna().all()
    assert records["country_iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert records["country_iso3"].nunique() == 129
    assert (records["country_iso3"] == "COD").sum() == 43


def test_workbook_parse_matches_the_csv_export(records, oracle):
    assert set(records.index) == set(oracle.index)
    joined = records.join(oracle[["site_name", "lat", "lon"]], rsuffix="_csv")
    assert (joined["name"] == joined["site_name"]).all()
    has_csv_lat = joined["lat_csv"] != ""
    assert (~has_csv_lat).sum() == 1  # ICMM07721, whose latitude the CSV export lost
    both = joined[has_csv_lat]
    assert (both["lat"] - both["lat_csv"].astype(float)).abs().max() < 1e-9
    assert (both["lon"] - both["lon_csv"].astype(float)).abs().max() < 1e-9


def test_latitude_typed_as_text_is_recovered(records, oracle):
    """ICMM07721's latitude is the text '−23.8901' (Unicode minus) in the workbook, not missing."""
    assert oracle.loc["ICMM07721", "lat"] == ""
    r = records.loc["ICMM07721"]
    assert r["name"] == "Murchison"
    assert r["lat"] == pytest.approx(-23.8901)
    assert r["lon"] == pytest.approx(30.6952)
    assert r["geo_precision"] == "exact"
    assert r["country_iso3"] == "ZAF"
    assert "typed as text" in r["geo_note"]
    assert records["lat"].notna().all() and (records["geo_precision"] == "exact").all()


def test_smelters_and_refineries(records):
    smelters = records[records["tier"] == "smelter_refiner"]
    assert len(smelters) == 516
    assert smelters["asset_type"].str.contains("Smelter|Refinery").all()
    assert (
        not records.loc[records["tier"] == "mine", "asset_type"]
        .str.contains("Smelter|Refinery")
        .any()
    )
    hoboken = records.loc["ICMM05682"]
    assert (hoboken["name"], hoboken["tier"], hoboken["country_iso3"]) == (
        "Hoboken", "smelter_refiner", "BEL",
    )  # fmt: skip
    assert hoboken["asset_type"] == "Smelter;Refinery"
    assert hoboken["minerals"][:2] == ["lead", "silver"]
    assert {"gold", "platinum", "palladium", "rhodium", "copper"} <= set(hoboken["minerals"])
    kamoa = records.loc["ICMM13575"]
    assert (kamoa["tier"], kamoa["country_iso3"], kamoa["minerals"]) == (
        "smelter_refiner", "COD", ["copper"],
    )  # fmt: skip


def test_a_drc_mine(records):
    r = records.loc["ICMM07541"]
    assert r["name"] == "Tenke Fungurume"
    assert r["tier"] == "mine"
    assert r["country_iso3"] == "COD" and r["country_raw"] == "Democratic Republic of the Congo"
    assert r["lat"] == pytest.approx(-10.57458048) and r["lon"] == pytest.approx(26.18760214)
    assert r["minerals"] == ["copper", "cobalt", "diamond"]
    assert r["confidence"] == "High"
    assert r["commodities_raw"] == "copper; cobalt; diamond"
    assert "cluster of 4 source sites" in r["geo_note"]


def test_minerals_are_vocabulary_and_typos_are_read(records):
    for minerals in records["minerals"]:
        assert set(minerals) <= set(VOCABULARY)
    assert "copper" in records.loc["ICMM08557", "minerals"]  # published as "bopper"
    assert "chromium" in records.loc["ICMM08855", "minerals"]  # published as "chormite"
    raw = records["commodities_raw"].fillna("")
    for typo, mineral in (("bopper", "copper"), ("chormite", "chromium")):
        rows = records[raw.str.contains(typo)]
        assert len(rows) >= 1
        assert all(mineral in m for m in rows["minerals"])
    counts = pd.Series([m for ms in records["minerals"] for m in ms]).value_counts()
    assert counts["gold"] >= 1535 and counts["cobalt"] >= 193 and counts["tin"] >= 343


# --- broken workbooks -------------------------------------------------------------------------


def _workbook(tmp_path: Path, rows, header=HEADER, sheet=icmm.SHEET) -> Path:
    """A raw directory holding a small workbook under the publisher's file name."""
    folder = tmp_path / icmm.SOURCE.folder
    folder.mkdir(exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(folder / icmm.WORKBOOK)
    return tmp_path


GOOD = [
    "ICMM90001",
    "High",
    "Fixture Mine",
    None,
    -10.5,
    26.1,
    "Mine",
    "DRC",
    "bopper",
    "cobalt",
    None,
]


def test_bad_rows_are_rejected_with_reasons_and_blank_latitude_is_kept(tmp_path):
    raw = _workbook(
        tmp_path,
        [
            GOOD,
            ["ICMM90002", "High", "Far Away", None, 123.4, 10.0, "Smelter", "Chile", "copper", None, None],
            ["ICMM90003", "Moderate", "No Latitude", None, None, 30.7, "Mine;Plant", "South Africa", "gold", None, None],
            ["ICMM90004", "High", "Text Latitude", None, "\u221223.5", "30.1", "Refinery", "Zambia", "copper", None, "chormite;coal"],
            ["ICMM90001", "High", "Duplicate", None, 1.0, 1.0, "Mine", "Peru", "gold", None, None],
            [None, "High", "No Id", None, 1.0, 1.0, "Mine", "Peru", "gold", None, None],
            ["ICMM90005", "High", "Words", None, "north", 1.0, "Mine", "Peru", "gold", None, None],
            [None] * 11,  # a blank spreadsheet row is not data
        ],
    )  # fmt: skip
    res = icmm.load(raw)
    assert res.rows_in == 7
    reasons = {r["source_ref"]: r["reason"] for r in res.rejects}
    assert reasons["ICMM90002"].startswith("coordinate out of range")
    assert reasons["ICMM90001"] == "duplicate ICMMID"
    assert reasons["?"] == "no ICMMID"
    assert reasons["ICMM90005"].startswith("coordinate is not a number")
    assert res.rows_rejected == 4 and res.rows_loaded == 3
    rec = res.tables["records"].set_index("source_ref")
    assert list(rec.index) == ["ICMM90001", "ICMM90003", "ICMM90004"]
    assert rec.loc["ICMM90001", "minerals"] == ["copper", "cobalt"]
    assert rec.loc["ICMM90001", "country_iso3"] == "COD"
    unlocated = rec.loc["ICMM90003"]
    assert pd.isna(unlocated["lat"]) and pd.isna(unlocated["lon"])
    assert unlocated["geo_precision"] is None
    assert "no latitude" in unlocated["geo_note"]
    typed = rec.loc["ICMM90004"]
    assert (typed["lat"], typed["lon"], typed["tier"]) == (-23.5, 30.1, "smelter_refiner")
    assert typed["minerals"] == ["copper", "chromium"]


def test_wrong_header_names_the_file_and_the_missing_columns(tmp_path):
    header = [h if h != "Latitude" else "Lat" for h in HEADER]
    raw = _workbook(tmp_path, [GOOD], header=header)
    with pytest.raises(SourceError) as e:
        icmm.load(raw)
    assert icmm.WORKBOOK in str(e.value) and "'Latitude'" in str(e.value)


def test_missing_sheet_is_a_source_error(tmp_path):
    raw = _workbook(tmp_path, [GOOD], sheet="Data")
    with pytest.raises(SourceError, match="no sheet 'External'"):
        icmm.load(raw)


def test_truncated_workbook_is_a_source_error(tmp_path):
    raw = _workbook(tmp_path, [GOOD])
    path = raw / icmm.SOURCE.folder / icmm.WORKBOOK
    path.write_bytes(path.read_bytes()[:1500])
    with pytest.raises(SourceError, match="cannot open .*xlsx"):
        icmm.load(raw)


def test_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match=icmm.WORKBOOK):
        icmm.load(tmp_path)


def test_source_metadata():
    assert icmm.SOURCE.source_id == "icmm"
    assert icmm.SOURCE.url.startswith("https://www.icmm.com/")
    assert set(icmm.SOURCE.fetch_urls) <= set(icmm.SOURCE.files)
