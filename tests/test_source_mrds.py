"""The MinMod/MRDS adapter on the real extract and on small broken fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from riskatlas.minerals import VOCABULARY, normalise
from riskatlas.sources import mrds
from riskatlas.sources.base import RECORD_COLUMNS, SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return mrds.load(raw_dir)


@pytest.fixture(scope="module")
def records(result):
    return result.tables["records"].set_index("source_ref", drop=False)


@pytest.fixture(scope="module")
def raw_rows(raw_dir):
    path = raw_dir / mrds.SOURCE.folder / mrds.DATA_FILE
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _fixture_raw(tmp_path: Path, fixtures_dir: Path, name: str) -> Path:
    """A raw directory holding one fixture under the publisher's file name."""
    folder = tmp_path / mrds.SOURCE.folder
    folder.mkdir()
    shutil.copy(fixtures_dir / name, folder / mrds.DATA_FILE)
    return tmp_path


def test_every_row_is_read_and_merged_rows_are_loaded(result):
    assert result.rows_in == 21253
    assert result.rows_rejected == 7
    assert result.rows_loaded == 21246
    assert set(result.file_hashes) == {mrds.DATA_FILE}


def test_the_seven_impossible_coordinates_are_rejected(result):
    reasons = {r["source_ref"]: r["reason"] for r in result.rejects}
    assert all(r.startswith("coordinate out of range") for r in reasons.values())
    assert (
        "lat=96.16317, lon=23.63453" in reasons["site__doi-org-10-5382-econgeo-4950__tagaung-taung"]
    )
    utm = [r for r in result.rejects if "lat=5725750.0, lon=441000.0" in r["reason"]]
    assert len(utm) == 3 and all("Whabouchi" in r["raw"] for r in utm)
    assert (
        sum("Quebec Lithium" in r["raw"] or "Clayton Valley" in r["raw"] for r in result.rejects)
        == 2
    )


def test_one_record_per_site_uri(records, raw_rows):
    # 18,667 site URIs, less the 7 whose only row had an impossible coordinate
    assert len(records) == 18660
    assert records.index.is_unique and records.index.is_monotonic_increasing
    assert records["ms_uri"].is_unique
    assert set(records["ms_uri"]) <= set(raw_rows["ms_uri"])
    assert raw_rows["ms_uri"].nunique() - len(records) == 7
    assert records["n_rows"].sum() == 21246
    assert list(records.columns[: len(RECORD_COLUMNS)]) == RECORD_COLUMNS
    assert (records["tier"] == "mine").all()
    assert records["name"].notna().all()


def test_mrds_records_are_keyed_by_dep_id_with_their_page(records):
    is_mrds = records["source_db"] == mrds.MRDS_DB
    assert is_mrds.sum() == 13482
    assert (records.loc[is_mrds, "source_ref"] == records.loc[is_mrds, "record_id"]).all()
    assert records.loc[~is_mrds, "source_ref"].str.startswith("site__").all()
    assert records.loc[~is_mrds, "record_url"].isna().all()
    r = records.loc["10000027"]
    assert r["name"] == "Hetta Mountain Prospects"
    assert r["record_url"] == "https://mrdata.usgs.gov/mrds/show-mrds.php?dep_id=10000027"
    assert r["ms_uri"] == "https://minmod.isi.edu/resource/site__mrdata-usgs-gov-mrds__10000027"
    assert (r["country_iso3"], r["province"]) == ("USA", "Alaska")
    assert (r["lat"], r["lon"], r["geo_precision"]) == (55.19973, -132.56846, "exact")
    assert r["minerals"] == ["zinc", "cobalt", "copper", "molybdenum", "silver", "gold"]
    assert r["status_note"] == "MRDS occurrence/prospect; development status not given"
    assert r["deposit_type"] == "Felsic-siliciclastic VMS,Mafic-siliciclastic VMS"


def test_minerals_are_the_union_over_a_sites_rows(records, raw_rows):
    r = records.loc["10002734"]  # listed under cobalt, nickel and rare_earths
    assert r["n_rows"] == 3
    assert r["query_commodities"] == "cobalt, nickel, rare_earths"
    assert {"cobalt", "nickel", "rare_earths"} <= set(r["minerals"])
    for minerals, queries in zip(records["minerals"], records["query_commodities"], strict=True):
        assert set(minerals) <= set(VOCABULARY)
        for q in queries.split(", "):
            assert normalise(q)[0] in minerals


def test_sites_without_coordinates_keep_their_province(records):
    unlocated = records[records["lat"].isna()]
    assert len(unlocated) == 1368
    assert unlocated["lon"].isna().all() and unlocated["geo_precision"].isna().all()
    assert unlocated["geo_note"].str.contains("no coordinates in the source").all()
    # the build places 232 at province level and 1,118 at country level; 18 name neither
    assert unlocated["province"].notna().sum() == 232
    assert (unlocated["province"].isna() & unlocated["country_iso3"].notna()).sum() == 1118
    located = records[records["lat"].notna()]
    assert (located["geo_precision"] == "exact").all()
    assert located["lat"].between(-90, 90).all() and located["lon"].between(-180, 180).all()


def test_nad27_rows_keep_coordinates_with_the_datum_noted(records):
    nad27 = records[records["crs"] == mrds.NAD27]
    assert len(nad27) == 927
    assert nad27["geo_note"].str.contains("NAD27").all()
    assert (nad27["geo_precision"] == "exact").all()


