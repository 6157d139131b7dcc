"""The contributions database: all-or-nothing saves, review, approved-only reads, untouched by builds."""

from __future__ import annotations

import hashlib
import sys
import types

import duckdb
import pandas as pd
import pytest

from riskatlas import paths
from riskatlas.contrib import approved_contributions, contribution_facts, store
from riskatlas.contrib.intake import submit_file, submit_form


@pytest.fixture(scope="module")
def geocoder(raw_dir):
    """The real offline gazetteer (riskatlas.geo.geocoder)."""
    from riskatlas.geo.geocoder import geocoder as shared

    return shared(str(raw_dir))


@pytest.fixture
def cdb(tmp_path, monkeypatch):
    """A contributions database in tmp_path (through the environment, as the app finds it)."""
    db = tmp_path / "contributions.duckdb"
    monkeypatch.setenv("RISKATLAS_CONTRIBUTIONS_DB", str(db))
    monkeypatch.setenv("RISKATLAS_DB", str(tmp_path / "atlas.duckdb"))
    return db


def _count(db) -> int:
    if not db.exists():
        return 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM contributions").fetchone()[0]
    finally:
        con.close()


def _good(fixtures_dir, geocoder, name="contrib_good.csv"):
    return submit_file((fixtures_dir / name).read_bytes(), name, geocoder=geocoder)


def test_malformed_uploads_save_nothing(cdb, fixtures_dir, geocoder):
    for name in ("contrib_bad.csv", "contrib_bad.geojson", "contrib_missing_column.csv"):
        res = submit_file((fixtures_dir / name).read_bytes(), name, geocoder=geocoder)
        assert res.errors and res.ids == [], name
        assert _count(cdb) == 0, name  # the good rows of a bad file are not saved either


def test_good_upload_is_pending(cdb, fixtures_dir, geocoder):
    res = _good(fixtures_dir, geocoder)
    assert res.errors == [] and res.ids == [1, 2, 3]
    pending = store.list_contributions("pending")
    assert list(pending["contribution_id"]) == [1, 2, 3]
    assert set(pending["status"]) == {"pending"}
    first = pending.iloc[0]
    assert (first["country_iso3"], first["tier"], first["minerals"]) == (
        "COD",
        "artisanal_mine",
        ["cobalt", "copper"],
    )
    assert first["submitted_via"] == "upload:contrib_good.csv" and first["upload_row"] == 2
    assert pending.iloc[2]["description"] == '=HYPERLINK("https://evil.example/x")'
    assert approved_contributions().empty  # nothing shows before review


def test_same_file_twice_is_refused_whole(cdb, fixtures_dir, geocoder):
    _good(fixtures_dir, geocoder)
    again = _good(fixtures_dir, geocoder)
    assert again.ids == [] and [e.row for e in again.errors] == [2, 3, 4]
    assert "already submitted as contribution 1" in again.errors[0].message
    assert _count(cdb) == 3


def test_a_failure_while_saving_rolls_everything_back(cdb, fixtures_dir, geocoder, monkeypatch):
    real = store._row
    calls = []

    def fail_on_second(*a, **k):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*a, **k)

    monkeypatch.setattr(store, "_row", fail_on_second)
    with pytest.raises(RuntimeError):
        _good(fixtures_dir, geocoder)
    assert len(calls) == 2 and _count(cdb) == 0


def test_approve_then_shown_reject_then_not(cdb, fixtures_dir, geocoder):
    _good(fixtures_dir, geocoder)
    row = store.review(1, "approved", "Maintainer M", note="checked the PDF")
    assert (row["status"], row["reviewed_by"], row["review_note"]) == (
        "approved",
        "Maintainer M",
        "checked the PDF",
    )
    store.review(2, "rejected", "Maintainer M", note="link does not mention the site")
    shown = approved_contributions()
    assert list(shown["contribution_id"]) == [1]
    assert (shown.iloc[0]["label"], shown.iloc[0]["site_key"]) == ("contributed", "contrib:1")
    assert shown.iloc[0]["reviewed_at"] is not None
    facts = contribution_facts("contrib:1")
    assert list(facts[["fact", "source_id", "source_ref"]].iloc[0]) == [
        "contributed_report",
        "contributed",
        "contrib:1",
    ]
    assert facts.iloc[0]["observed_on"].isoformat() == "2023-05-17"
    assert facts.iloc[0]["evidence_url"] == "https://example.org/reports/kasulo-2023.pdf"
    assert contribution_facts("contrib:2").empty  # rejected
    assert contribution_facts("contrib:3").empty  # pending


def test_review_rules(cdb, fixtures_dir, geocoder):
    _good(fixtures_dir, geocoder)
    with pytest.raises(store.UnknownContribution, match="no contribution with id 99"):
        store.review(99, "approved", "M")
    with pytest.raises(store.StoreError, match="--by"):
        store.review(1, "approved", "  ")
    with pytest.raises(store.StoreError, match="note"):
        store.review(1, "rejected", "M")
    store.review(1, "approved", "M")
    with pytest.raises(store.StoreError, match="already approved"):
        store.review(1, "approved", "M")
    with pytest.raises(store.StoreError, match="--force"):
        store.review(1, "rejected", "M", note="evidence withdrawn")
    store.review(1, "rejected", "M", note="evidence withdrawn", force=True)
    assert approved_contributions().empty
    con = duckdb.connect(str(cdb), read_only=True)
    log = con.execute(
        "SELECT status, previous_status FROM reviews ORDER BY reviewed_at, status"
    ).fetchall()
    con.close()
    assert sorted(log) == [("approved", "pending"), ("rejected", "approved")]


