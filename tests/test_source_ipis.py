"""The IPIS adapter on the real visits file and on small broken fixtures."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from riskatlas.minerals import VOCABULARY
from riskatlas.sources import ipis
from riskatlas.sources.base import SourceError, valid_coordinate

LATEST_FILE = "ipis_drc_sites_latest_visit.csv"


@pytest.fixture(scope="module")
def result(raw_dir):
    return ipis.load(raw_dir)


@pytest.fixture(scope="module")
def records(result):
    return result.tables["records"].set_index("source_ref")


@pytest.fixture(scope="module")
def facts(result):
    return result.tables["site_facts"]


def _fixture_raw(tmp_path: Path, fixtures_dir: Path, name: str) -> Path:
    """A raw directory holding one fixture under the publisher's file name."""
    folder = tmp_path / ipis.SOURCE.folder
    folder.mkdir()
    shutil.copy(fixtures_dir / name, folder / ipis.VISITS_FILE)
    return tmp_path


def test_every_visit_is_read_and_loaded(result):
    assert result.rows_in == 6955
    assert result.rows_rejected == 0
    assert result.rows_loaded == 6955
    assert set(result.file_hashes) == {ipis.VISITS_FILE}


def test_one_record_per_pcode_matching_the_latest_visit_file(raw_dir, records):
    latest = pd.read_csv(raw_dir / ipis.SOURCE.folder / LATEST_FILE, dtype={"pcode": str})
    latest = latest.set_index("pcode")
    assert len(records) == 3409
    assert records.index.is_unique and records.index.is_monotonic_increasing
    assert set(records.index) == set(latest.index)
    joined = records.join(latest[["latitude", "longitude", "vid"]], how="inner")
    assert (joined["lat"] - joined["latitude"]).abs().max() < 1e-9
    assert (joined["lon"] - joined["longitude"]).abs().max() < 1e-9
    assert (joined["latest_vid"] == "vid=" + joined["vid"].astype(str)).all()
    assert (records["tier"] == "artisanal_mine").all()
    assert (records["country_iso3"] == "COD").all()


def test_geo_precision_follows_location_origin(records):
    assert set(records["geo_precision"]) == {"exact", "city"}
    approx = records[records["location_origin"] == "Approximation"]
    assert len(approx) > 0 and (approx["geo_precision"] == "city").all()
    assert (
        approx["geo_note"] == "IPIS: location approximated (location_origin=Approximation)"
    ).all()
    gps = records[records["location_origin"] == "GPS"]
    assert (gps["geo_precision"] == "exact").all() and gps["geo_note"].isna().all()


def test_known_site_child_labour_facts_are_dated(records, facts):
    # codmine00041 "Mopa": four visits; childunder15 empty in 2010 and 2013, 0 in 2015, 1 in 2022.
    mopa = records.loc["codmine00041"]
    assert mopa["name"] == "Mopa" and mopa["n_visits"] == 4
    assert mopa["minerals"] == ["gold"]
    child = facts[(facts.record_ref == "codmine00041") & (facts.fact == "child_labour_under15")]
    assert list(zip(child.observed_on, child.value, child.source_ref, strict=True)) == [
        (dt.date(2015, 8, 21), "no", "vid=2520"),
        (dt.date(2022, 6, 29), "yes", "vid=6163"),
    ]
    tasks = facts[(facts.source_ref == "vid=6163") & (facts.fact == "child_labour_tasks")]
    assert tasks["value"].tolist() == ["Concassage, Lavage, Traiter les déchets"]


def test_empty_answer_gives_no_fact(raw_dir, facts):
    visits = pd.read_csv(raw_dir / ipis.SOURCE.folder / ipis.VISITS_FILE, dtype=str)
    not_asked = "vid=" + visits.loc[visits["childunder15"].isna(), "vid"]
    asked = "vid=" + visits.loc[visits["childunder15"].notna(), "vid"]
    child = facts[facts.fact == "child_labour_under15"]
    assert len(not_asked) == 3783
    assert not child["source_ref"].isin(not_asked).any()
    assert set(child["source_ref"]) == set(asked)
    assert (child["value"] == "yes").sum() == 869 and (child["value"] == "no").sum() == 2303
    for fact in ("workers", "mercury", "armed_group_presence", "forced_labour"):
        assert facts.loc[facts.fact == fact, "value"].notna().all()


def test_latest_visit_counts(records, facts):
    latest = facts[facts["source_ref"].isin(records["latest_vid"])]
    yes = latest[latest["value"] == "yes"].groupby("fact")["record_ref"].nunique()
    assert yes["child_labour_under15"] == 440
    assert yes["armed_group_presence"] == 1315
    assert yes["armed_group_interference"] == 1083


