"""Reports without RMI ids resolve by name + country; precision is measured against hand oracles.

Fixtures: importer_noid_skyworks.html is Skyworks' 2025 smelter table with its id column
removed and its columns reordered (name, country, metal); importer_noid_garrett.csv is
Garrett's with ids and no country (semicolon separated). The *_oracle.csv files list a sample
of their rows (every 5th / 8th) with the true id copied from the original filing.
"""

from __future__ import annotations

import pandas as pd
import pytest

from riskatlas.importer import import_report
from riskatlas.importer.rmi_match import resolve_rows
from riskatlas.importer.rmi_reference import load_reference, reference_from_csv, smelter_key

CASES = {
    "skyworks": ("importer_noid_skyworks.html", "importer_noid_skyworks_oracle.csv", 194),
    "garrett": ("importer_noid_garrett.csv", "importer_noid_garrett_oracle.csv", 333),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_report_without_ids_resolves_by_name(fixtures_dir, case):
    fixture, oracle_file, n = CASES[case]
    result = import_report(fixtures_dir / fixture, "Example Corp.", 2025)
    rows = result.rows
    assert len(rows) == n
    assert not (rows["resolved_by"] == "id").any()
    assert rows["id_as_reported"].isna().all()

    oracle = pd.read_csv(fixtures_dir / oracle_file, dtype=str)
    assert len(oracle) >= 30
    # Join the sample to the output on the printed name and metal (both unique in the sample).
    rows = rows.assign(metal_key=rows["metal_as_reported"].str.lower())
    sample = oracle.assign(metal_key=oracle["metal"].str.lower()).merge(
        rows, on=["metal_key", "smelter_name"], how="left", validate="one_to_one"
    )
    assert sample["resolved_by"].notna().all()  # every sampled row was found
    named = sample["resolved_by"] == "name"
    correct = named & (sample["smelter_id"] == sample["true_smelter_id"])
    precision = correct.sum() / named.sum()
    recall = correct.sum() / len(sample)
    print(f"{case}: precision {precision:.3f}, recall {recall:.3f} on {len(sample)} rows")
    assert precision >= 0.97, sample[named & ~correct]
    assert recall >= 0.9, sample[~correct]
    # A resolved row carries its score; an unresolved one no id at all.
    assert (result.rows.loc[result.rows["resolved_by"] == "name", "match_score"] >= 88).all()
    assert result.rows.loc[result.rows["resolved_by"] == "unresolved", "smelter_id"].isna().all()


def test_renamed_smelter_stays_unresolved_and_is_shown(fixtures_dir):
    """Garrett's 'SOLEIL METALS (YAKARI Plant)' is in no RMI name or alias: shown, not guessed."""
    rows = import_report(fixtures_dir / "importer_noid_garrett.csv", "Garrett", 2025).rows
    row = rows[rows["smelter_name"] == "SOLEIL METALS (YAKARI Plant)"].iloc[0]
    assert row["resolved_by"] == "unresolved"
    assert pd.isna(row["smelter_id"])
    assert row["match_score"] < 88
    assert row["ref"].startswith("row ")


def test_rockwell_names_resolve_without_their_ids(raw_dir):
    """Rockwell's printed names, resolved by name alone, against its printed RMI ids."""
    path = raw_dir / "brand_form_sd_smelter_lists_2025" / "originals" / "rockwellautomation.html"
    rows = import_report(path, "Rockwell Automation", 2025).rows
    ref = load_reference()
    truth = rows["smelter_id"]
    blind = rows[["metal", "smelter_name", "country", "ref", "metal_from"]].assign(
        id_as_reported=None
    )
    out = resolve_rows(blind, ref)
    in_ref = truth.isin(set(ref.table["smelter_id"]))
    named = out["resolved_by"] == "name"
    correct = named & (out["smelter_id"] == truth)
    precision = correct[in_ref].sum() / named[in_ref].sum()
    recall = correct[in_ref].sum() / in_ref.sum()
    assert in_ref.sum() >= 400
    assert precision >= 0.98 and recall >= 0.95, (precision, recall)


def test_same_reduced_name_two_smelters_is_a_tie_unless_the_legal_form_decides(raw_dir):
    ref = reference_from_csv(
        raw_dir / "rmi_smelter_reference_list" / "rmi_smelter_facilities_latest.csv"
    )
    rows = pd.DataFrame(
        {
            "metal": ["tantalum", "tantalum", "aluminium", "gold", "gold"],
            "smelter_name": [
                "TANIOBIS GmbH",
                "TANIOBIS Co., Ltd.",
                "Green Posture, Lda",  # two RMI ids carry this very name
                "Emerald Jewel Industry India Limited (Unit 2)",
                "Jiangxi Copper Co., Ltd.",
            ],
            "country": [None, None, "Portugal", "India", "China"],
            "id_as_reported": None,
            "metal_from": "row",
        }
    )
    out = resolve_rows(rows, type("R", (), {"table": ref, "origin": "test"})())
    assert list(out["resolved_by"]) == ["name", "name", "unresolved", "name", "name"]
    assert out.at[0, "smelter_id"] == "CID002545" and out.at[1, "smelter_id"] == "CID002544"
    assert pd.isna(out.at[2, "smelter_id"])
    assert out.at[3, "smelter_id"] == "CID003488"  # not Unit 1, 3 or 4
    assert out.at[4, "smelter_id"] == "CID000855"


def test_country_mismatch_lowers_the_score():
    ref = pd.DataFrame(
        {
            "smelter_id": ["CID000001", "CID000002"],
            "metal": ["Gold", "Gold"],
            "mineral": ["gold", "gold"],
            "standard_smelter_name": ["Alpha Refining", "Beta Metals"],
            "country_iso3": ["CHE", "JPN"],
            "aliases": [[], []],
        }
    )
    rows = pd.DataFrame(
        {
            "metal": ["gold", "gold", "gold"],
            "smelter_name": ["Alpha Refining SA", "Alpha Refining", "Gamma Gold"],
            "country": ["Switzerland", "Japan", "Peru"],
            "id_as_reported": None,
            "metal_from": "row",
        }
    )
    out = resolve_rows(rows, type("R", (), {"table": ref, "origin": "test"})())
    assert list(out["resolved_by"]) == ["name", "unresolved", "unresolved"]
    assert out.at[0, "smelter_id"] == "CID000001" and out.at[0, "match_score"] == 100
    assert out.at[1, "match_score"] == 85  # 100 less the country penalty


def test_smelter_key_drops_legal_forms_and_punctuation():
    assert smelter_key("Jiangxi Copper Co., Ltd.") == "jiangxi copper"
    assert smelter_key("JIANGXI COPPER COMPANY LIMITED") == "jiangxi copper"
    assert smelter_key("Argor-Heraeus S.A.") == "argor heraeus"
    assert smelter_key("Mineração Taboca S.A.") == "mineracao taboca"
    assert smelter_key("A.L.M.T. Corp.") == "almt"
    assert smelter_key("PT Timah Tbk") == "timah"
    assert smelter_key("Co., Ltd.") == "co ltd"  # nothing but legal words: kept


def test_without_a_reference_ids_still_resolve_and_names_stay_unresolved(raw_dir, fixtures_dir):
    from riskatlas.importer.rmi_reference import REF_COLUMNS

    empty = pd.DataFrame(columns=REF_COLUMNS)
    path = raw_dir / "brand_form_sd_smelter_lists_2025" / "originals" / "honda.html"
    rows = import_report(path, "Honda", 2025, reference=empty).rows
    assert (rows["resolved_by"] == "id").all() and not rows["id_in_reference"].any()
    rows = import_report(fixtures_dir / "importer_noid_skyworks.html", "X", reference=empty).rows
    assert (rows["resolved_by"] == "unresolved").all() and rows["smelter_id"].isna().all()