def test_reading_a_missing_database_creates_nothing(cdb):
    assert approved_contributions().empty and store.list_contributions().empty
    assert contribution_facts("CID000211").empty
    assert not cdb.exists()


def test_contributions_never_live_in_the_atlas_file(tmp_path, monkeypatch):
    assert paths.DEFAULT_CONTRIBUTIONS_DB != paths.DEFAULT_DB
    monkeypatch.delenv("RISKATLAS_CONTRIBUTIONS_DB", raising=False)
    monkeypatch.delenv("RISKATLAS_DB", raising=False)
    assert paths.contributions_db_path() != paths.db_path()
    same = tmp_path / "atlas.duckdb"
    monkeypatch.setenv("RISKATLAS_DB", str(same))
    monkeypatch.setenv("RISKATLAS_CONTRIBUTIONS_DB", str(same))
    with pytest.raises(store.StoreError, match="build replaces"):
        store.list_contributions()


def test_a_build_leaves_the_contributions_database_alone(
    cdb, tmp_path, fixtures_dir, geocoder, monkeypatch
):
    """Run the build's real write path (adapters stubbed) twice next to a contributions file."""
    import riskatlas.build as build_mod

    _good(fixtures_dir, geocoder)
    store.review(1, "approved", "M")
    before = hashlib.sha256(cdb.read_bytes()).hexdigest()

    raw = tmp_path / "raw"
    raw.mkdir()
    tables = {
        "sources": pd.DataFrame({"source_id": ["x"], "rows_in": [0]}),
        "_stats": pd.DataFrame({"key": ["records"], "value": ["0"]}),
    }
    one = types.SimpleNamespace(tables={"records": pd.DataFrame({"source_ref": ["r1"]})})
    monkeypatch.setattr(build_mod, "run_adapters", lambda raw, progress=None: [one])
    monkeypatch.setattr(build_mod, "assemble", lambda results, raw, progress=None: tables)
    from riskatlas.risk import load_config  # the real weights file: the build records it

    monkeypatch.setitem(
        sys.modules,
        "riskatlas.risk",
        types.SimpleNamespace(compute_risk=lambda con, *a: None, load_config=load_config),
    )
    monkeypatch.setitem(
        sys.modules, "riskatlas.exposure", types.SimpleNamespace(compute_exposure=lambda con: None)
    )
    monkeypatch.setitem(
        sys.modules,
        "riskatlas.derived",
        types.SimpleNamespace(create_derived=lambda con: {"map_sites": 0, "hotspots": 0}),
    )
    for _ in range(2):
        report = build_mod.build(raw=raw, progress=lambda m: None)
        assert report.out == tmp_path / "atlas.duckdb"
    assert hashlib.sha256(cdb.read_bytes()).hexdigest() == before
    assert list(approved_contributions()["contribution_id"]) == [1]
    con = duckdb.connect(str(report.out), read_only=True)
    names = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    con.close()
    assert "contributions" not in names and "sources" in names


def _atlas(path, rows):
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE sites (site_id VARCHAR, name VARCHAR, lat DOUBLE, lon DOUBLE, "
        "geo_precision VARCHAR, country_iso3 VARCHAR)"
    )
    con.executemany("INSERT INTO sites VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.close()


FORM = {
    "site_name": "Smelter X",
    "tier": "smelter_refiner",
    "description": "Strike over unpaid wages.",
    "event_date": "2024-02-01",
    "evidence_url": "https://example.org/strike",
    "contributor": "Metalworkers' Union",
    "country": "China",
}


def test_a_contribution_about_an_atlas_site(cdb, tmp_path, geocoder):
    _atlas(tmp_path / "atlas.duckdb", [("CID000001", "Smelter X", 24.5, 117.6, "city", "CHN")])
    res = submit_form({**FORM, "site_id": "CID000001"}, geocoder=geocoder)
    assert res.errors == [] and res.ids == [1]
    store.review(1, "approved", "M")
    row = approved_contributions().iloc[0]
    assert (row["site_key"], row["location_source"], row["lat"], row["geo_precision"]) == (
        "CID000001",
        "atlas_site",
        24.5,
        "city",
    )
    assert list(contribution_facts("CID000001")["contribution_id"]) == [1]
    bad = submit_form({**FORM, "site_id": "CID999999"}, geocoder=geocoder)
    assert [(e.field, e.message) for e in bad.errors] == [("site_id", "no atlas site has this id")]
    wrong = submit_form({**FORM, "site_id": "CID000001", "country": "Peru"}, geocoder=geocoder)
    assert [e.field for e in wrong.errors] == ["country"]
    assert _count(cdb) == 1


def test_site_id_without_an_atlas_is_an_error(cdb, geocoder):
    res = submit_form({**FORM, "site_id": "CID000001"}, geocoder=geocoder)
    assert "not built" in res.errors[0].message and not cdb.exists()


def test_form_without_a_point_is_placed_by_the_gazetteer(cdb, geocoder):
    res = submit_form({**FORM, "city": "Ganzhou", "province": "Jiangxi"}, geocoder=geocoder)
    assert res.errors == []
    row = store.list_contributions().iloc[0]
    assert (row["location_source"], row["geo_precision"]) == ("gazetteer", "city")
    assert abs(row["lat"] - 25.85) < 0.3 and abs(row["lon"] - 114.93) < 0.3
    assert row["upload_row"] is None or pd.isna(row["upload_row"])


def test_a_file_that_is_not_a_contributions_database(cdb):
    duckdb.connect(str(cdb)).close()  # an empty DuckDB file
    with pytest.raises(store.StoreError, match="not a contributions database"):
        approved_contributions()