def test_fact_names_and_columns(facts):
    assert list(facts.columns) == ["record_ref", "fact", "value", "observed_on", "source_ref"]
    contract = {
        "workers", "minerals", "child_labour_under15", "child_labour_tasks", "women",
        "women_tasks", "armed_group_presence", "armed_group_interference", "armed_groups",
        "forced_labour", "illegal_taxation", "mercury", "qualification", "traceability",
        "location_origin",
    }  # fmt: skip
    assert contract <= set(facts["fact"])
    yes_no = facts[facts.fact.isin(["mercury", "women", "forced_labour", "illegal_taxation"])]
    assert set(yes_no["value"]) == {"yes", "no"}
    assert facts.loc[facts.fact == "workers", "value"].str.fullmatch(r"\d+").all()
    assert facts["observed_on"].map(type).eq(dt.date).all()


def test_minerals_are_normalised(records, facts):
    vocabulary = set(VOCABULARY)
    used = {m for ms in records["minerals"] for m in ms}
    assert used <= vocabulary
    assert {"gold", "tin", "tantalum", "niobium", "tungsten", "copper", "cobalt"} <= used
    for value in facts.loc[facts.fact == "minerals", "value"]:
        assert set(value.split(", ")) <= vocabulary
    gold = records["minerals"].map(lambda ms: "gold" in ms)
    assert gold.sum() == 2259


def test_bad_rows_fixture(tmp_path, fixtures_dir):
    res = ipis.load(_fixture_raw(tmp_path, fixtures_dir, "ipis_bad_rows.csv"))
    assert res.rows_in == 8 and res.rows_rejected == 4
    reasons = {r["source_ref"]: r["reason"] for r in res.rejects}
    assert reasons["vid=5"] == "no pcode (site id)"
    assert reasons["vid=6"].startswith("no usable visit_date")
    assert reasons["vid=4"] == "duplicate vid (visit id)"
    assert reasons["vid=?"].startswith("no usable vid")
    recs = res.tables["records"].set_index("source_ref")
    assert sorted(recs.index) == ["codmine99901", "codmine99902", "codmine99903"]
    for lat, lon in zip(recs["lat"], recs["lon"], strict=True):
        assert lat is None or pd.isna(lat) or valid_coordinate(lat, lon) is None
    # lat=999 on the latest visit: the older visit's coordinates are used, and said so
    old = recs.loc["codmine99901"]
    assert (old["lat"], old["lon"], old["geo_precision"]) == (-2.5, 28.1, "exact")
    assert "vid=1" in old["geo_note"] and "out of range" in old["geo_note"]
    assert old["minerals"] == ["tin", "tantalum", "niobium", "gold"]
    # no usable coordinate at all: kept, to be placed by province
    nowhere = recs.loc["codmine99902"]
    assert pd.isna(nowhere["lat"]) and nowhere["geo_precision"] is None
    assert nowhere["province"] == "Maniema" and "province" in nowhere["geo_note"]
    assert recs.loc["codmine99903", "geo_precision"] == "city"
    f = res.tables["site_facts"]
    assert f.loc[f.fact == "illegal_taxation", "value"].tolist() == ["yes"]
    assert f.loc[f.fact == "forced_labour", "value"].tolist() == ["no"]
    assert f.loc[f.source_ref == "vid=2", "record_ref"].unique().tolist() == ["codmine99901"]


def test_truncated_file_gives_rejects(tmp_path, fixtures_dir):
    res = ipis.load(_fixture_raw(tmp_path, fixtures_dir, "ipis_truncated.csv"))
    assert res.rows_in == 3 and res.rows_loaded == 2
    assert res.rejects[0]["source_ref"] == "vid=7"
    assert res.rejects[0]["reason"].startswith("row has 15 fields, header has 85")


def test_wrong_header_is_a_clear_source_error(tmp_path, fixtures_dir):
    with pytest.raises(
        SourceError, match=r"lacks the IPIS visit columns \['pcode', 'visit_date'\]"
    ):
        ipis.load(_fixture_raw(tmp_path, fixtures_dir, "ipis_wrong_header.csv"))


def test_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match=ipis.VISITS_FILE):
        ipis.load(tmp_path)


def test_source_info():
    assert ipis.SOURCE.url == "https://ipisresearch.be/home/conflict-mapping/maps/open-data/"
    assert (
        "typeName=public:cod_mines_curated_all_opendata_p_ipis"
        in (ipis.SOURCE.fetch_urls[ipis.VISITS_FILE])
    )
