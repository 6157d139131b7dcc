"""Entity resolution on small hand-made records: what merges, what stays apart, and why."""

from __future__ import annotations

import pandas as pd

from riskatlas.resolve import norm_name, resolve


def _rec(**kw):
    base = {
        "source_id": "icmm",
        "source_ref": "X",
        "name": "",
        "tier": "mine",
        "lat": None,
        "lon": None,
        "geo_precision": None,
        "country_iso3": "COD",
        "province": None,
        "city": None,
        "address": None,
        "minerals": [],
        "rmi_id": None,
        "geo_note": None,
    }
    base.update(kw)
    return base


def test_smelters_merge_by_rmi_id_and_keep_every_record():
    recs = pd.DataFrame(
        [
            _rec(
                source_id="rmi",
                source_ref="CID000211",
                name="Changsha South",
                tier="smelter_refiner",
                lat=28.2,
                lon=112.9,
                geo_precision="city",
                country_iso3="CHN",
                rmi_id="CID000211",
                minerals=["tantalum"],
            ),
            _rec(
                source_id="samsung_rmr_2025",
                source_ref="CID000211",
                name="Changsha South Tantalum",
                tier="smelter_refiner",
                lat=35.0,
                lon=103.0,
                geo_precision="country",
                country_iso3="CHN",
                rmi_id="CID000211",
                minerals=["tantalum"],
            ),
        ]
    )
    sites, site_records, stats = resolve(recs)
    assert list(sites["site_id"]) == ["CID000211"]
    assert sites.loc[0, "geo_precision"] == "city" and sites.loc[0, "source_id"] == "rmi"
    assert len(site_records) == 2 and stats["duplicates_merged"] == 1


def test_icmm_smelter_joins_rmi_by_name_country_distance_and_lends_exact_point():
    recs = pd.DataFrame(
        [
            _rec(
                source_id="rmi",
                source_ref="CID000001",
                name="Umicore Olen Refinery",
                tier="smelter_refiner",
                lat=51.15,
                lon=4.86,
                geo_precision="city",
                country_iso3="BEL",
                rmi_id="CID000001",
            ),
            _rec(
                source_id="icmm",
                source_ref="ICMM1",
                name="Umicore Olen",
                tier="smelter_refiner",
                lat=51.17,
                lon=4.90,
                geo_precision="exact",
                country_iso3="BEL",
            ),
            _rec(
                source_id="icmm",
                source_ref="ICMM2",
                name="Umicore Olen",
                tier="smelter_refiner",
                lat=40.0,
                lon=-3.0,
                geo_precision="exact",
                country_iso3="ESP",
            ),
        ]
    )
    sites, _, _ = resolve(recs)
    assert sorted(sites["site_id"]) == ["CID000001", "ICMM2"]
    s = sites.set_index("site_id").loc["CID000001"]
    assert s["geo_precision"] == "exact" and "icmm record ICMM1" in s["geo_note"]


def test_mines_merge_by_name_and_distance_only():
    recs = pd.DataFrame(
        [
            _rec(
                source_id="icmm",
                source_ref="ICMM9",
                name="Kamoto Mine",
                lat=-10.72,
                lon=25.40,
                geo_precision="exact",
            ),
            _rec(
                source_id="minmod_mrds",
                source_ref="10001",
                name="Kamoto",
                lat=-10.73,
                lon=25.41,
                geo_precision="exact",
            ),
            # same name, 300 km away: a different place
            _rec(
                source_id="minmod_mrds",
                source_ref="10002",
                name="Kamoto",
                lat=-8.0,
                lon=25.4,
                geo_precision="exact",
            ),
            # close, but a different name
            _rec(
                source_id="usgs_africa",
                source_ref="7",
                name="Musonoi",
                lat=-10.72,
                lon=25.40,
                geo_precision="exact",
            ),
        ]
    )
    sites, site_records, stats = resolve(recs)
    assert sorted(sites["site_id"]) == ["ICMM9", "minmod:10002", "usgsafr:7"]
    merged = site_records[site_records["site_id"] == "ICMM9"]
    assert set(merged["source_id"]) == {"icmm", "minmod_mrds"}
    assert stats["duplicates_merged"] == 1


def test_norm_name_drops_legal_words_and_accents():
    assert norm_name("Société Minière de Kolwezi S.A.") == norm_name("societe miniere kolwezi")
    assert norm_name(None) == ""


def test_icmm_short_name_inside_rmi_name_joins_only_when_close_and_same_metal():
    recs = pd.DataFrame(
        [
            _rec(
                source_id="rmi",
                source_ref="CID004629",
                name="Aluminerie Alouette Inc.",
                tier="smelter_refiner",
                lat=50.21,
                lon=-66.38,
                geo_precision="city",
                country_iso3="CAN",
                rmi_id="CID004629",
                minerals=["aluminium"],
            ),
            _rec(
                source_id="icmm",
                source_ref="ICMM1",
                name="Alouette",
                tier="smelter_refiner",
                lat=50.20,
                lon=-66.30,
                geo_precision="exact",
                country_iso3="CAN",
                minerals=["aluminium"],
            ),
            # same words, same place, another metal: not the same plant
            _rec(
                source_id="icmm",
                source_ref="ICMM2",
                name="Alouette",
                tier="smelter_refiner",
                lat=50.20,
                lon=-66.30,
                geo_precision="exact",
                country_iso3="CAN",
                minerals=["iron"],
            ),
        ]
    )
    sites, _, stats = resolve(recs)
    assert sorted(sites["site_id"]) == ["CID004629", "ICMM2"]
    assert stats["icmm_smelters_joined_to_rmi"] == 1
