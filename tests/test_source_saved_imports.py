"""Saved imports: a saved file and sidecar become links at the next build; none is no error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from riskatlas import paths
from riskatlas.importer.model import ReportError
from riskatlas.importer.saved import read_sidecar, safe_name, save_import, sidecars
from riskatlas.sources import saved_imports

SMALL = "import_small.csv"
REPO = Path(__file__).resolve().parent.parent


# What riskatlas.contrib.import_queue writes when a maintainer approves a submission.
APPROVAL = {
    "submission_id": 7,
    "approved_by": "A. Maintainer",
    "approved_at": "2026-12-04T10:00:00",
    "review_note": "checked against the brand's site",
}
APPROVED = "; import 7 approved by A. Maintainer on 2026-12-04"


@pytest.fixture(autouse=True)
def _dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKATLAS_IMPORTS", str(tmp_path / "imports"))
    monkeypatch.setenv("RISKATLAS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("RISKATLAS_SUBMISSIONS", str(tmp_path / "submissions"))
    monkeypatch.setenv("RISKATLAS_CONTRIBUTIONS_DB", str(tmp_path / "contributions.duckdb"))


@pytest.fixture
def saved(fixtures_dir):
    data = (fixtures_dir / SMALL).read_bytes()
    return save_import(
        data, SMALL, "Acme Phones Inc.", 2024, saved_by="Field desk", approval=APPROVAL
    )


def test_no_imports_directory_means_zero_rows(raw_dir, tmp_path):
    assert not (tmp_path / "imports").exists()
    res = saved_imports.load(raw_dir)
    assert res.rows_in == 0 and res.rows_rejected == 0 and not res.file_hashes
    assert res.tables["links"].empty and res.tables["records"].empty
    assert {"brand", "record_ref", "relation", "mineral", "year", "source_ref"} <= set(
        res.tables["links"].columns
    )
    assert saved_imports.SOURCE.folder == "" and saved_imports.SOURCE.files == ()
    assert saved_imports.SOURCE.url.startswith("repository file")


def test_imports_dir_is_configurable(tmp_path, monkeypatch):
    assert paths.imports_dir() == tmp_path / "imports"
    assert paths.imports_dir("/x/y") == Path("/x/y")
    monkeypatch.delenv("RISKATLAS_IMPORTS")
    assert paths.imports_dir() == paths.REPO_ROOT / "data" / "imports"


def test_save_writes_the_file_and_its_sidecar(saved, fixtures_dir, tmp_path):
    assert saved.path.parent == tmp_path / "imports"
    assert saved.path.read_bytes() == (fixtures_dir / SMALL).read_bytes()
    meta = json.loads(saved.sidecar.read_text())
    assert meta["brand"] == "Acme Phones" and meta["year"] == 2024
    assert meta["sha256"] == saved.sha256 and len(meta["sha256"]) == 64
    assert meta["original_file_name"] == SMALL and meta["saved_by"] == "Field desk"
    assert meta["saved_at"].endswith("+00:00")
    assert sidecars() == [saved.sidecar]
    assert read_sidecar(saved.sidecar) == saved


def test_next_build_loads_the_saved_import_as_links(saved, raw_dir):
    res = saved_imports.load(raw_dir)
    # 8 smelter rows and 1 line without a smelter; 1 duplicate and that line are rejected.
    assert res.rows_in == 9 and res.rows_loaded == 7 and res.rows_rejected == 2
    cite = f"{SMALL} (sha256 {saved.sha256[:12]}), row"
    assert {r["source_ref"]: r["reason"] for r in res.rejects} == {
        f"{cite} 8{APPROVED}": "no smelter id or name in this table line",
        f"{cite} 10{APPROVED}": f"duplicate (brand, metal, smelter) of {cite} 2{APPROVED}",
    }
    links = res.tables["links"]
    # the approval is part of every link's provenance: in its citation and its own columns
    assert links["source_ref"].str.endswith(APPROVED).all()
    assert (links["approved_by"] == "A. Maintainer").all() and (links["submission_id"] == 7).all()
    links = links.assign(source_ref=links["source_ref"].str.removesuffix(APPROVED))
    links = links.set_index("source_ref")
    assert links.index.str.startswith(cite).all() and links.index.is_unique
    assert (links["brand"] == "Acme Phones").all() and (links["year"] == 2024).all()
    assert links.loc[f"{cite} 2", "record_ref"] == "CID000211"
    assert links.loc[f"{cite} 2", "resolved_by"] == "id"
    # By name against RMI's list (the raw mirror's, never an earlier database).
    huayou = links.loc[f"{cite} 5"]
    assert huayou["resolved_by"] == "name" and huayou["record_ref"] == "CID003225"
    assert huayou["match_score"] >= 88
    # Unresolved rows stay, as smelters of their own.
    assert links.loc[f"{cite} 6", "record_ref"] == "name:unheard of tantalum works@PER"
    assert links.loc[f"{cite} 9", "record_ref"] == "CIDSN9999"
    assert links.loc[f"{cite} 2", "stored_file"] == saved.path.name
    recs = res.tables["records"].set_index("source_ref")
    assert set(links["record_ref"]) == set(recs.index)
    assert recs.loc["CID999998", "rmi_id"] == "CID999998"  # printed, well-formed: taken as given
    assert recs.loc["name:unheard of tantalum works@PER", "rmi_id"] is None
    assert res.file_hashes == {saved.path.name: saved.sha256}


def test_a_changed_or_broken_saved_import_is_one_reject(saved, raw_dir, tmp_path):
    saved.path.write_bytes(saved.path.read_bytes() + b"Tin,Late addition,CID000292,USA,\n")
    broken = tmp_path / "imports" / "broken.csv.json"
    broken.write_text("{not json")
    orphan = tmp_path / "imports" / "gone.csv.json"
    orphan.write_text(json.dumps({"brand": "X", "sha256": "0" * 64, "original_file_name": "g"}))
    res = saved_imports.load(raw_dir)
    assert res.rows_in == 3 == res.rows_rejected and res.tables["links"].empty
    reasons = {r["source_ref"]: r["reason"] for r in res.rejects}
    assert "has changed since it was saved" in reasons[saved.sidecar.name]
    assert "not a readable JSON sidecar" in reasons["broken.csv.json"]
    assert "its file gone.csv is missing" in reasons["gone.csv.json"]


def test_an_unapproved_file_never_reaches_the_build(fixtures_dir, raw_dir):
    """A file in the imports folder without a maintainer's approval (saved before reviews, or
    put there by hand) is one reject, never links."""
    data = (fixtures_dir / SMALL).read_bytes()
    unreviewed = save_import(data, SMALL, "Acme Phones Inc.", 2024)
    res = saved_imports.load(raw_dir)
    assert res.tables["links"].empty and res.rows_rejected == 1
    assert res.rejects[0]["source_ref"] == unreviewed.sidecar.name
    assert "not approved by a maintainer" in res.rejects[0]["reason"]


def test_a_saved_file_that_no_longer_imports_is_a_reject(raw_dir, tmp_path):
    bad = save_import(
        b"<html><body><p>No table here.</p></body></html>", "x.html", "Acme", 2024,
        approval=APPROVAL,
    )  # fmt: skip
    res = saved_imports.load(raw_dir)
    assert res.rows_in == 1 and res.rows_rejected == 1
    assert res.rejects[0]["source_ref"] == bad.sidecar.name
    assert res.rejects[0]["reason"].startswith("saved import cannot be read: no smelter table")


def test_save_refuses_what_it_cannot_keep(tmp_path):
    with pytest.raises(ReportError, match="brand name is needed"):
        save_import(b"x", "a.csv", " ", 2024)
    with pytest.raises(ReportError, match="empty"):
        save_import(b"", "a.csv", "Acme", 2024)
    with pytest.raises(ReportError, match="year must be a number"):
        save_import(b"x", "a.csv", "Acme", "twenty")
    with pytest.raises(ReportError, match="out of range"):
        save_import(b"x", "a.csv", "Acme", 1200)
    with pytest.raises(ReportError, match="no letters or digits"):
        save_import(b"x", "a.csv", "???", None)
    assert not (tmp_path / "imports").exists() or not list((tmp_path / "imports").iterdir())


def test_upload_names_cannot_leave_the_directory(tmp_path):
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\win.ini") == "win.ini"
    assert safe_name("report 2024 (final).pdf") == "report_2024_final_.pdf"
    assert safe_name("") == "upload"
    s = save_import(b"Metal,Smelter ID\nTin,CID000292\n", "../../../outside.csv", "Acme", None)
    assert s.path.parent == tmp_path / "imports" and s.original_file_name == "outside.csv"
    assert not (tmp_path / "outside.csv").exists()


def test_cli_save(tmp_path, fixtures_dir):
    import os

    env = {
        **os.environ,
        "RISKATLAS_IMPORTS": str(tmp_path / "imports"),
        "RISKATLAS_SUBMISSIONS": str(tmp_path / "submissions"),
        "RISKATLAS_CONTRIBUTIONS_DB": str(tmp_path / "contributions.duckdb"),
    }
    proc = subprocess.run(
        [
            sys.executable, "-m", "riskatlas.importer.cli", "import-report",
            str(fixtures_dir / SMALL), "--brand", "Acme Phones", "--year", "2024", "--save",
            "--saved-by", "Night desk",
        ],
        capture_output=True, text=True, cwd=REPO, timeout=120, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    # a submission waiting for review, not an input of the build
    assert "pending review" in proc.stdout and "python -m riskatlas review" in proc.stdout
    assert sidecars(tmp_path / "imports") == []
    from riskatlas.contrib.import_queue import list_submissions

    (sub,) = list_submissions("pending", tmp_path / "contributions.duckdb").to_dict("records")
    assert sub["submitted_by"] == "Night desk" and sub["brand"] == "Acme Phones"
    assert sub["rows_read"] == 8 and sub["rows_rejected"] == 1 and sub["submitted_via"] == "cli"
    assert (tmp_path / "submissions" / sub["stored_file"]).is_file()
