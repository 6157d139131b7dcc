"""Risk scores on a small fixture atlas: components add up, unknown stays unknown, rungs behave."""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskatlas.risk import compute_risk, load_config, rescore, weights_table
from riskatlas.risk.components import normalise
from tests.fixtures.risk_fixture import load_risk_fixture


@pytest.fixture()
def con():
    c = duckdb.connect()
    load_risk_fixture(c)
    yield c
    c.close()


@pytest.fixture()
def scored(con):
    stats = compute_risk(con)
    risk = con.execute("SELECT * FROM site_risk").df().set_index("site_id")
    comps = con.execute("SELECT * FROM risk_components").df()
    return stats, risk, comps


def assert_components_sum_to_scores(risk: pd.DataFrame, comps: pd.DataFrame) -> None:
    sums = comps.groupby(["site_id", "dimension"])["contribution"].sum()
    for dim in ("labour", "environment"):
        known = risk[risk[dim].notna()]
        assert len(known) > 0
        for site_id, score in known[dim].items():
            assert sums[(site_id, dim)] == pytest.approx(score, abs=1e-9), (site_id, dim)
        unknown = risk.index[risk[dim].isna()]
        assert not set(comps.loc[comps["dimension"] == dim, "site_id"]) & set(unknown)
        cov = risk[f"{dim}_coverage"].dropna()
        assert ((cov >= 0) & (cov <= 1)).all()
        assert (risk.loc[risk[dim].notna(), dim].between(0, 100)).all()


def test_normalisations_documented_in_the_config():
    cfg = load_config()

    def norm(ind, *vals):
        i = cfg.indicators[ind]
        return list(normalise(i.normalise, i.params, pd.Series(vals, dtype=object)))

    assert norm("gsi_prevalence_per_1000", 4.5, 20, 104.6, 0.5) == pytest.approx(
        [0.225, 1, 1, 0.025]
    )
    assert norm("fh_E3", 0, 4, 1) == pytest.approx([1, 0, 0.75])
    assert norm("wgi_rl", -2.5, 2.5, 0, 3.1) == pytest.approx([1, 0, 0.5, 0])
    assert norm("ilab_c138_ratified", 0, 1) == [1.0, 0.0]
    assert norm("workers", 1, 1000, 5000, 62) == pytest.approx([0, 1, 1, math.log10(62) / 3])
    assert norm("waw_ewaste_tons", 39000) == pytest.approx([(math.log10(39000) - 3) / 4])
    assert norm("child_labour_under15", "yes", "no", "maybe")[:2] == [1.0, 0.0]
    assert math.isnan(norm("child_labour_under15", "maybe")[0])


def test_components_sum_to_score_and_coverage_in_range(con, scored):
    stats, risk, comps = scored
    assert stats["sites"] == 16 == len(risk)
    assert_components_sum_to_scores(risk, comps)
    # the contract columns come first
    assert list(comps.columns[:9]) == [
        "site_id",
        "dimension",
        "indicator",
        "value",
        "weight",
        "contribution",
        "level",
        "source_id",
        "source_ref",
    ]
    assert set(comps["level"]) == {"site", "mineral_country", "country"}
    # the config travels with the database, for SQL readers of the scores
    assert len(con.execute("SELECT * FROM risk_weights").df()) == len(weights_table())


def test_unknown_is_null_never_zero(scored):
    _, risk, comps = scored
    # a factory without a country and a mine in a country without indicators: no evidence at all
    for site in ("apple:nowhere", "icmm:AQ1"):
        assert pd.isna(risk.loc[site, "labour"]) and pd.isna(risk.loc[site, "environment"])
        assert risk.loc[site, "labour_coverage"] == 0
        assert site not in set(comps["site_id"])
    # an unanswered question is no row, not a 0: codmine00004 was never asked about child labour
    c4 = comps[comps["site_id"] == "codmine00004"]
    assert c4["level"].eq("site").sum() == 0
    assert risk.loc["codmine00004", "labour_levels"] == "mineral_country+country"
    # an unparseable answer ('maybe') is no evidence either
    assert comps[(comps["site_id"] == "codmine00003") & (comps["indicator"] == "mercury")].empty


def test_child_labour_finding_raises_labour_same_province_same_mineral(scored):
    _, risk, comps = scored
    # codmine00001 and 00002: Sud-Kivu gold, identical answers except child labour (and mercury)
    assert risk.loc["codmine00001", "labour"] > risk.loc["codmine00002", "labour"]
    cl = comps[
        (comps["site_id"] == "codmine00001") & (comps["indicator"] == "child_labour_under15")
    ]
    assert cl["raw_value"].tolist() == ["yes"]  # the latest visit (2022), not the 2015 'no'
    assert cl["source_ref"].tolist() == ["IPIS visit of 2022-06-01 (vid=102)"]
    assert risk.loc["codmine00001", "environment"] > risk.loc["codmine00002", "environment"]


