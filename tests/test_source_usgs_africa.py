"""The USGS Africa deposits adapter on the real list and on small broken fixtures."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from riskatlas.minerals import VOCABULARY
from riskatlas.sources import usgs_africa
from riskatlas.sources.base import RECORD_COLUMNS, SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return usgs_africa.load(raw_dir)


@pytest.fixture(scope="module")
def records(result):
    return result.tables["records"].set_index("source_ref", drop=False)


def _fixture_raw(tmp_path: Path, fixtures_dir: Path, name: str) -> Path:
    """A raw directory holding one fixture under the publisher's file name."""
    folder = tmp_path / usgs_africa.SOURCE.folder
    folder.mkdir()
    shutil.copy(fixtures_dir / name, folder / usgs_africa.DATA_FILE)
    return tmp_path


def test_every_row_is_read_and_loaded(result):
    assert result.rows_in == 997
    assert result.rows_rejected == 0
    assert result.rows_loaded == 997
    assert set(result.file_hashes) == {usgs_africa.DATA_FILE}


def test_one_exact_record_per_gid(records):
    assert len(records) == 997
    assert records.index.is_unique and records.index.is_monotonic_increasing
    assert list(records.columns[: len(RECORD_COLUMNS)]) == RECORD_COLUMNS
    assert (records["tier"] == "mine").all()
    assert (records["geo_precision"] == "exact").all()
    assert records["lat"].between(-35, 38).all() and records["lon"].between(-18, 52).all()
    assert (records["status_note"] == usgs_africa.STATUS_NOTE).all()


def test_countries_are_iso3(records):
    assert records["country_iso3"].notna().all()
    assert records["country_iso3"].nunique() == 45
    counts = records["country_iso3"].value_counts()
    assert (counts["ZAF"], counts["ZWE"], counts["COD"], counts["ZMB"]) == (271, 111, 36, 31)
    assert (
        records.loc[records["country_raw"] == "Congo (Kinshasa)", "country_iso3"] == "COD"
    ).all()
    assert (
        records.loc[records["country_raw"] == "Congo (Brazzaville)", "country_iso3"] == "COG"
    ).all()


def test_a_drc_copper_cobalt_mine(records):
    r = records.loc["2218"]
    assert (r["name"], r["country_iso3"], r["country_raw"]) == ("Kamoto", "COD", "Congo (Kinshasa)")
    assert (r["lat"], r["lon"]) == (-10.71667, 25.41667)
    assert r["minerals"] == ["copper", "cobalt"]
    assert (r["commodities_raw"], r["commodity_group"], r["dep_type"]) == (
        "Copper, Cobalt", "Copper", "Hydrothermal",
    )  # fmt: skip


def test_commodity_lists_are_read_including_brackets_and_typos(records):
    for minerals in records["minerals"]:
        assert set(minerals) <= set(VOCABULARY)
    # a stray ')' after Gold
    assert records.loc["2244", "minerals"] == [
        "tin",
        "tungsten",
        "niobium",
        "tantalum",
        "lithium",
        "gold",
    ]
    # "Gem (tourmaline, garnet, aquamarine, topaz)"
    assert records.loc["2581", "minerals"] == ["tourmaline", "lithium", "tantalum"]
    # "Cooper" and PGE
    assert records.loc["2190", "minerals"][:2] == ["nickel", "copper"]
    assert "platinum" in records.loc["2190", "minerals"]
    # the unnamed commodity group column: "Lead-Zinc"
    lead_zinc = records[records["commodity_group"] == "Lead-Zinc"]
    assert len(lead_zinc) == 68
    assert all({"lead", "zinc"} <= set(m) for m in lead_zinc["minerals"])
    # deposits of non-vocabulary commodities only (phosphate, asbestos...) keep an empty list
    empty = records[records["minerals"].map(len) == 0]
    assert len(empty) == 215 and (empty["commodities_raw"] == "Phosphate").sum() == 38


def test_adapter_is_fast(raw_dir):
    t0 = time.perf_counter()
    usgs_africa.load(raw_dir)
    assert time.perf_counter() - t0 < 2


def test_commodity_names():
    assert usgs_africa.commodity_names("Tin, Gold), Gem (tourmaline, garnet), Lead-Zinc") == [
        "Tin", "Gold", "tourmaline", "garnet", "Lead", "Zinc",
    ]  # fmt: skip
    assert usgs_africa.commodity_names("Columbium (Niobium), PGE") == ["Columbium (Niobium)", "PGE"]
    assert usgs_africa.commodity_names(None) == []


# --- fixtures ---------------------------------------------------------------------------------


def test_bad_rows_fixture(tmp_path, fixtures_dir):
    res = usgs_africa.load(_fixture_raw(tmp_path, fixtures_dir, "mines_usgs_africa_bad_rows.csv"))
    assert res.rows_in == 5
    reasons = sorted((r["source_ref"], r["reason"]) for r in res.rejects)
    assert reasons == [
        ("9001", "duplicate gid"),
        ("9002", "coordinate out of range (lat=-123.4, lon=28.0)"),
        ("9004", "row has 5 fields, header has 14"),
    ]
    assert res.rows_loaded == 2
    rec = res.tables["records"].set_index("source_ref")
    assert list(rec.index) == ["9001", "9003"]
    assert rec.loc["9001", "name"] == "Fixture Deposit" and rec.loc["9001", "country_iso3"] == "COD"
    assert rec.loc["9003", "minerals"] == ["tourmaline", "gold", "copper", "lead", "zinc"]
    assert pd.notna(rec.loc["9003", "lat"])


def test_wrong_header_names_the_file_and_the_missing_columns(tmp_path, fixtures_dir):
    raw = _fixture_raw(tmp_path, fixtures_dir, "mines_usgs_africa_wrong_header.csv")
    with pytest.raises(SourceError) as e:
        usgs_africa.load(raw)
    assert usgs_africa.DATA_FILE in str(e.value)
    assert "['latitude', 'longitude']" in str(e.value)


def test_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match=usgs_africa.DATA_FILE):
        usgs_africa.load(tmp_path)


def test_source_metadata():
    assert usgs_africa.SOURCE.source_id == "usgs_africa"
    assert usgs_africa.SOURCE.url.startswith("https://mrdata.usgs.gov/")
    assert "unconfirmed" in usgs_africa.SOURCE.publisher
