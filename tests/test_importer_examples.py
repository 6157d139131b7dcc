"""The importer on the shared examples: four SEC Form SD HTML filings and Samsung's 56-page PDF.

Oracles: the mirror's pre-extracted CSVs (brand_smelter_links_2025.csv per source_file,
samsung_smelters_refiners_2024.csv). Every RMI id of the oracle must be found (>= 99 %), and
no id may be output that the file does not print (checked against a plain regex scan of the
file's text, made with other tools than the importer's).
"""

from __future__ import annotations

import re
import time
from collections import Counter

import pandas as pd
import pypdfium2
import pytest

from riskatlas.importer import import_report
from riskatlas.importer.links import link_rejects, links_frame
from riskatlas.importer.rmi_match import resolve_rows
from riskatlas.importer.rmi_reference import load_reference

FORM_SD = "brand_form_sd_smelter_lists_2025"
SAMSUNG = "samsung_smelter_refiner_list_2024"
SAMSUNG_PDF = "samsung_responsible_minerals_report_2025.pdf"
RMI_ID = re.compile(r"CID\d{6}")
HTML_FILES = {
    "skyworkssolutions.html": ("Skyworks Solutions, Inc.", 194),
    "rockwellautomation.html": ("Rockwell Automation, Inc.", 701),
    "garrettmotion.htm": ("Garrett Motion Inc.", 333),
    "honda.html": ("Honda Motor Co., Ltd.", 226),
}


def _ids_in_text(text: str) -> set[str]:
    return set(RMI_ID.findall(re.sub(r"CID[\s-](\d{6})", r"CID\1", text)))


def _metal_counts(series) -> Counter:
    return Counter(str(m).lower().replace("aluminum", "aluminium") for m in series)


def rmi_reference_ids(raw_dir) -> list[str]:
    """RMI's current ids, read with pandas from the mirror (not through the importer)."""
    ref = raw_dir / "rmi_smelter_reference_list" / "rmi_smelter_facilities_latest.csv"
    return pd.read_csv(ref, dtype=str)["smelter_id"].tolist()


def _printed_ids(rows: pd.DataFrame) -> pd.Series:
    """The RMI id each row prints (issue 17: an id RMI contradicts is kept as printed, flagged in
    id_problem and not resolved, so what the file says is read from id_as_reported)."""
    from riskatlas.importer.columns import rmi_id

    return rows["id_as_reported"].map(rmi_id)


@pytest.fixture(scope="module")
def samsung(raw_dir):
    t0 = time.perf_counter()
    result = import_report(raw_dir / SAMSUNG / SAMSUNG_PDF, "Samsung Electronics", 2024)
    return result, time.perf_counter() - t0


@pytest.mark.parametrize("name", sorted(HTML_FILES))
def test_form_sd_html_finds_every_oracle_id(raw_dir, name):
    brand, n_rows = HTML_FILES[name]
    path = raw_dir / FORM_SD / "originals" / name
    result = import_report(path, brand, 2025)
    rows = result.rows
    oracle = pd.read_csv(raw_dir / FORM_SD / "brand_smelter_links_2025.csv", dtype=str)
    oracle = oracle[oracle["source_file"] == name]
    assert len(oracle) == n_rows  # the SOURCE.md counts

    want = set(oracle["smelter_id"][oracle["smelter_id"].str.fullmatch(r"CID\d{6}")])
    got = set(_printed_ids(rows).dropna())
    recall = len(want & got) / len(want)
    assert recall >= 0.99, sorted(want - got)[:20]

    # No id the file does not print.
    printed = _ids_in_text(path.read_text(encoding="utf-8", errors="replace"))
    assert got <= printed, sorted(got - printed)
    assert set(rows.loc[rows["resolved_by"] == "id", "smelter_id"]) <= printed

    # Every oracle row is found, with its metal.
    assert len(rows) == len(oracle)
    assert _metal_counts(rows["metal"]) == _metal_counts(oracle["metal"])
    assert rows["ref"].str.match(r"table \d+, row \d+").all()
    assert result.sha256 == result.summary["sha256"] and len(result.sha256) == 64


