"""The one schema (queries/schema_*.sql, riskatlas.schema): the real build, the fixtures and the
contributions store hold exactly what it declares, and the checker catches a drift."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from riskatlas import schema, sources
from riskatlas.contrib import store
from riskatlas.paths import REPO_ROOT
from tests.fixtures.make_fixture_db import build_fixture_db
from tests.fixtures.risk_fixture import load_risk_fixture


def _drifted(area: str, old: str, new: str) -> dict[str, list[tuple[str, str]]]:
    """The layout of ``area`` with one edit to its declaration text."""
    text = (REPO_ROOT / "queries" / f"schema_{area}.sql").read_text(encoding="utf-8")
    assert old in text
    return schema.layout_of(schema.parse(text.replace(old, new, 1), area))


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    path = build_fixture_db(tmp_path_factory.mktemp("fx") / "atlas.duckdb")
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def risk_db():
    con = load_risk_fixture(duckdb.connect())
    yield con
    con.close()


def _adapter_source_ids() -> set[str]:
    return {sources.adapter(name).SOURCE.source_id for name in sources.ADAPTERS}


def test_every_area_declares_tables_once():
    seen: dict[str, str] = {}
    for area in schema.AREAS:
        objs = schema.objects(area)
        assert objs, area
        for name in objs:
            assert name not in seen, f"{name} in schema_{area}.sql and schema_{seen[name]}.sql"
            seen[name] = area
    files = {p.stem for p in (REPO_ROOT / "queries").glob("schema_*.sql")}
    assert files == {f"schema_{a}" for a in schema.AREAS}


def test_real_build_has_exactly_the_declared_tables_columns_and_types(atlas):
    assert schema.differences(atlas) == []
    declared = schema.layout()
    have = schema.actual(atlas)
    assert set(have) == set(declared)
    assert have["sites"][:3] == [("site_id", "VARCHAR"), ("name", "VARCHAR"), ("tier", "VARCHAR")]
    assert dict(have["map_sites"])["mineral_bits"] == "UHUGEINT"
    assert dict(have["sites"])["minerals"] == "VARCHAR[]"


def test_app_fixture_matches_the_schema(fixture_db):
    assert schema.differences(fixture_db, complete=False) == []
    # every table the Map and the pages read is there
    assert {"sites", "links", "map_sites", "brand_hits", "site_risk"} <= set(
        schema.actual(fixture_db)
    )


def test_risk_fixture_matches_the_schema(risk_db):
    assert schema.differences(risk_db, complete=False) == []
    from riskatlas.exposure import compute_exposure
    from riskatlas.risk import compute_risk

    compute_risk(risk_db)
    compute_exposure(risk_db)
    assert schema.differences(risk_db, complete=False) == []
    assert {"risk_components", "site_risk", "inferred_exposure"} <= set(schema.actual(risk_db))


@pytest.mark.parametrize("table", ["sources", "links", "site_facts", "country_indicators", "sites"])
def test_fixture_source_ids_are_the_adapters(fixture_db, risk_db, table):
    """The drift this schema ended: fixtures citing freedom_house, wgi, what_a_waste while the
    adapters write freedom_house_fiw, world_bank_wgi, world_bank_what_a_waste."""
    real = _adapter_source_ids()
    assert {"freedom_house_fiw", "world_bank_wgi", "world_bank_what_a_waste"} <= real
    for con in (fixture_db, risk_db):
        got = {r[0] for r in con.execute(f"SELECT DISTINCT source_id FROM {table}").fetchall()}  # noqa: S608 - parametrised constant
        assert got - {None} <= real, (table, got - real)


def test_contributions_store_matches_the_schema(tmp_path):
    db = tmp_path / "contrib.duckdb"
    with store.connect(db) as con:
        assert schema.differences(con, ("contrib",)) == []


def test_old_contributions_file_is_migrated_to_the_schema(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE reviews (contribution_id INTEGER, status VARCHAR, previous_status VARCHAR, "
        "reviewed_by VARCHAR, reviewed_at TIMESTAMP, review_note VARCHAR)"
    )
    con.execute(
        "INSERT INTO reviews VALUES (7, 'approved', 'pending', 'ana', '2025-01-02 03:04:05', NULL)"
    )
    con.close()
    with store.connect(db) as con:
        assert schema.differences(con, ("contrib",)) == []
        assert con.execute("SELECT contribution_id, status FROM reviews").fetchall() == [
            (7, "approved")
        ]


def test_the_checker_catches_a_retyped_column(atlas):
    drifted = _drifted(
        "core",
        "    lat DOUBLE,\n    lon DOUBLE,\n    geo_precision",
        "    lat FLOAT,\n    lon DOUBLE,\n    geo_precision",
    )
    diff = schema.differences(atlas, declared={**schema.layout(), **drifted})
    assert diff == ["sites.lat: declared FLOAT, is DOUBLE"]


def test_the_checker_catches_renamed_dropped_and_undeclared(atlas):
    drifted = _drifted(
        "derived", "    route VARCHAR,\n    via_site_id", "    route_code VARCHAR,\n    via_site_id"
    )
    diff = schema.differences(atlas, declared={**schema.layout(), **drifted})
    assert "inferred_exposure.route_code: declared but missing" in diff
    assert "inferred_exposure.route: not declared" in diff

    declared = schema.layout()
    del declared["weee"]
    declared["ghost"] = [("a", "INTEGER")]
    diff = schema.differences(atlas, declared=declared)
    assert "weee: table not declared in queries/schema_*.sql" in diff
    assert "ghost: declared but missing" in diff
    assert "ghost: declared but missing" not in schema.differences(
        atlas, declared=declared, complete=False
    )


def test_the_checker_catches_a_column_added_to_a_database(tmp_path):
    con = duckdb.connect()
    schema.create(con, "brands")
    assert schema.differences(con, complete=False) == []
    con.execute("ALTER TABLE brands ADD COLUMN slug VARCHAR")
    assert schema.differences(con, complete=False) == ["brands.slug: not declared"]
    con.execute("ALTER TABLE brands DROP COLUMN slug")
    con.execute("ALTER TABLE brands DROP COLUMN name")
    con.execute("ALTER TABLE brands ADD COLUMN name VARCHAR")  # same columns, same order
    assert schema.differences(con, complete=False) == []
    con.execute("CREATE TABLE extra AS SELECT 1 AS x")
    assert schema.differences(con, complete=False) == [
        "extra: table not declared in queries/schema_*.sql"
    ]
    with pytest.raises(schema.SchemaError, match="extra: table not declared"):
        schema.check(con, complete=False)


def test_columns_out_of_order_are_a_difference():
    con = duckdb.connect()
    con.execute("CREATE TABLE brands (name VARCHAR, brand_id VARCHAR)")
    assert schema.differences(con, complete=False) == [
        "brands: columns in another order than declared"
    ]


def test_write_refuses_an_undeclared_column_and_casts_to_declared_types():
    con = duckdb.connect()
    with pytest.raises(schema.SchemaError, match=r"links: column\(s\) colour not declared"):
        schema.write(con, "links", pd.DataFrame({"brand_id": ["a"], "colour": ["red"]}))
    with pytest.raises(schema.SchemaError, match="'nowhere' is not declared"):
        schema.write(con, "nowhere", pd.DataFrame({"a": [1]}))
    schema.write(con, "links", pd.DataFrame({"brand_id": ["a"], "year": [2024.0]}))
    assert schema.differences(con, complete=False) == []
    assert con.execute("SELECT brand_id, year, site_id FROM links").fetchall() == [
        ("a", 2024, None)
    ]


def test_statement_modes():
    assert schema.statement("brands").startswith("CREATE TABLE brands")
    assert schema.statement("brands", "replace").startswith("CREATE OR REPLACE TABLE brands")
    assert schema.statement("meta", "if_not_exists").startswith("CREATE TABLE IF NOT EXISTS meta")
    with pytest.raises(ValueError):
        schema.statement("brands", "drop")
    with pytest.raises(schema.SchemaError):
        schema.parse("DROP TABLE sites;", "core")
    with pytest.raises(schema.SchemaError, match="declared twice"):
        schema.parse("CREATE TABLE a (x INTEGER);\nCREATE TABLE a (y INTEGER);", "core")


def test_column_constants_are_read_from_the_schema():
    from riskatlas.exposure import COLUMNS
    from riskatlas.risk.score import COMPONENT_COLUMNS, RISK_COLUMNS
    from riskatlas.sources.base import RECORD_COLUMNS

    assert COLUMNS == schema.columns("inferred_exposure")
    assert COMPONENT_COLUMNS == schema.columns("risk_components")
    assert RISK_COLUMNS == schema.columns("site_risk")
    assert RECORD_COLUMNS == schema.columns("records")
    from riskatlas.contrib.import_queue import COLUMNS as SUBMISSION_COLUMNS
    from riskatlas.contrib.store import COLUMNS as CONTRIBUTION_COLUMNS
    from riskatlas.importer.rmi_reference import REF_COLUMNS

    assert list(SUBMISSION_COLUMNS) == schema.columns("import_submissions")
    assert set(schema.columns("contributions")) - set(CONTRIBUTION_COLUMNS) == {"fingerprint"}
    assert REF_COLUMNS == schema.columns("rmi_reference")[: len(REF_COLUMNS)]
