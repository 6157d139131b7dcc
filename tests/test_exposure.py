"""Inferred exposure: routes from listed smelters to mines, labelled inferred, never in links."""

from __future__ import annotations

import duckdb
import pytest

from riskatlas import schema
from riskatlas.exposure import COVERED_COUNTRIES, compute_exposure, sourcing_countries
from tests.fixtures.risk_fixture import load_risk_fixture

CONTRACT = schema.columns("inferred_exposure")  # queries/schema_derived.sql


@pytest.fixture()
def con():
    c = duckdb.connect()
    load_risk_fixture(c)
    yield c
    c.close()


def test_sourcing_codes_to_countries():
    assert COVERED_COUNTRIES == ("AGO", "BDI", "CAF", "COG", "RWA", "SSD", "TZA", "UGA", "ZMB")
    got = sourcing_countries("DRC, HR, LR, CC ,R/S", "N/A")
    assert [c for c, _, _ in got] == ["COD", *COVERED_COUNTRIES]
    assert {how for _, _, how in got} == {"direct"}
    assert [c for c, code, how in sourcing_countries("R/S", "HR,CC") if how == "indirect"] == list(
        COVERED_COUNTRIES
    )
    assert sourcing_countries("LR, HR, DRC.", None) == [("COD", "DRC", "direct")]
    for nothing in (
        "N/A",
        "***",
        "LR, R/S",
        "See aggregated data below for LBMA Good Delivery Sourcing and RJC Sourcing",
        "See aggregated data below for TI-CMC Sourcing",
        None,
        "",
    ):
        assert sourcing_countries(nothing, nothing) == []


def test_routes_on_the_fixture(con):
    links_before = con.execute("SELECT * FROM links ORDER BY ALL").fetchall()
    stats = compute_exposure(con)
    df = con.execute("SELECT * FROM inferred_exposure").df()
    assert list(df.columns) == CONTRACT
    assert stats["rows"] == len(df) == 10
    # nothing inferred is ever written to links
    assert con.execute("SELECT * FROM links ORDER BY ALL").fetchall() == links_before
    # one row per brand, mineral and site; only mines; every row says it is inferred
    assert not df.duplicated(["brand_id", "mineral", "site_id"]).any()
    assert set(df["tier"]) <= {"mine", "artisanal_mine"}
    assert df["explanation"].str.startswith("Inferred, not documented").all()
    rows = {(r.brand_id, r.mineral, r.site_id): r for r in df.itertuples()}

    # Samsung's tin smelter sources directly from the DRC and CC: Rwanda's tin mine, via CC only
    rw = rows[("samsung-electronics", "tin", "icmm:RW1")]
    assert (rw.route, rw.via_site_id, rw.via_country_iso3, rw.source_id) == (
        "smelter_sourcing",
        "CID000001",
        "RWA",
        "samsung_rmr_2025",
    )
    assert "covered countries (CC), which include RWA" in rw.explanation
    assert rw.source_ref == "samsung_rmr_2025 p25 r10"
    # the DRC tin site: both routes
    drc = rows[("samsung-electronics", "tin", "codmine00003")]
    assert drc.route == "smelter_sourcing,ilab_goods_list"
    assert drc.via_smelter_sourcing and drc.via_ilab_goods_list
    assert "sourcing directly from the DRC" in drc.explanation and "ILAB" in drc.explanation
    # Rockwell's Form SD gives no sourcing countries: the goods list is its only route
    rk = df[df["brand_id"] == "rockwell-automation"]
    assert set(rk["route"]) == {"ilab_goods_list"} and set(rk["source_id"]) == {"ilab_goods"}
    assert ("rockwell-automation", "tin", "icmm:RW1") not in rows  # Rwanda tin is not on the List
    assert rows[("rockwell-automation", "gold", "icmm:PE1")].via_country_iso3 == "PER"
    # coltan: the tantalum smelter reaches the DRC coltan site through the goods list
    assert rows[("samsung-electronics", "tantalum", "codmine00004")].route == "ilab_goods_list"
    # an unresolved link and a supplier link infer nothing; a lithium mine next to a derived
    # battery entry is not flagged
    assert "icmm:CN1" not in set(df["site_id"]) and "icmm:AU1" not in set(df["site_id"])


def test_no_links_no_rows(con):
    con.execute("DELETE FROM links")
    assert compute_exposure(con)["rows"] == 0
    assert con.execute("SELECT count(*) FROM inferred_exposure").fetchone()[0] == 0


def test_documented_sites_are_not_inferred(con):
    compute_exposure(con)
    # Samsung's list names the cobalt mine usgsafr:1 itself: it is documented, not inferred,
    # although the ILAB list flags DRC cobalt and it is a DRC cobalt mine
    n = con.execute(
        "SELECT count(*) FROM inferred_exposure WHERE brand_id = 'samsung-electronics' AND site_id = 'usgsafr:1'"
    ).fetchone()[0]
    assert n == 0
    con.execute("DELETE FROM links WHERE site_id = 'usgsafr:1'")
    compute_exposure(con)
    # without that link, nothing routes cobalt to it either (no other cobalt smelter is listed)
    assert (
        con.execute("SELECT count(*) FROM inferred_exposure WHERE mineral = 'cobalt'").fetchone()[0]
        == 0
    )
