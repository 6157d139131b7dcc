"""The Form SD adapter reads the four original HTML filings; the pre-extracted CSV is its oracle."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from riskatlas.brands import KNOWN_BRANDS, brand_id, brands_frame, display_name
from riskatlas.sources import form_sd
from riskatlas.sources.base import SourceError
from riskatlas.sources.brand_lists import or_none

ROWS_PER_BRAND = {
    "Rockwell Automation, Inc.": 701,
    "Garrett Motion Inc.": 333,
    "Honda Motor Co., Ltd.": 226,
    "Skyworks Solutions, Inc.": 194,
}
FILE_OF = {brand: name for name, (brand, _) in form_sd.FILINGS.items()}


@pytest.fixture(scope="module", autouse=True)
def _own_cache(tmp_path_factory):
    """A cache of this module's own: the first load parses the HTML, as a first build does."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RISKATLAS_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def result(raw_dir):
    return form_sd.load(raw_dir)


@pytest.fixture(scope="module")
def records(result):
    return result.tables["records"].set_index("source_ref")


@pytest.fixture(scope="module")
def links(result):
    return result.tables["links"].set_index("source_ref", drop=False)


@pytest.fixture(scope="module")
def oracle(raw_dir):
    path = raw_dir / form_sd.SOURCE.folder / form_sd.ORACLE_FILE
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _metal(m: str) -> str:
    return m.strip().lower()


def test_rows_in_and_the_two_duplicates(result, links):
    assert result.rows_in == 1454
    assert result.rows_rejected == 2 and result.rows_loaded == 1452 == len(links)
    reasons = sorted((r["source_ref"], r["reason"]) for r in result.rejects)
    assert reasons == [
        (
            "honda.html, table 38, row 26",
            "duplicate (brand, metal, smelter) of honda.html, table 37, row 25",
        ),
        (
            "rockwellautomation.html, table 26, row 58",
            "duplicate (brand, metal, smelter) of rockwellautomation.html, table 30, row 32",
        ),
    ]
    assert set(result.file_hashes) == set(form_sd.SOURCE.files)
    assert result.file_hashes["originals/honda.html"].startswith("3c05b4de32e8")  # SOURCE.md


def test_rows_per_brand(result, links):
    got = Counter(links["brand"])
    for r in result.rejects:
        got[next(b for b, f in FILE_OF.items() if r["source_ref"].startswith(f))] += 1
    assert dict(got) == ROWS_PER_BRAND


def _contradicted(links) -> set[tuple[str, str]]:
    """(file, printed id) of rows whose RMI id RMI gives another company or metal: the
    importer's ID check (issue 17) keys them by their name, never by that id."""
    printed = links["id_as_reported"].fillna("")
    hit = links["record_ref"].str.startswith("name:") & printed.str.fullmatch(r"CID\d{6}")
    return set(zip(links.loc[hit, "file_name"], printed[hit], strict=True))


def test_only_garretts_contradicted_id_is_keyed_by_name(links):
    # Garrett prints CID004705 (Inca One in RMI's list) for "SOLEIL METALS (YAKARI Plant)".
    assert _contradicted(links) == {("garrettmotion.htm", "CID004705")}


@pytest.mark.parametrize("name", sorted(form_sd.FILINGS))
def test_oracle_ids_found_per_file_and_none_invented(name, links, oracle, raw_dir):
    brand = form_sd.FILINGS[name][0]
    want_rows = oracle[oracle["source_file"] == name]
    assert len(want_rows) == ROWS_PER_BRAND[brand]
    bad = {sid for f, sid in _contradicted(links) if f == name}
    want_rows = want_rows[~want_rows["smelter_id"].isin(bad)]
    ours = links[links["file_name"] == name]
    want = set(want_rows["smelter_id"])
    ours = ours[~ours["record_ref"].str.startswith("name:")]
    got = set(ours["record_ref"])
    assert len(want & got) / len(want) >= 0.99, sorted(want - got)[:20]
    text = (raw_dir / form_sd.SOURCE.folder / "originals" / name).read_text(errors="replace")
    printed = set(re.findall(r"CID[A-Z]{0,2}\d{3,6}", text))
    assert got <= printed, sorted(got - printed)
    # The same listings: (metal, id) counted as the oracle counts them, duplicates apart.
    want_pairs = Counter(zip(map(_metal, want_rows["metal"]), want_rows["smelter_id"], strict=True))
    got_pairs = Counter(zip(ours["mineral"], ours["record_ref"], strict=True))
    assert got_pairs == Counter(set(want_pairs))


def test_names_countries_statuses_match_the_oracle(links, oracle):
    first = oracle.drop_duplicates(["source_file", "metal", "smelter_id"])
    bad = _contradicted(links)
    keep = [
        (f, sid) not in bad
        for f, sid in zip(first["source_file"], first["smelter_id"], strict=True)
    ]
    first = first[keep]
    ours = links.set_index(["file_name", "mineral", "record_ref"])
    keys = list(
        zip(first["source_file"], map(_metal, first["metal"]), first["smelter_id"], strict=True)
    )
    got = ours.reindex(keys)
    assert got["brand"].notna().all()

    def share(a, b) -> float:
        def norm(v):
            return or_none(v) if isinstance(v, str) else None

        return sum(norm(x) == norm(y) for x, y in zip(a, b, strict=True)) / len(a)

    # The oracle keeps no-break spaces ("Gold\xa0& Lead") and "UNKNOWN" countries; both sides
    # are compared word by word, with the placeholders brands print for 'none' as none.
    # One Rockwell row prints the id where the name should be: the oracle kept it as a name.
    assert share(first["smelter_name"], got["name_as_reported"]) >= 0.99
    assert share(first["country"], got["country_as_reported"]) >= 0.99
    assert share(first["status_as_reported"], got["status_as_reported"]) >= 0.99


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
    # 706 printed ids, and Garrett's contradicted row keyed by its name (see above)
    assert len(records) == 707 and records.index.str.startswith("name:").sum() == 1
    assert records.index.is_unique and records.index.is_monotonic_increasing
    assert set(links["record_ref"]) == set(records.index)
    assert (records["tier"] == "smelter_refiner").all()
    assert records["lat"].isna().all() and records["geo_precision"].isna().all()
    assert records["minerals"].map(len).eq(1).all()


