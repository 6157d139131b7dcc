"""Documented conflicts are linked to sites only with a stated basis: company + distance,
distance + commodity within a few km, or the case's own site; never on distance alone."""

from __future__ import annotations

import pandas as pd
import pytest

from riskatlas.conflict_links import (
    COMMODITY_KM,
    COMPANY_KM,
    company_core,
    haversine_km,
    impact_facts,
    link_conflicts,
)

KM_LAT = 1 / 111.195  # degrees of latitude per km


def _conflicts(**over):
    row = {
        "conflict_id": "1",
        "lat": 0.5,
        "lon": 10.0,
        "companies": ["Mopani Copper Mines Plc"],
        "minerals": ["copper"],
        "source_ref": "https://ejatlas.org/conflict/x",
        "environmental_impacts": ["Air pollution", "Mine tailing spills"],
        "health_impacts": ["Deaths"],
        "socio_economic_impacts": [],
        "last_update": pd.Timestamp("2022-05-02").date(),
    }
    row.update(over)
    return pd.DataFrame([row])


def _sites(*rows):
    return pd.DataFrame(rows, columns=["site_id", "lat", "lon", "minerals", "name"])


def _link(conflicts, sites, case_sites=None):
    return link_conflicts(
        conflicts, sites[["site_id", "lat", "lon", "minerals"]], sites[["site_id", "name"]],
        case_sites,
    )  # fmt: skip


def test_company_core_drops_legal_forms_generic_words_and_public_bodies():
    assert company_core("Mopani Copper Mines Plc") == {"mopani"}
    assert company_core("Sociedad Minera Cerro Verde S.A.A.") == {"sociedad", "cerro", "verde"}
    assert company_core("Mining Company Ltd.") == frozenset()
    assert company_core("Pune Municipal Corporation") == frozenset()
    assert company_core("ABC Co") == frozenset()  # too short to identify a company


def test_company_and_distance(tmp_path):
    near = 30 * KM_LAT
    far = (COMPANY_KM + 5) * KM_LAT
    sites = _sites(
        ("a", 0.5 + near, 10.0, ["cobalt"], "Mopani Mufulira"),
        ("b", 0.5 + far, 10.0, ["copper"], "Mopani Nkana"),  # the company, but too far
        ("c", 0.5 + near, 10.0, ["copper"], "Konkola"),  # near, same commodity, > a few km
    )
    links = _link(_conflicts(), sites)
    assert links[["site_id", "basis", "matched_company", "matched_name"]].values.tolist() == [
        ["a", "company + distance", "Mopani Copper Mines Plc", "Mopani Mufulira"]
    ]
    assert links["distance_km"].item() == pytest.approx(30, abs=0.1)


def test_distance_and_commodity_within_a_few_km():
    sites = _sites(
        ("near", 0.5 + 3 * KM_LAT, 10.0, ["copper", "gold"], "Some mine"),
        ("other", 0.5 + 1 * KM_LAT, 10.0, ["tin"], "Tin mine"),  # near, commodity differs
        ("beyond", 0.5 + (COMMODITY_KM + 1) * KM_LAT, 10.0, ["copper"], "Copper mine"),
    )
    links = _link(_conflicts(companies=[]), sites)
    assert links["site_id"].tolist() == ["near"]
    assert links["basis"].item() == "distance + commodity"
    assert links["matched_minerals"].item() == ["copper"]


def test_case_site_and_one_link_per_pair_with_the_strongest_basis():
    sites = _sites(("own", 0.5, 10.0, ["copper"], "Mopani case"))
    links = _link(_conflicts(), sites, {"1": "own"})
    assert links[["site_id", "basis", "distance_km"]].values.tolist() == [["own", "case site", 0.0]]


def test_no_located_sites_no_links():
    sites = _sites(("x", None, None, ["copper"], "Mopani"))
    assert _link(_conflicts(), sites).empty


def test_impacts_become_dated_site_facts():
    conflicts = _conflicts()
    sites = _sites(("a", 0.5 + 2 * KM_LAT, 10.0, ["copper"], "Mopani Mufulira"))
    facts = impact_facts(_link(conflicts, sites), conflicts)
    assert dict(zip(facts["fact"], facts["value"], strict=True)) == {
        "conflict_deaths": "Deaths",
        "conflict_air_pollution": "Air pollution",
        "conflict_tailings_spill": "Mine tailing spills",
    }
    assert set(facts["observed_on"].astype(str)) == {"2022-05-02"}
    assert facts["source_ref"].str.startswith("https://ejatlas.org/conflict/x (company").all()


def test_haversine():
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.01)


def test_real_links_state_their_basis(atlas):
    rows = atlas.execute(
        "SELECT basis, distance_km, matched_company, len(matched_minerals) FROM conflict_links"
    ).fetchall()
    assert len(rows) > 150
    for basis, km, company, n_minerals in rows:
        assert basis in ("case site", "company + distance", "distance + commodity")
        if basis == "company + distance":
            assert company and km <= COMPANY_KM
        if basis == "distance + commodity":
            assert n_minerals > 0 and km <= COMMODITY_KM
        if basis == "case site":
            assert km == 0
    # every e-waste case is linked to the site made from it
    n_cases = atlas.execute("SELECT count(*) FROM conflicts WHERE is_ewaste").fetchone()[0]
    assert n_cases == 32
    own = atlas.execute("SELECT count(*) FROM conflict_links WHERE basis = 'case site'").fetchone()
    assert own[0] == n_cases
    # each distance is the great-circle distance between the two points
    check = atlas.execute(
        "SELECT l.distance_km, c.lat, c.lon, s.lat, s.lon FROM conflict_links l "
        "JOIN conflicts c USING (conflict_id) JOIN sites s USING (site_id)"
    ).fetchall()
    for km, a, b, c, d in check:
        assert km == pytest.approx(float(haversine_km(a, b, c, d)), abs=0.01)


def test_ewaste_sites_are_each_cited(atlas):
    n, uncited = atlas.execute(
        "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM site_facts f "
        "WHERE f.site_id = s.site_id AND f.fact IN ('citation', 'case_citation'))) "
        "FROM sites s WHERE tier = 'ewaste'"
    ).fetchone()
    assert n >= 30 and uncited == 0
    cases = atlas.execute(
        "SELECT count(*) FROM sites s JOIN site_facts f USING (site_id) WHERE s.tier = 'ewaste' "
        "AND f.fact = 'case_citation' AND f.source_id = 'ejatlas' "
        "AND f.value LIKE '%https://ejatlas.org/conflict/%'"
    ).fetchone()[0]
    assert cases == 32


def test_licence_is_recorded(atlas):
    (licence,) = atlas.execute("SELECT licence FROM sources WHERE source_id = 'ejatlas'").fetchone()
    assert licence.startswith("Non-commercial use only, with attribution")
