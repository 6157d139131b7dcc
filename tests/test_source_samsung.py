"""The Samsung smelter-list adapter on the real CSV (parsed from the 2025 report) and on fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from riskatlas.brands import brand_id
from riskatlas.minerals import VOCABULARY
from riskatlas.sources import samsung
from riskatlas.sources.base import SourceError

# Rows per metal as SOURCE.md counts them.
ROWS_PER_MINERAL = {
    "copper": 388, "lithium": 101, "nickel": 99, "gold": 91, "tin": 74, "aluminium": 66,
    "cobalt": 49, "tantalum": 41, "tungsten": 37, "mica": 26, "chromium": 17, "silver": 13,
    "zinc": 9,
}  # fmt: skip


@pytest.fixture(scope="module")
def result(raw_dir):
    return samsung.load(raw_dir)


@pytest.fixture(scope="module")
def records(result):
    return result.tables["records"].set_index("source_ref")


@pytest.fixture(scope="module")
def links(result):
    return result.tables["links"].set_index("source_ref", drop=False)


def _fixture_raw(tmp_path: Path, fixtures_dir: Path, name: str) -> Path:
    folder = tmp_path / samsung.SOURCE.folder
    folder.mkdir()
    shutil.copy(fixtures_dir / name, folder / samsung.LIST_FILE)
    return tmp_path


def test_every_row_is_loaded(result, records, links):
    assert result.rows_in == 1011
    assert result.rows_rejected == 0 and result.rows_loaded == 1011
    assert len(links) == 1011 and len(records) == 1011
    assert set(result.file_hashes) == {samsung.LIST_FILE}


def test_rows_per_mineral_and_49_cobalt_refiners(links, records):
    assert links["mineral"].value_counts().to_dict() == ROWS_PER_MINERAL
    cobalt = links[links["mineral"] == "cobalt"]
    assert len(cobalt) == 49 and cobalt["record_ref"].nunique() == 49
    assert (cobalt["pdf_page"] == 38).all()
    assert set(records["minerals"].explode()) <= set(VOCABULARY)


def test_known_cid_with_its_page_reference(links, records):
    ref = "Samsung Responsible Minerals Report 2025, p.25, 3TG list, row 1"
    link = links.loc[ref]
    assert link["record_ref"] == "CID000211" and link["mineral"] == "tantalum"
    assert link["status_as_reported"] == "Conformant" and link["year"] == 2024
    assert link["name_as_reported"] == "Changsha South Tantalum Niobium Co., Ltd."
    rec = records.loc["CID000211"]
    assert rec["rmi_id"] == "CID000211" and rec["country_iso3"] == "CHN"
    assert list(rec["minerals"]) == ["tantalum"] and rec["tier"] == "smelter_refiner"
    cobalt = links.loc["Samsung Responsible Minerals Report 2025, p.38, Cobalt (Co) list, row 13"]
    assert cobalt["record_ref"] == "CID003261" and cobalt["country_as_reported"] == "DRC"
    assert records.loc["CID003261", "country_iso3"] == "COD"


def test_links_are_cited_and_unique(links):
    assert links.index.is_unique and links.index.is_monotonic_increasing
    assert (links["brand"] == "Samsung Electronics").all()
    assert brand_id(links["brand"].iloc[0]) == "samsung-electronics"
    assert (links["relation"] == "lists_smelter").all()
    # row numbers restart per section: the section keeps page + row unique
    assert links["source_ref"].str.fullmatch(r".*, p\.\d+, .+ list, row \d+").all()
    mica = links.loc["Samsung Responsible Minerals Report 2025, p.39, Mica list, row 1"]
    lithium = links.loc["Samsung Responsible Minerals Report 2025, p.39, Lithium (Li) list, row 1"]
    assert mica["record_ref"] != lithium["record_ref"]


def test_status_and_country_placeholders_are_none(links, records):
    status = links["status_as_reported"].value_counts(dropna=False).to_dict()
    assert status[None] == 630 + 7  # '-' and blank (Zinc)
    assert status["Conformant"] == 337 and status["Not Certified"] == 19
    assert links["country_as_reported"].isna().sum() == 60
    no_country = records["country_raw"].isna()
    assert no_country.sum() == 60 and records.loc[no_country, "country_iso3"].isna().all()
    # every printed country resolves, except "Netherland" until countries.py knows it
    unresolved = set(records.loc[~no_country & records["country_iso3"].isna(), "country_raw"])
    assert unresolved <= {"Netherland"}
    assert (
        records.loc[records["country_raw"] == "Korea, Republic Of", "country_iso3"].eq("KOR").all()
    )
    assert records.loc[records["country_raw"] == "Perú", "country_iso3"].eq("PER").all()
    assert records["lat"].isna().all() and records["geo_precision"].isna().all()
    assert (records.index == records["rmi_id"]).all()


def test_sourcing_codes_are_parsed(links):
    three_tg = links[links["list_section"] == "3TG"]
    assert len(three_tg) == 243
    other = links[links["list_section"] != "3TG"]
    assert other["sourcing_codes"].map(len).eq(0).all()
    row = links.loc["Samsung Responsible Minerals Report 2025, p.25, 3TG list, row 6"]
    assert row["direct_sourcing"] == "DRC, HR, LR, CC ,R/S"
    assert list(row["direct_sourcing_codes"]) == ["LR", "HR", "CC", "DRC", "R/S"]
    assert list(row["indirect_sourcing_codes"]) == ["LR", "HR", "CC", "DRC"]
    assert samsung.sourcing_codes("LR,HR R/S", "***") == ["LR", "HR", "R/S"]
    assert samsung.sourcing_codes("N/A", None) == []
    drc = three_tg["sourcing_codes"].map(lambda c: "DRC" in c).sum()
    assert drc > 20
    assert three_tg["sourcing_aggregated"].map(lambda a: "LBMA" in a).sum() >= 56


def test_wrong_header_names_the_missing_columns(tmp_path, fixtures_dir):
    raw = _fixture_raw(tmp_path, fixtures_dir, "brands_samsung_wrong_header.csv")
    with pytest.raises(SourceError, match="smelter_id, pdf_page"):
        samsung.load(raw)


def test_bad_rows_are_rejected_with_reasons(tmp_path, fixtures_dir):
    res = samsung.load(_fixture_raw(tmp_path, fixtures_dir, "brands_samsung_bad_rows.csv"))
    assert res.rows_in == 8 and res.rows_rejected == 5 and res.rows_loaded == 3
    reasons = {r["source_ref"]: r["reason"] for r in res.rejects}
    p25 = "Samsung Responsible Minerals Report 2025, p.25, 3TG list"
    assert reasons[f"{p25}, row 2"] == "missing smelter_id"
    assert reasons[f"{p25}, row 3"].startswith("smelter_id is not a CID")
    p38 = "Samsung Responsible Minerals Report 2025, p.38, Cobalt (Co) list"
    assert reasons[f"{p38}, row 1"] == "unknown metal: 'Unobtainium'"
    assert reasons["Samsung Responsible Minerals Report 2025, CSV row 5"].startswith(
        "missing or non-numeric pdf_page"
    )
    # of two listings of one smelter for one metal, the one with a status is kept
    assert reasons[f"{p38}, row 3"] == f"duplicate (smelter_id, metal) of {p38}, row 4"
    recs = res.tables["records"].set_index("source_ref")
    assert sorted(recs.index) == ["CID000211", "CID003261", "CID003800"]
    assert recs.loc["CID003800", "country_iso3"] is None
    links = res.tables["links"].set_index("source_ref")
    assert list(links.loc[f"{p25}, row 1", "sourcing_codes"]) == ["LR", "HR", "R/S"]
    assert links.loc[f"{p38}, row 4", "status_as_reported"] == "Conformant"