def test_alaska_longitudes_printed_without_minus_are_negated(records):
    alaska = records[records["source_db"] == mrds.UNSIGNED_WEST_DB]
    assert len(alaska) == 927 and (alaska["province"] == "Alaska").all()
    assert alaska["lon"].between(-171, -129).all() and alaska["lat"].between(54, 70).all()
    assert alaska["geo_note"].str.contains("without its minus sign").all()
    independence = alaska[alaska["name"] == "Independence"].iloc[0]  # 61.79 N, 149.28 W
    assert (independence["lat"], independence["lon"]) == (61.7915, -149.2962)
    doubtful = records[(records["country_iso3"] == "USA") & (records["lon"] > 0)]
    assert len(doubtful) == 4  # NI 43-101 extractions: flagged, not changed
    assert doubtful["geo_note"].str.contains("probably a dropped minus sign").all()


def test_names_are_cleaned_of_list_literals(records):
    assert not records["name"].str.contains(r"\['").any()
    r = records.loc["site__mrdata-usgs-gov-deposit__ak00001"]
    assert r["name"] == "Port Clarence District"
    assert r["site_name_raw"] == "['Port Clarence District'],Port Clarence District"
    assert "2 different coordinates" in r["geo_note"]
    fortyseven = records.loc["10002506"]
    assert (fortyseven["name"], fortyseven["alt_names"]) == (
        "Fortyseven Creek",
        "Fortyseven Creek Lode",
    )
    unnamed = records[records["site_name_raw"].isna()]
    assert len(unnamed) > 0 and unnamed["name"].str.startswith("Unnamed site (").all()


# --- fixtures ---------------------------------------------------------------------------------


def test_bad_rows_fixture(tmp_path, fixtures_dir):
    res = mrds.load(_fixture_raw(tmp_path, fixtures_dir, "mines_mrds_bad_rows.csv"))
    assert res.rows_in == 6
    reasons = {r["source_ref"]: r["reason"] for r in res.rejects}
    assert reasons == {
        "site__api-cdr-land-v1-docs-documents__def456": (
            "coordinate out of range (lat=5365763.0, lon=291964.0)"
        ),
        "row 6": "no ms_uri (MinMod site id)",
    }
    assert res.rows_loaded == 4
    rec = res.tables["records"].set_index("source_ref")
    assert list(rec.index) == [
        "99990001",
        "site__api-cdr-land-v1-docs-documents__abc123",
        "site__doi-org-10-5066-p96mmrfd__an999",
    ]
    merged = rec.loc["99990001"]
    assert merged["n_rows"] == 2 and merged["minerals"] == ["cobalt", "copper", "nickel"]
    assert merged["record_url"].endswith("dep_id=99990001")
    nocoord = rec.loc["site__api-cdr-land-v1-docs-documents__abc123"]
    assert pd.isna(nocoord["lat"]) and nocoord["geo_precision"] is None
    assert (nocoord["province"], nocoord["country_iso3"]) == ("Quebec", "CAN")
    assert nocoord["status_note"] == mrds.OTHER_STATUS_NOTE
    camp = rec.loc["site__doi-org-10-5066-p96mmrfd__an999"]
    assert camp["name"] == "Old Camp"
    assert camp["alt_names"] == "Old Camp Mine; Old Camp, Old Camp deposit"
    assert (camp["lat"], camp["lon"]) == (61.7915, -149.2962)
    assert "NAD27" in camp["geo_note"] and "minus sign" in camp["geo_note"]
    assert camp["minerals"] == [
        "tungsten",
        "platinum",
        "palladium",
        "rhodium",
        "iridium",
        "ruthenium",
    ]


def test_truncated_row_is_rejected(tmp_path, fixtures_dir):
    res = mrds.load(_fixture_raw(tmp_path, fixtures_dir, "mines_mrds_truncated.csv"))
    assert res.rows_in == 2 and res.rows_rejected == 1
    assert res.rejects[0]["reason"] == "row has 6 fields, header has 14"
    assert list(res.tables["records"]["source_ref"]) == ["99990001"]


def test_file_cut_inside_a_quoted_field_is_a_source_error(tmp_path, fixtures_dir):
    raw = _fixture_raw(tmp_path, fixtures_dir, "mines_mrds_truncated.csv")
    path = raw / mrds.SOURCE.folder / mrds.DATA_FILE
    text = path.read_text()
    path.write_text(text[: text.index('"Cobalt,') + 5])
    with pytest.raises(SourceError, match=f"cannot parse .*{mrds.DATA_FILE}"):
        mrds.load(raw)


def test_wrong_header_names_the_file_and_the_missing_columns(tmp_path, fixtures_dir):
    raw = _fixture_raw(tmp_path, fixtures_dir, "mines_mrds_wrong_header.csv")
    with pytest.raises(SourceError) as e:
        mrds.load(raw)
    assert mrds.DATA_FILE in str(e.value) and "['lat', 'lon']" in str(e.value)


def test_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match=mrds.DATA_FILE):
        mrds.load(tmp_path)


def test_source_metadata():
    assert mrds.SOURCE.source_id == "minmod_mrds"
    assert mrds.SOURCE.url == "https://mrdata.usgs.gov/mrds/"
    assert "minmod.isi.edu" in mrds.SOURCE.publisher
    assert "candidate" in mrds.SOURCE.notes