def test_old_visits_weigh_less_and_show_their_date(scored):
    _, risk, comps = scored
    old = comps[
        (comps["site_id"] == "codmine00003") & (comps["indicator"] == "child_labour_under15")
    ].iloc[0]
    # aged from the newest visit in the data (2022-06-01): ten years = two half-lives
    assert old["decay"] == pytest.approx(
        0.5 ** ((pd.Timestamp("2022-06-01") - pd.Timestamp("2012-06-01")).days / 365.25 / 5)
    )
    assert old["weight"] == pytest.approx(3.0 * old["decay"])
    assert old["observed"] == "2012-06-01" and "2012-06-01" in old["source_ref"]
    fresh = comps[(comps["site_id"] == "codmine00001") & (comps["level"] == "site")]
    assert (fresh["decay"] == 1.0).all()
    # the old 'yes' counts for less, it does not turn into a low value
    assert old["value"] == 1.0


def test_country_rung_uses_latest_year_and_cites_it(scored):
    _, _, comps = scored
    e3 = comps[(comps["site_id"] == "codmine00001") & (comps["indicator"] == "fh_E3")].iloc[0]
    assert (e3["raw_value"], e3["value"], e3["observed"]) == ("1", 0.75, "2024")
    assert e3["source_ref"] == "Freedom House FIW 2024 edition, COD"
    assert e3["source_id"] == "freedom_house_fiw"


def test_goods_list_rung(scored):
    _, risk, comps = scored
    ilab = comps[comps["level"] == "mineral_country"]
    by_site = ilab.groupby("site_id")["indicator"].apply(set).to_dict()
    assert by_site["codmine00001"] == {"ilab_goods_child_labour", "ilab_goods_forced_labour"}
    assert by_site["usgsafr:1"] == {
        "ilab_goods_child_labour"
    }  # cobalt and copper: child labour only
    assert by_site["CID000001"] == {"ilab_goods_child_labour"}  # tin smelter in Indonesia
    assert by_site["apple:foxconn-shenzhen"] == {
        "ilab_electronics_child_labour",
        "ilab_electronics_forced_labour",
    }
    # a derived entry (batteries from DRC cobalt) says nothing about lithium mining in China
    assert "icmm:CN1" not in by_site
    cob = ilab[(ilab["site_id"] == "usgsafr:1")].iloc[0]
    assert cob["raw_value"] == "listed: Cobalt ore (heterogenite); Copper ore"
    assert cob["source_ref"].startswith(
        "Cobalt ore (heterogenite); Copper ore, COD: ILAB List of Goods, 2022"
    )


def test_ewaste_sites_have_their_own_evidence(scored):
    _, risk, comps = scored
    ew = comps[(comps["site_id"] == "ewaste:agbogbloshie") & (comps["dimension"] == "environment")]
    assert set(ew["indicator"]) == {
        "ewaste_documented_harm",
        "waw_open_dump_pct",
        "waw_ewaste_tons",
        "wgi_rq",
        "wgi_ge",
    }
    doc = ew[ew["indicator"] == "ewaste_documented_harm"].iloc[0]
    # the latest report is the evidence, cited in full and aged like a visit
    assert doc["raw_value"] == "Lead in soil (2013 report)" and doc["value"] == 1.0
    assert doc["source_ref"] == "Report B. Blacksmith Institute, 2013. https://example.org/b"
    # contamination ages with its own, longer half-life (15 years, not 5)
    age = (pd.Timestamp("2022-06-01") - pd.Timestamp("2013-01-01")).days / 365.25
    assert doc["level"] == "site" and doc["decay"] == pytest.approx(0.5 ** (age / 15))
    assert risk.loc["ewaste:agbogbloshie", "environment_levels"] == "site+country"


