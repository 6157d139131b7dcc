"""The weights the scores rest on: the build records the weights it used, the Sources page shows
those and says which weights the file sets otherwise since (riskatlas.risk.applied)."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from riskatlas.risk import compute_risk, config_path, load_config, weights_table
from riskatlas.risk.applied import weight_changes
from riskatlas.sources.base import sha256_file
from tests.apptest_support import run_app
from tests.fixtures.make_fixture_db import build_fixture_db


def test_the_real_build_records_its_weights_file_and_weights(atlas):
    info = dict(atlas.execute("SELECT key, value FROM build_info").fetchall())
    assert info["weights_file"] == str(config_path())
    assert info["weights_sha256"] == sha256_file(config_path())
    built = atlas.execute("SELECT * FROM risk_weights").df()
    assert weight_changes(built, weights_table()).empty


def test_compute_risk_records_the_weights_it_scored_with(tmp_path):
    db = build_fixture_db(tmp_path / "atlas.duckdb")
    text = config_path().read_text(encoding="utf-8")
    moved = tmp_path / "weights.toml"
    # one weight moved: fh_E3 for factories' labour 1.5 -> 4.0
    old = (
        'fh_E3 = { weight = 1.5, why = "Union freedom is the main safeguard of factory workers." }'
    )
    assert old in text
    moved.write_text(text.replace(old, old.replace("1.5", "4.0")), encoding="utf-8")
    con = duckdb.connect(str(db))
    try:
        compute_risk(con, load_config(moved))
        built = con.execute("SELECT * FROM risk_weights").df()
    finally:
        con.close()
    changes = weight_changes(built, weights_table())
    assert len(changes) == 1
    row = changes.iloc[0]
    assert (row["tier"], row["dimension"], row["indicator"]) == ("factory", "labour", "fh_E3")
    assert (row["in_atlas"], row["in_file"]) == (4.0, 1.5)


def test_a_weight_only_one_side_has_is_a_change():
    table = weights_table()
    changes = weight_changes(table.iloc[1:], table)
    assert len(changes) == 1 and pd.isna(changes.iloc[0]["in_atlas"])
    assert changes.iloc[0]["in_file"] == table.iloc[0]["weight"]


@pytest.fixture
def recorded_db(tmp_path, monkeypatch):
    """The fixture atlas with the weights a build recorded: the file's, one of them moved."""
    db = build_fixture_db(tmp_path / "atlas.duckdb")
    built = weights_table()
    built.loc[0, "weight"] = built.loc[0, "weight"] + 7.0
    con = duckdb.connect(str(db))
    con.register("_w", built)
    con.execute("CREATE TABLE risk_weights AS SELECT * FROM _w")
    con.execute(
        "CREATE TABLE build_info AS SELECT * FROM (VALUES ('built_at', '2026-12-01T10:00:00+00:00'),"
        " ('weights_file', 'somewhere/weights.toml')) t(key, value)"
    )
    con.close()
    monkeypatch.setenv("RISKATLAS_DB", str(db))
    return db, built


def test_sources_page_shows_the_recorded_weights_and_what_the_file_changes(recorded_db):
    _, built = recorded_db
    at = run_app("pages/sources.py")
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    shown = next(f for f in frames if "why" in f.columns and len(f) == len(built))
    first = built.iloc[0]
    hit = shown[
        (shown["tier"] == first["tier"])
        & (shown["dimension"] == first["dimension"])
        & (shown["indicator"] == first["indicator"])
    ]
    assert list(hit["weight"]) == [first["weight"]]  # the atlas's weight, not the file's
    warnings = " ".join(w.value for w in at.warning)
    assert "weights.toml has changed since this atlas was built: 1 weight differs" in warnings
    changed = next(f for f in frames if "in_atlas" in f.columns)
    assert list(changed["in_atlas"]) == [first["weight"]]
    assert "recorded by the build on 2026-12-01 from weights.toml" in " ".join(
        c.value for c in at.caption
    )


def test_sources_page_says_nothing_changed_when_the_file_matches(tmp_path, monkeypatch):
    db = build_fixture_db(tmp_path / "atlas.duckdb")
    con = duckdb.connect(str(db))
    con.register("_w", weights_table())
    con.execute("CREATE TABLE risk_weights AS SELECT * FROM _w")
    con.close()
    monkeypatch.setenv("RISKATLAS_DB", str(db))
    at = run_app("pages/sources.py")
    assert not at.exception
    assert not [w for w in at.warning if "weight" in w.value]


def test_sources_page_warns_when_the_weights_file_is_broken(recorded_db, tmp_path, monkeypatch):
    bad = tmp_path / "bad.toml"
    shutil.copy(config_path(), bad)
    bad.write_text("[model\n", encoding="utf-8")
    monkeypatch.setenv("RISKATLAS_WEIGHTS", str(bad))
    at = run_app("pages/sources.py")
    assert not at.exception
    assert any("cannot be read" in w.value and "not valid TOML" in w.value for w in at.warning)