def test_rockwell_non_rmi_ids_are_kept_as_printed_not_taken_as_rmi_ids(raw_dir):
    path = raw_dir / FORM_SD / "originals" / "rockwellautomation.html"
    rows = import_report(path, "Rockwell Automation", 2025).rows
    odd = rows[rows["id_as_reported"].str.fullmatch(r"CID[A-Z]+\d+", na=False)]
    # SOURCE.md: nine Rockwell rows carry non-RMI ids such as CIDSN2285, country UNKNOWN.
    assert len(odd) == 9
    assert "CIDSN2285" in set(odd["id_as_reported"])
    assert (odd["resolved_by"] != "id").all()
    # Their names match no RMI smelter closely enough: shown, unresolved, never guessed.
    assert (odd["resolved_by"] == "unresolved").all()
    assert odd["smelter_id"].isna().all()
    assert odd["candidate_id"].notna().all()  # the nearest candidate is shown beside it


def test_every_row_is_a_link_or_a_reject_with_its_reason(raw_dir):
    path = raw_dir / FORM_SD / "originals" / "rockwellautomation.html"
    result = import_report(path, "Rockwell Automation", 2025)
    links, rejects = links_frame(result), link_rejects(result)
    assert len(links) + len(rejects) == len(result.rows) == 701
    reasons = [r.split(":")[0].split(" (")[0] for _, r, _ in rejects]
    # the non-RMI ids (CIDSN2285 ...) and the RMI ids RMI's list lacks (issue 17)
    assert reasons.count("unresolved") == 9 + result.summary["ids_flagged"]
    oracle = pd.read_csv(raw_dir / FORM_SD / "brand_smelter_links_2025.csv", dtype=str)
    oracle = oracle[oracle["source_file"] == path.name]
    assert reasons.count("duplicate") == oracle.duplicated(["metal", "smelter_id"]).sum() == 1
    assert all(
        ref.startswith("rockwellautomation.html (sha256 4d6c3f1b22b0), table ")
        for ref, _, _ in rejects
    )


def test_rockwell_statuses_and_countries_as_printed(raw_dir):
    path = raw_dir / FORM_SD / "originals" / "rockwellautomation.html"
    rows = import_report(path, "Rockwell Automation", 2025).rows
    one = rows[rows["id_as_reported"] == "CID002468"].iloc[0]
    assert one["status_as_reported"] == "*"
    assert one["country"] == "BRAZIL"
    assert one["smelter_name"] == "Magnu’s Minerais Metais e Ligas Ltda."
    # A row that prints the id where the name should be keeps its id and has no name.
    odd = rows[(rows["id_as_reported"] == "CID002316") & rows["smelter_name"].isna()]
    assert len(odd) == 1 and odd.iloc[0]["resolved_by"] == "id"


def test_samsung_pdf_finds_every_oracle_id(raw_dir, samsung):
    result, _seconds = samsung
    rows = result.rows
    oracle = pd.read_csv(raw_dir / SAMSUNG / "samsung_smelters_refiners_2024.csv", dtype=str)
    assert len(oracle) == 1011
    want = set(oracle["smelter_id"])
    got = set(_printed_ids(rows).dropna())
    assert len(want & got) / len(want) >= 0.99, sorted(want - got)[:20]

    doc = pypdfium2.PdfDocument(str(raw_dir / SAMSUNG / SAMSUNG_PDF))
    try:
        text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    printed = _ids_in_text(text)
    assert got <= printed, sorted(got - printed)
    # every row resolves by its id, except those whose id RMI's list lacks (flagged, issue 17)
    assert ((rows["resolved_by"] == "id") | rows["id_problem"].notna()).all()
    assert (rows["resolved_by"] == "id").sum() == _printed_ids(rows).isin(
        set(rmi_reference_ids(raw_dir))
    ).sum()

    # Per-metal counts: the annex's, plus the 3 smelters of the page-16 table of smelters
    # removed from the conformant list (shown, under their 'removed' title, not linked).
    got_metals = _metal_counts(rows["metal"])
    want_metals = _metal_counts(oracle["metal"])
    assert set(got_metals) == set(want_metals)
    for metal, n in want_metals.items():
        assert abs(got_metals[metal] - n) <= 1, (metal, got_metals[metal], n)
    removed = rows[rows["removed_section"]]
    assert set(_printed_ids(removed)) == {"CID002232", "CID000969", "CID003581"}
    assert (removed["ref"] == "page 16").all()
    assert result.summary["rows_in_removed_sections"] == 3

    # Metals that only the section titles give ("Cobalt (Co) Smelter List"), and a wrapped name.
    by_id = rows.assign(printed=_printed_ids(rows)).drop_duplicates("printed").set_index("printed")
    assert by_id.at["CID003209", "metal"] == "cobalt"
    assert by_id.at["CID003209", "metal_from"] == "section"
    assert by_id.at["CID000211", "smelter_name"] == "Changsha South Tantalum Niobium Co., Ltd."
    assert by_id.at["CID000211", "metal_from"] == "row"
    assert by_id.at["CID000211", "status_as_reported"] == "Conformant"
    assert by_id.at["CID000211", "country"] == "China"
    assert by_id.at["CID000211", "ref"] == "page 25"