def test_removing_a_source_lowers_coverage_not_the_score(con, scored):
    _, before, comps_before = scored
    con.execute("DELETE FROM country_indicators WHERE source_id = 'walkfree_gsi_2023'")
    compute_risk(con)
    after = con.execute("SELECT * FROM site_risk").df().set_index("site_id")
    comps_after = con.execute("SELECT * FROM risk_components").df()
    assert_components_sum_to_scores(after, comps_after)
    gsi = comps_before[comps_before["indicator"] == "gsi_prevalence_per_1000"]
    affected = set(gsi["site_id"])
    assert len(affected) >= 10
    for site in before.index:
        for dim in ("labour", "environment"):
            cov0, cov1 = before.loc[site, f"{dim}_coverage"], after.loc[site, f"{dim}_coverage"]
            if dim == "labour" and site in affected:
                assert cov1 < cov0, site
            else:
                assert cov1 == pytest.approx(cov0), (site, dim)
    for site in affected:
        s0, s1 = before.loc[site, "labour"], after.loc[site, "labour"]
        removed = gsi.loc[gsi["site_id"] == site].iloc[0]
        if pd.isna(s1):
            # the removed source was the only evidence: the site becomes unknown, not 0
            assert (
                comps_before[
                    (comps_before["site_id"] == site) & (comps_before["dimension"] == "labour")
                ].shape[0]
                == 1
            )
            continue
        # the missing piece is not read as 0: the new score is the mean of what remains, which
        # is above what the old score would be with the removed value set to 0
        rest = comps_before[
            (comps_before["site_id"] == site) & (comps_before["dimension"] == "labour")
        ]
        as_zero = (
            100 * (rest["weight"] * rest["value"]).sum()
            - 100 * removed["weight"] * removed["value"]
        )
        as_zero /= rest["weight"].sum()
        assert s1 > as_zero or math.isclose(s1, as_zero), site
        # and if the removed evidence was at or below the site's score, the score cannot fall
        if 100 * removed["value"] <= s0:
            assert s1 >= s0 - 1e-9, site
        else:
            assert s1 < s0, site
    # Rwanda's tin mine had only GSI and rule of law: still known, on one piece of evidence
    assert (
        after.loc["icmm:RW1", "labour_levels"] == "country"
        and after.loc["icmm:RW1", "labour_n"] == 1
    )


def test_dropping_a_whole_table_is_survivable(con):
    con.execute("DROP TABLE goods_risk")
    stats = compute_risk(con)
    risk = con.execute("SELECT * FROM site_risk").df().set_index("site_id")
    assert stats["sites"] == 16
    assert risk.loc["apple:foxconn-shenzhen", "labour_levels"] == "country"


def test_rescore_reproduces_the_database_and_reranks(con, scored):
    _, risk, comps = scored
    sites = con.execute("SELECT site_id, tier FROM sites").df()
    again = rescore(comps, weights_table(), sites).set_index("site_id")
    pd.testing.assert_frame_equal(again, risk, check_dtype=False)
    # a user who cares only about child labour: codmine00002 (no child labour found) drops to 0
    table = weights_table()
    only_cl = table.assign(weight=(table["indicator"] == "child_labour_under15").astype(float))
    moved = rescore(comps, only_cl, sites).set_index("site_id")
    assert moved.loc["codmine00001", "labour"] == 100
    assert moved.loc["codmine00002", "labour"] == 0
    assert pd.isna(moved.loc["icmm:AU1", "labour"])  # no child-labour evidence: unknown
    assert moved.loc["icmm:AU1", "labour_coverage"] == 0


@pytest.fixture(scope="module")
def fixture_components():
    c = duckdb.connect()
    load_risk_fixture(c)
    compute_risk(c)
    comps = c.execute("SELECT * FROM risk_components").df()
    sites = c.execute("SELECT site_id, tier FROM sites").df()
    c.close()
    return comps, sites


WEIGHT = st.one_of(st.just(0.0), st.floats(0.01, 10))


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_rescore_properties_under_any_weights(fixture_components, data):
    comps, sites = fixture_components
    table = weights_table()
    ws = data.draw(st.lists(WEIGHT, min_size=len(table), max_size=len(table)))
    keep = data.draw(st.lists(st.booleans(), min_size=len(comps), max_size=len(comps)))
    table = table.assign(weight=ws)
    full = rescore(comps, table, sites).set_index("site_id")
    part = rescore(comps[keep], table, sites).set_index("site_id")
    for dim in ("labour", "environment"):
        for r in (full, part):
            cov = r[f"{dim}_coverage"].dropna()
            assert ((cov >= 0) & (cov <= 1 + 1e-12)).all()
            assert r[dim].dropna().between(-1e-9, 100 + 1e-9).all()
            # no evidence (coverage 0) means unknown, and unknown means no evidence
            assert (r[dim].isna() == (r[f"{dim}_coverage"].fillna(0) == 0)).all()
        # less evidence never raises coverage
        assert (
            part[f"{dim}_coverage"].fillna(0) <= full[f"{dim}_coverage"].fillna(0) + 1e-12
        ).all()
