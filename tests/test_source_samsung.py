"""The Samsung adapter reads the report PDF itself; the mirror's pre-extracted CSV is its oracle."""

from __future__ import annotations

import re
import time

import pandas as pd
import pypdfium2
import pytest

from riskatlas.brands import brand_id
from riskatlas.importer import cache
from riskatlas.minerals import VOCABULARY
from riskatlas.sources import samsung
from riskatlas.sources.base import SourceError

# Rows per metal as SOURCE.md counts them (the annex; the page-16 'removed' table is apart).
ROWS_PER_MINERAL = {
    "copper": 388, "lithium": 101, "nickel": 99, "gold": 91, "tin": 74, "aluminium": 66,
    "cobalt": 49, "tantalum": 41, "tungsten": 37, "mica": 26, "chromium": 17, "silver": 13,
    "zinc": 9,
}  # fmt: skip
P25 = "Samsung Responsible Minerals Report 2025, p.25, 3TG list"


@pytest.fixture(scope="module")
def cold(tmp_path_factory, raw_dir):
    """The adapter with an empty cache: the PDF is parsed (the first build's path)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RISKATLAS_CACHE", str(tmp_path_factory.mktemp("cache")))
        t0 = time.process_time()
        result = samsung.load(raw_dir)
        cold_cpu = time.process_time() - t0
        t0 = time.process_time()
        warm = samsung.load(raw_dir)
        warm_cpu = time.process_time() - t0
    return result, warm, cold_cpu, warm_cpu


@pytest.fixture(scope="module")
def result(cold):
    return cold[0]


@pytest.fixture(scope="module")
def records(result):
    return result.tables["records"].set_index("source_ref")


@pytest.fixture(scope="module")
def links(result):
    return result.tables["links"].set_index("source_ref", drop=False)


@pytest.fixture(scope="module")
def oracle(raw_dir):
    path = raw_dir / samsung.SOURCE.folder / samsung.ORACLE_FILE
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _pdf_ids(raw_dir) -> set[str]:
    """Every CIDnnnnnn in the PDF's text layer, read with pdfium (not the importer's reader)."""
    doc = pypdfium2.PdfDocument(str(raw_dir / samsung.SOURCE.folder / samsung.PDF_FILE))
    try:
        text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    return set(re.findall(r"CID\d{6}", text))


def test_every_row_found_is_a_link_or_a_reject(result, links, records):
    assert result.rows_in == 1014  # the annex's 1,011 rows and the page-16 table's 3
    assert result.rows_loaded == 1011 == len(links) == len(records)
    assert result.rows_rejected == 3
    assert {r["reason"] for r in result.rejects} == {
        "listed under a 'removed' title: ※ Smelters removed from the RMAP-conformant list in 2024"
    }
    assert all(r["source_ref"].startswith(f"{samsung.REPORT}, p.16") for r in result.rejects)
    assert set(result.file_hashes) == {samsung.PDF_FILE}
    assert result.file_hashes[samsung.PDF_FILE].startswith("9119e55cbf12")  # SOURCE.md


def test_oracle_ids_are_found_and_none_invented(links, oracle, raw_dir):
    want = set(oracle["smelter_id"])
    got = set(links["record_ref"])
    assert len(want & got) / len(want) >= 0.99, sorted(want - got)[:20]
    assert got <= _pdf_ids(raw_dir), sorted(got - _pdf_ids(raw_dir))
    assert (links["record_ref"] == links["rmi_id"]).all()
    # Ids RMI's current lists lack are flagged by the importer's ID check (issue 17): not
    # counted as resolved, yet the printed id still keys the smelter the brand lists.
    flagged = links[links["resolved_by"] != "id"]
    assert set(flagged["resolved_by"]) <= {"unresolved"}
    assert (flagged["record_ref"] == flagged["id_as_reported"].str.upper()).all()


def test_rows_match_the_oracle_row_by_row(links, oracle):
    """Same page, section and row number give the same smelter, name, country and status."""
    refs = [
        samsung.link_ref(p, f"{s} List", n)
        for p, s, n in zip(
            oracle["pdf_page"], oracle["list_section"], oracle["row_no"], strict=True
        )
    ]
    ours = links.reindex(refs)
    assert ours["record_ref"].notna().mean() >= 0.99

    def same(a, b) -> float:
        norm = [(" ".join(str(x).split()) if x else "-") for x in a]
        return sum(x == (y or "-") for x, y in zip(norm, b, strict=True)) / len(norm)

    assert same(oracle["smelter_id"], ours["record_ref"]) >= 0.99
    assert same(oracle["smelter_name"], ours["name_as_reported"]) >= 0.99
    assert same(oracle["country"], ours["country_as_reported"]) >= 0.99
    assert same(oracle["rmap_status"].replace("", "-"), ours["status_as_reported"]) >= 0.99
    # The oracle cut wrapped sourcing cells short; ours hold the whole printed text.
    for col_o, col in (
        ("direct_sourcing_countries", "direct_sourcing"),
        ("indirect_sourcing_countries", "indirect_sourcing"),
    ):
        pairs = zip(oracle[col_o], ours[col].fillna(""), strict=True)
        assert all(" ".join(o.split()) in " ".join(g.split()) for o, g in pairs)


def test_rows_per_mineral_and_49_cobalt_refiners(links, records):
    assert links["mineral"].value_counts().to_dict() == ROWS_PER_MINERAL
    cobalt = links[links["mineral"] == "cobalt"]
    assert len(cobalt) == 49 and cobalt["record_ref"].nunique() == 49
    assert (cobalt["pdf_page"] == 38).all()
    assert set(records["minerals"].explode()) <= set(VOCABULARY)


def test_known_cid_with_its_page_reference(links, records):
    link = links.loc[f"{P25}, row 1"]
    assert link["record_ref"] == "CID000211" and link["mineral"] == "tantalum"
    assert link["status_as_reported"] == "Conformant" and link["year"] == 2024
    assert link["name_as_reported"] == "Changsha South Tantalum Niobium Co., Ltd."
    assert link["file_name"] == samsung.PDF_FILE and link["ref_in_file"] == "page 25"
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
    unresolved = set(records.loc[~no_country & records["country_iso3"].isna(), "country_raw"])
    assert unresolved <= {"Netherland"}
    korea = records["country_raw"] == "Korea, Republic Of"
    assert korea.any() and records.loc[korea, "country_iso3"].eq("KOR").all()
    assert records.loc[records["country_raw"] == "Perú", "country_iso3"].eq("PER").all()
    assert records["lat"].isna().all() and records["geo_precision"].isna().all()
    assert (records.index == records["rmi_id"]).all()


def test_sourcing_codes_are_parsed(links):
    three_tg = links[links["list_section"] == "3TG"]
    assert len(three_tg) == 243
    other = links[links["list_section"] != "3TG"]
    assert other["sourcing_codes"].map(len).eq(0).all()
    assert other["direct_sourcing"].isna().all()
    row = links.loc[f"{P25}, row 6"]
    assert row["direct_sourcing"] == "DRC, HR, LR, CC ,R/S"
    assert list(row["direct_sourcing_codes"]) == ["LR", "HR", "CC", "DRC", "R/S"]
    assert list(row["indirect_sourcing_codes"]) == ["LR", "HR", "CC", "DRC"]
    assert samsung.sourcing_codes("LR,HR R/S", "***") == ["LR", "HR", "R/S"]
    assert samsung.sourcing_codes("N/A", None) == []
    assert three_tg["sourcing_codes"].map(lambda c: "DRC" in c).sum() > 20
    assert three_tg["sourcing_aggregated"].map(lambda a: "LBMA" in a).sum() >= 56


def test_list_labels():
    assert samsung.list_label("Cobalt (Co) Smelter List") == "Cobalt (Co)"
    assert samsung.list_label("Chromium(Cr) Smelter List") == "Chromium (Cr)"
    assert samsung.list_label("3TG Smelter and Refiner List") == "3TG"
    assert samsung.list_label("Mica Operator List") == "Mica"


def test_second_load_comes_from_the_cache_with_the_same_tables(cold):
    result, warm, cold_cpu, warm_cpu = cold
    for name in ("links", "records"):
        pd.testing.assert_frame_equal(result.tables[name], warm.tables[name])
    assert warm.rejects == result.rejects and warm.rows_in == result.rows_in
    assert warm_cpu < cold_cpu / 3, (cold_cpu, warm_cpu)


def test_cache_is_keyed_by_bytes_and_code_version(tmp_path, raw_dir, monkeypatch):
    path = raw_dir / "brand_form_sd_smelter_lists_2025" / "originals" / "honda.html"
    first = cache.cached_import(path, "Honda", 2025, reference=None, directory=tmp_path)
    again = cache.cached_import(path, "Honda", 2025, reference=None, directory=tmp_path)
    assert "from_cache" not in first.summary and again.summary["from_cache"] is True
    pd.testing.assert_frame_equal(first.rows, again.rows)
    # A new importer version (or any edit of its code) is a miss: the file is parsed again.
    monkeypatch.setattr(cache, "code_version", lambda: "another-version")
    other = cache.cached_import(path, "Honda", 2025, reference=None, directory=tmp_path)
    assert "from_cache" not in other.summary
    assert len(list(tmp_path.glob("*.pickle"))) == 1  # the stale entry was replaced
    # The same file imported for another brand is kept beside it, not in its place.
    cache.cached_import(path, "Other brand", 2025, reference=None, directory=tmp_path)
    assert len(list(tmp_path.glob("*.pickle"))) == 2
    # Other bytes under the same name are another file.
    copy = tmp_path / "honda.html"
    copy.write_bytes(path.read_bytes().replace(b"CID000", b"CID900", 1))
    changed = cache.cached_import(copy, "Honda", 2025, reference=None, directory=tmp_path)
    assert "from_cache" not in changed.summary and changed.sha256 != first.sha256


def test_a_broken_cache_entry_is_ignored(tmp_path, raw_dir):
    path = raw_dir / "brand_form_sd_smelter_lists_2025" / "originals" / "honda.html"
    first = cache.cached_import(path, "Honda", 2025, reference=None, directory=tmp_path)
    for entry in tmp_path.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    again = cache.cached_import(path, "Honda", 2025, reference=None, directory=tmp_path)
    assert "from_cache" not in again.summary and len(again.rows) == len(first.rows) == 226


def test_missing_pdf_names_the_file(tmp_path):
    with pytest.raises(SourceError, match=r"samsung_rmr_2025: missing source file .*\.pdf"):
        samsung.load(tmp_path)


def test_a_pdf_that_is_not_a_pdf_is_a_source_error(tmp_path, fixtures_dir, monkeypatch):
    monkeypatch.setenv("RISKATLAS_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / samsung.SOURCE.folder
    folder.mkdir()
    (folder / samsung.PDF_FILE).write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(SourceError, match=r"^samsung_rmr_2025: cannot read .* as a PDF"):
        samsung.load(tmp_path)


def test_a_pdf_without_a_smelter_table_is_a_source_error(tmp_path, raw_dir, monkeypatch):
    """The report's first pages only (prose, no smelter table): the error says so."""
    from pypdf import PdfReader, PdfWriter

    monkeypatch.setenv("RISKATLAS_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / samsung.SOURCE.folder
    folder.mkdir()
    reader = PdfReader(raw_dir / samsung.SOURCE.folder / samsung.PDF_FILE)
    writer = PdfWriter()
    for page in reader.pages[:3]:
        writer.add_page(page)
    with open(folder / samsung.PDF_FILE, "wb") as f:
        writer.write(f)
    with pytest.raises(SourceError, match=r"^samsung_rmr_2025: no smelter table found in"):
        samsung.load(tmp_path)
