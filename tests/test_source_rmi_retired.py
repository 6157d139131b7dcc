"""The retired RMI smelter ID adapter on the real mirror, and on small broken copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.sources import rmi_retired
from riskatlas.sources.base import RECORD_COLUMNS, SourceError


@pytest.fixture(scope="module")
def result(raw_dir):
    return rmi_retired.load(raw_dir)


def test_every_row_is_loaded_or_rejected_with_its_reason(result):
    assert result.rows_in == 834
    assert result.rows_loaded + result.rows_rejected == 834
    # the malformed 7-digit id SOURCE.md names, and line 325 whose id is the text 'nan'
    reasons = sorted(r["reason"] for r in result.rejects)
    assert reasons == [
        "smelter ID 'CID0040334' is not of the form CIDnnnnnn",
        "smelter ID 'nan' is not of the form CIDnnnnnn",
    ]


def test_one_record_per_id_with_name_and_country_and_no_invented_place(result):
    rec = result.tables["records"]
    assert list(rec.columns[: len(RECORD_COLUMNS)]) == RECORD_COLUMNS
    assert rec["source_ref"].is_unique
    assert rec["source_ref"].str.fullmatch(r"CID\d{6}").all()
    assert rec["lat"].isna().all() and rec["city"].isna().all()
    ketai = rec.set_index("source_ref").loc["CID000244"]
    assert ketai["name"] == "Jiangxi Ketai Advanced Material Co., Ltd."
    assert ketai["country_iso3"] == "CHN"
    assert ketai["minerals"] == ["tin"]


def test_removal_is_a_dated_fact_with_rmi_reason(result):
    facts = result.tables["site_facts"]
    removed = facts[(facts["record_ref"] == "CID000244") & (facts["fact"] == "rmi_removed")]
    assert removed["value"].tolist() == [
        "removed by RMI on 2018-09-18: No longer an operating smelter / refiner"
    ]
    assert removed["observed_on"].tolist() == ["2018-09-18"]
    assert removed["source_ref"].str.startswith("retired_smelter_ids.csv!line").all()


def test_renames_become_aliases_the_importer_can_read(result, raw_dir):
    al = result.tables["rmi_aliases"]
    hermsdorf = al[al["smelter_id"] == "CID002547"]
    assert "QSIL Metals Hermsdorf GmbH" in hermsdorf["alias"].tolist()
    assert set(al.columns) == set(rmi_retired.ALIAS_COLUMNS)
    names = rmi_retired.aliases(raw_dir)
    assert "QSIL Metals Hermsdorf GmbH" in names["CID002547"]


def test_missing_columns_are_a_source_error(tmp_path: Path):
    folder = tmp_path / rmi_retired.SOURCE.folder
    folder.mkdir()
    (folder / rmi_retired.FILE).write_text("smelter_id,name\nCID000001,X\n", encoding="utf-8")
    with pytest.raises(SourceError, match="rmi_retired: .* lacks the retired smelter ID columns"):
        rmi_retired.load(tmp_path)


def test_bad_date_and_missing_name_are_rejects(tmp_path: Path, raw_dir):
    src = (raw_dir / rmi_retired.SOURCE.folder / rmi_retired.FILE).read_text(encoding="utf-8")
    header = src.splitlines()[0]
    cols = header.split(",")
    row = dict.fromkeys(cols, "")
    bad_date = {**row, "smelter_id": "CID000001", "name": "A", "revision_date": "18/09/2018"}
    no_name = {**row, "smelter_id": "CID000002"}
    lines = [header] + [",".join(r[c] for c in cols) for r in (bad_date, no_name)]
    folder = tmp_path / rmi_retired.SOURCE.folder
    folder.mkdir()
    (folder / rmi_retired.FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = rmi_retired.load(tmp_path)
    assert res.rows_in == 2 and res.rows_loaded == 0
    assert [r["reason"] for r in res.rejects] == [
        "revision date '18/09/2018' is not YYYY-MM-DD",
        "no smelter name",
    ]