def test_non_rmi_ids_are_kept_and_flagged(records, links):
    odd = records[records["non_rmi_id"]]
    assert len(odd) == 9 and "CIDSN2285" in odd.index
    assert odd["rmi_id"].isna().all() and odd["country_iso3"].isna().all()
    # Their names match no RMI smelter closely enough: unresolved, never guessed.
    assert (links[links["record_ref"].isin(odd.index)]["resolved_by"] == "unresolved").all()
    rmi = records[~records["non_rmi_id"] & ~records.index.str.startswith("name:")]
    assert (rmi["rmi_id"] == rmi.index).all()
    assert rmi.index.str.fullmatch(r"CID\d{6}").all()
    assert records["name_only"].sum() == 1  # Garrett's contradicted row, keyed by its name


def test_known_links(links, records):
    row = links.loc["skyworkssolutions.html, table 1, row 3"]
    assert row["record_ref"] == "CID001076" and row["mineral"] == "tantalum"
    assert row["name_as_reported"] == "AMG Brasil" and row["country_as_reported"] == "BRAZIL"
    assert row["year"] == 2025 and row["relation"] == "lists_smelter"
    assert row["brand"] == "Skyworks Solutions, Inc." and row["resolved_by"] == "id"
    assert records.loc["CID001076", "country_iso3"] == "BRA"
    # the kept Rockwell row of the duplicated pair has the name and the '*' mark
    kept = links.loc["rockwellautomation.html, table 30, row 32"]
    assert kept["record_ref"] == "CID002316"
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
    assert links["direct_sourcing"].isna().all()  # no filing prints sourcing countries


def _raw_with(tmp_path: Path, raw_dir: Path, replace: dict[str, Path | None]) -> Path:
    """A raw folder with the real filings, some replaced by a fixture or left out (None)."""
    folder = tmp_path / form_sd.SOURCE.folder / "originals"
    folder.mkdir(parents=True)
    for name in form_sd.FILINGS:
        src = replace.get(name, raw_dir / form_sd.SOURCE.folder / "originals" / name)
        if src is not None:
            shutil.copy(src, folder / name)
    return tmp_path


def test_missing_filing_names_the_file(tmp_path, raw_dir):
    raw = _raw_with(tmp_path, raw_dir, {"garrettmotion.htm": None})
    with pytest.raises(SourceError, match=r"sec_form_sd_2025: missing source file .*garrettmotion"):
        form_sd.load(raw)


def test_a_filing_without_a_smelter_table_is_a_source_error(tmp_path, raw_dir):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Conflict minerals report.</p><table><tr><td>Q</td></tr>"
                    "</table></body></html>")  # fmt: skip
    raw = _raw_with(tmp_path, raw_dir, {"honda.html": page})
    with pytest.raises(SourceError, match=r"^sec_form_sd_2025: no smelter table found in honda"):
        form_sd.load(raw)


def test_bad_rows_are_rejected_with_reasons_and_unresolved_rows_kept(
    tmp_path, raw_dir, fixtures_dir
):
    raw = _raw_with(tmp_path, raw_dir, {"honda.html": fixtures_dir / "import_formsd_bad.html"})
    res = form_sd.load(raw)
    assert res.rows_in == 1454 - 226 + 7  # the fixture's 6 rows and 1 line without a smelter
    reasons = {
        r["source_ref"]: r["reason"] for r in res.rejects if r["source_ref"].startswith("honda")
    }
    assert reasons == {
        "honda.html, table 1, row 3": "duplicate (brand, metal, smelter) of honda.html, table 1, row 2",
        "honda.html, table 1, row 4": "no smelter id or name in this table line",
        "honda.html, table 1, row 5": (
            "no metal: neither the row (None), its table title nor RMI's list for its id gives one"
        ),
        "honda.html, table 2, row 2": (
            "listed under a 'removed' title: Smelters removed from our list in 2025"
        ),
    }
    honda = res.tables["links"].set_index("source_ref")
    honda = honda[honda["brand"] == "Honda Motor Co., Ltd."]
    assert sorted(honda.index) == [
        "honda.html, table 1, row 2", "honda.html, table 1, row 6", "honda.html, table 1, row 7",
    ]  # fmt: skip
    assert honda.loc["honda.html, table 1, row 2", "status_as_reported"] == "*"
    # Rows with no RMI id stay as smelters of their own: by printed id, or by name and country.
    assert honda.loc["honda.html, table 1, row 6", "record_ref"] == "name:unheard of gold works@PER"
    assert honda.loc["honda.html, table 1, row 7", "record_ref"] == "CIDSN0001"
    recs = res.tables["records"].set_index("source_ref")
    assert recs.loc["name:unheard of gold works@PER", "name_only"]
    assert recs.loc["name:unheard of gold works@PER", "rmi_id"] is None
    assert recs.loc["name:unheard of gold works@PER", "country_iso3"] == "PER"
    assert recs.loc["CIDSN0001", "non_rmi_id"] and recs.loc["CIDSN0001", "rmi_id"] is None
