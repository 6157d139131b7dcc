"""The RMI adapter on the real template workbooks and on small broken workbooks made in the test."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from riskatlas.minerals import VOCABULARY
from riskatlas.sources import rmi
from riskatlas.sources.base import RECORD_COLUMNS, SourceError

ORACLE = "rmi_smelter_facilities_latest.csv"
REFERENCE_COLUMNS = [
    "smelter_id",
    "metal",
    "mineral",
    "standard_smelter_name",
    "country_iso3",
    "country_raw",
    "state_province",
    "city",
    "aliases",
    "in_latest_template",
]
# sha256 of the four workbooks as SOURCE.md lists them
SHA256 = {
    "originals/RMI_CMRT_6.5.xlsx": "defb22e674e2cac87b2c6342c3797a42a09effcc772ddcce18633a65790de208",
    "originals/RMI_EMRT_2.1.xlsx": "82a0b8d2c0eca838224480f9029d70d6547444f02f7796dbd891d6a0d7cde459",
    "originals/RMI_CRT_2.21.xlsx": "63a82fcfe0af5544697b82ccd9b34b8abf0880c94ede8e09c5a6ceb88c0bda6f",
    "originals/RMI_AMRT_1.3.xlsx": "333661fb19d090d4ed0bb10594460000ff30a137387e8dec955346169a3765b8",
}


@pytest.fixture(scope="module")
def result(raw_dir):
    return rmi.load(raw_dir)


@pytest.fixture(scope="module")
def reference(result):
    return result.tables["rmi_reference"].set_index("smelter_id")


@pytest.fixture(scope="module")
def records(result):
    return result.tables["records"].set_index("source_ref")


@pytest.fixture(scope="module")
def oracle(raw_dir):
    path = raw_dir / rmi.SOURCE.folder / ORACLE
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("smelter_id")


def _squash(s: str) -> str:
    return " ".join(str(s).split())


def test_every_lookup_row_is_loaded_or_rejected(result):
    # 1,324 rows in the four workbooks (106 + 637 + 90 + 491, placeholders included) plus
    # 4,277 rows of the 11 older versions in the all-versions CSV (5,581 - 1,304 of the four)
    assert result.rows_in == 5601
    assert result.rows_rejected == 136
    assert result.rows_loaded == result.rows_in - result.rows_rejected == 5465
    assert set(result.file_hashes) == set(rmi.SOURCE.files)
    for name, digest in SHA256.items():
        assert result.file_hashes[name] == digest


def test_placeholders_are_rejected_with_their_reason(result):
    reasons = pd.Series([r["reason"] for r in result.rejects]).value_counts()
    assert reasons.to_dict() == {
        "placeholder row 'Smelter not listed' (a template choice, not a facility)": 68,
        "placeholder row 'Smelter not yet identified' (a template choice, not a facility)": 68,
    }
    # AMRT 1.3 has 20 placeholder rows whose metal formula is cached as 0: rejected too
    amrt = [r for r in result.rejects if r["source_ref"].startswith("AMRT_1.3!")]
    assert len(amrt) == 44
    assert sum("metal=0;" in r["raw"] for r in amrt) == 20


def test_one_record_per_smelter_id_matching_the_latest_listing(records, reference, oracle):
    assert len(records) == 786
    assert records.index.is_unique and records.index.is_monotonic_increasing
    assert set(records.index) == set(oracle.index)
    joined = reference.join(oracle, rsuffix="_oracle")
    assert (joined["city"] == joined["city_oracle"]).all()
    assert (joined["country_raw"] == joined["country"]).all()
    assert (joined["state_province"] == joined["state_province_oracle"]).all()
    assert (joined["metal"] == joined["metal_oracle"]).all()
    names = joined["standard_smelter_name_oracle"].map(_squash)
    assert (joined["standard_smelter_name"] == names).all()
    latest = joined["in_latest_template_oracle"] == "True"
    assert (joined["in_latest_template"] == latest).all()
    assert (~reference["in_latest_template"]).sum() == 73
    seen = joined["templates_seen"].map(";".join)
    assert (seen == joined["templates_seen_oracle"]).all()


def test_records_follow_the_contract(records):
    assert list(records.reset_index().columns[: len(RECORD_COLUMNS)]) == RECORD_COLUMNS
    assert (records["tier"] == "smelter_refiner").all()
    assert (records["rmi_id"] == records.index).all()
    assert records["lat"].isna().all() and records["lon"].isna().all()
    assert records["geo_precision"].isna().all()  # the build geocodes them
    assert records["country_iso3"].str.fullmatch(r"[A-Z]{3}").all()
    minerals = {m for ms in records["minerals"] for m in ms}
    assert minerals <= set(VOCABULARY)
    # Lime and Soda Ash (AMRT) are not in the mineral vocabulary: their metal stays as printed
    no_mineral = records[records["minerals"].map(len) == 0]
    assert set(no_mineral["metal"]) == {"Lime", "Soda Ash"}


def test_known_smelter_cid000211(records, reference):
    rec = records.loc["CID000211"]
    assert rec["name"] == "Changsha South Tantalum Niobium Co., Ltd."
    assert rec["country_iso3"] == "CHN" and rec["city"] == "Changsha"
    assert rec["province"] == "Hunan Sheng"
    assert rec["minerals"] == ["tantalum"]
    assert reference.loc["CID000211", "aliases"] == ["Changsha Southern"]


def test_reference_table_keeps_every_alias(reference, oracle):
    assert list(reference.reset_index().columns[: len(REFERENCE_COLUMNS)]) == REFERENCE_COLUMNS
    for sid, aliases in oracle["aliases"].items():
        expected = {_squash(a) for a in aliases.split(" | ") if a}
        assert expected <= set(reference.loc[sid, "aliases"]), sid
    # Chinese-script names are kept for matching brand lists
    assert "洛阳栾川钼业集团钨业有限公司" in reference.loc["CID002641", "aliases"]
    # an ID renamed across versions keeps its former name
    assert "PRG Dooel" in reference.loc["CID002847", "aliases"]
    assert reference.loc["CID002847", "city"] == "Balin Dol"


def _raw_copy(tmp_path: Path, raw_dir: Path) -> Path:
    """A raw directory linking the real files, to replace one of them with a broken one."""
    src = raw_dir / rmi.SOURCE.folder
    dst = tmp_path / rmi.SOURCE.folder
    (dst / "originals").mkdir(parents=True)
    for name in rmi.SOURCE.files:
        (dst / name).symlink_to(src / name)
    return tmp_path


def _replace(raw: Path, name: str, wb: Workbook) -> None:
    target = raw / rmi.SOURCE.folder / name
    target.unlink()
    wb.save(target)


def test_workbook_without_lookup_sheet_is_a_source_error(tmp_path, raw_dir):
    raw = _raw_copy(tmp_path, raw_dir)
    wb = Workbook()
    wb.active.title = "Declaration"
    wb.active["A1"] = "not a smelter list"
    _replace(raw, "originals/RMI_EMRT_2.1.xlsx", wb)
    with pytest.raises(SourceError, match=r"RMI_EMRT_2\.1\.xlsx has no 'Smelter Look-up' sheet"):
        rmi.load(raw)


def test_lookup_sheet_with_shifted_columns_is_a_source_error(tmp_path, raw_dir):
    raw = _raw_copy(tmp_path, raw_dir)
    wb = Workbook()
    ws = wb.active
    ws.title = rmi.SHEET
    ws.append(["note"])
    ws.append([])
    ws.append([])
    ws.append(["Metal", "Look-up", "Standard name", "Country", "ID", "Source"])
    # an extra column before the ID: the country lands in E and the ID in F
    ws.append(["Gold", "X Refinery", "X Refinery", "", "JAPAN", "CID000019", "RMI"])
    _replace(raw, "originals/RMI_CMRT_6.5.xlsx", wb)
    with pytest.raises(SourceError, match="no smelter ID"):
        rmi.load(raw)


def test_file_that_is_not_a_workbook_is_a_source_error(tmp_path, raw_dir):
    raw = _raw_copy(tmp_path, raw_dir)
    target = raw / rmi.SOURCE.folder / "originals/RMI_AMRT_1.3.xlsx"
    target.unlink()
    target.write_text("smelter_id,city\nCID000001,Nowhere\n")
    with pytest.raises(SourceError, match="not a readable xlsx"):
        rmi.load(raw)


def test_all_versions_csv_with_wrong_header_is_a_source_error(tmp_path, raw_dir):
    raw = _raw_copy(tmp_path, raw_dir)
    target = raw / rmi.SOURCE.folder / rmi.ALL_VERSIONS
    target.unlink()
    target.write_text("template,version,smelter\nCMRT,6.4,CID000019\n")
    with pytest.raises(SourceError, match="lacks columns"):
        rmi.load(raw)


def test_missing_file_is_named(tmp_path, raw_dir):
    raw = _raw_copy(tmp_path, raw_dir)
    (raw / rmi.SOURCE.folder / "originals/RMI_CRT_2.21.xlsx").unlink()
    with pytest.raises(SourceError, match="RMI_CRT_2.21.xlsx"):
        rmi.load(raw)


def test_source_metadata():
    assert rmi.SOURCE.source_id == "rmi"
    assert rmi.SOURCE.url.startswith("https://www.responsiblemineralsinitiative.org/")
    assert all(f in rmi.SOURCE.fetch_urls for f in rmi.SOURCE.files if f.endswith(".xlsx"))