def test_samsung_pdf_matches_the_oracle_row_by_row(raw_dir, samsung):
    rows = samsung[0].rows
    rows = rows[~rows["removed_section"]]
    oracle = pd.read_csv(raw_dir / SAMSUNG / "samsung_smelters_refiners_2024.csv", dtype=str)
    rows = rows.assign(smelter_id=_printed_ids(rows))
    m = rows.merge(oracle, on="smelter_id", suffixes=("", "_oracle"))
    assert len(m) == 1011
    assert (m["ref"] == "page " + m["pdf_page"]).all()
    same_name = (m["smelter_name"] == m["smelter_name_oracle"]).mean()
    same_status = (m["status_as_reported"].fillna("") == m["rmap_status"].fillna("")).mean()
    # The oracle repaired 4 names glued to their country ("…Ltda.Brazil") by hand.
    assert same_name >= 0.995 and same_status >= 0.995


def test_samsung_pdf_imports_fast(samsung):
    assert samsung[1] < 30, f"the 56-page PDF took {samsung[1]:.1f} s"


def test_samsung_links_cite_the_file_and_page(samsung):
    result = samsung[0]
    links = links_frame(result)
    listed = result.rows[~result.rows["removed_section"]]
    # rows whose id RMI's list lacks are flagged and make no link (issue 17)
    flagged = listed["id_problem"].notna()
    assert len(links) == len(listed[~flagged].drop_duplicates(["metal", "smelter_id"]))
    assert len(links) + flagged.sum() == 1011
    assert not links["source_ref"].str.endswith("page 16").any()
    assert (links["relation"] == "lists_smelter").all()
    assert (links["brand_id"] == "samsung-electronics").all()
    assert (
        links["source_ref"]
        .str.match(
            r"samsung_responsible_minerals_report_2025\.pdf \(sha256 9119e55cbf12\), page \d+"
        )
        .all()
    )
    assert (links["source_id"] == "report:9119e55cbf12e7a8").all()
    assert (links["year"] == 2024).all()


def test_samsung_names_resolve_without_their_ids(samsung):
    """The PDF's names (with their typos) resolved by name alone, scored against the printed ids.

    Rows whose printed id is in RMI's list are the measure: there a wrong id is our error.
    """
    rows = samsung[0].rows
    ref = load_reference()
    truth = rows["smelter_id"]
    blind = rows[["metal", "smelter_name", "country", "ref", "metal_from"]].copy()
    blind["id_as_reported"] = None
    out = resolve_rows(blind, ref)
    in_ref = truth.isin(set(ref.table["smelter_id"]))
    named = out["resolved_by"] == "name"
    correct = named & (out["smelter_id"] == truth)
    precision = correct[in_ref].sum() / named[in_ref].sum()
    recall = correct[in_ref].sum() / in_ref.sum()
    assert precision >= 0.98 and recall >= 0.95, (precision, recall)
