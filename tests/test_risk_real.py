"""Risk scores and inferred exposure on the real atlas: the issue's tests, measured on real data."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from riskatlas.exposure import compute_exposure
from riskatlas.risk import compute_risk, rescore, weights_table
from riskatlas.risk.score import site_level_sites

INPUTS = ("sites", "site_facts", "goods_risk", "country_indicators", "links", "brands", "sources")


@pytest.fixture(scope="module")
def work(atlas_db):
    """A writable in-memory copy of the input tables, so a test can remove a source."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{atlas_db}' AS a (READ_ONLY)")
    for t in INPUTS:
        con.execute(f'CREATE TABLE "{t}" AS SELECT * FROM a."{t}"')  # noqa: S608 - our names
    con.execute("DETACH a")
    yield con
    con.close()


def test_every_site_scored_and_components_sum_to_score(atlas):
    n_sites = atlas.execute("SELECT count(*) FROM sites").fetchone()[0]
    assert atlas.execute("SELECT count(*), count(DISTINCT site_id) FROM site_risk").fetchone() == (
        n_sites,
        n_sites,
    )
    bad = atlas.execute(
        """
        WITH s AS (SELECT site_id, dimension, sum(contribution) AS total, count(*) AS n
                   FROM risk_components GROUP BY ALL)
        SELECT count(*) FROM site_risk r
        LEFT JOIN s l ON l.site_id = r.site_id AND l.dimension = 'labour'
        LEFT JOIN s e ON e.site_id = r.site_id AND e.dimension = 'environment'
        WHERE (r.labour IS NULL) <> (l.n IS NULL) OR (r.environment IS NULL) <> (e.n IS NULL)
           OR abs(r.labour - l.total) > 1e-9 OR abs(r.environment - e.total) > 1e-9
           OR r.labour_coverage NOT BETWEEN 0 AND 1 OR r.environment_coverage NOT BETWEEN 0 AND 1
           OR r.labour NOT BETWEEN 0 AND 100 OR r.environment NOT BETWEEN 0 AND 100
        """
    ).fetchone()[0]
    assert bad == 0
    # nearly every site has some evidence; the rest are unknown, never 0
    unknown = atlas.execute("SELECT count(*) FROM site_risk WHERE labour IS NULL").fetchone()[0]
    assert 0 < unknown < 0.05 * n_sites
    assert (
        atlas.execute("SELECT count(*) FROM risk_components WHERE weight <= 0").fetchone()[0] == 0
    )


def test_every_ipis_visit_finding_is_cited_with_its_date(atlas):
    row = atlas.execute(
        "SELECT raw_value, observed, source_ref, source_id, level FROM risk_components "
        "WHERE site_id = 'codmine00039' AND indicator = 'child_labour_under15'"
    ).fetchone()
    assert row == ("yes", "2022-06-28", "IPIS visit of 2022-06-28 (vid=6158)", "ipis", "site")
    # every site-level component is the latest answer to its question at that site
    stale = atlas.execute(
        """
        SELECT count(*) FROM risk_components c JOIN (
            SELECT site_id, fact, max(observed_on) AS last FROM site_facts GROUP BY ALL) f
          ON f.site_id = c.site_id AND f.fact = c.indicator
        WHERE c.level = 'site' AND c.observed <> strftime(f.last, '%Y-%m-%d')
        """
    ).fetchone()[0]
    assert stale == 0


def test_child_labour_sites_score_higher_same_province_same_mineral(atlas):
    df = atlas.execute(
        """
        SELECT s.province, m.mineral, c.raw_value AS child_labour, r.labour
        FROM sites s JOIN site_risk r USING (site_id)
        JOIN risk_components c ON c.site_id = s.site_id AND c.indicator = 'child_labour_under15'
        CROSS JOIN unnest(s.minerals) AS m(mineral)
        WHERE s.source_id = 'ipis'
        """
    ).df()
    med = df.groupby(["province", "mineral", "child_labour"])["labour"].median().unstack()
    n = df.groupby(["province", "mineral", "child_labour"]).size().unstack()
    groups = med[(n["yes"] >= 10) & (n["no"] >= 10)]
    assert len(groups) >= 8  # Sud-Kivu gold, Ituri gold, Maniema tin, ...
    assert (groups["yes"] > groups["no"]).all(), groups


def test_removing_a_source_lowers_coverage_not_the_score(work):
    compute_risk(work)
    before = work.execute("SELECT * FROM site_risk").df().set_index("site_id")
    gsi = (
        work.execute(
            "SELECT site_id, value, weight FROM risk_components WHERE indicator = 'gsi_prevalence_per_1000'"
        )
        .df()
        .set_index("site_id")
    )
    work.execute("ALTER TABLE country_indicators RENAME TO ci_all")
    work.execute(
        "CREATE TABLE country_indicators AS SELECT * FROM ci_all WHERE source_id <> 'walkfree_gsi_2023'"
    )
    try:
        compute_risk(work)
        after = work.execute("SELECT * FROM site_risk").df().set_index("site_id")
    finally:
        work.execute("DROP TABLE country_indicators")
        work.execute("ALTER TABLE ci_all RENAME TO country_indicators")
    hit = before.index.isin(gsi.index)
    assert hit.sum() > 20000
    assert (after.loc[hit, "labour_coverage"] < before.loc[hit, "labour_coverage"]).all()
    pd.testing.assert_series_equal(
        after.loc[~hit, "labour_coverage"], before.loc[~hit, "labour_coverage"]
    )
    pd.testing.assert_series_equal(after["environment"], before["environment"])
    # where Walk Free's value sat at or below the site's score, losing it cannot lower the score
    low = hit & (100 * gsi.reindex(before.index)["value"] <= before["labour"]).to_numpy()
    assert low.sum() > 10000
    assert (after.loc[low, "labour"] >= before.loc[low, "labour"] - 1e-9).all()
    # and no site turns into a 0: at worst it becomes unknown
    assert not ((after["labour"] == 0) & (before["labour"] > 0)).any()


def test_rescore_on_real_components_matches_the_database(atlas):
    comps = atlas.execute("SELECT * FROM risk_components").df()
    sites = atlas.execute("SELECT site_id, tier FROM sites").df()
    # issue 14: visited sites and sites with a linked conflict are site-level evidence
    sites["site_level"] = sites["site_id"].isin(site_level_sites(atlas))
    stored = atlas.execute("SELECT * FROM site_risk ORDER BY site_id").df()
    again = rescore(comps, weights_table(), sites)
    pd.testing.assert_frame_equal(again, stored, check_dtype=False)


def test_inferred_exposure_on_real_data(atlas, work):
    n_links = atlas.execute("SELECT count(*) FROM links").fetchone()[0]
    stats = compute_exposure(work)
    assert work.execute("SELECT count(*) FROM links").fetchone()[0] == n_links
    stored = atlas.execute("SELECT count(*) FROM inferred_exposure").fetchone()[0]
    assert stats["rows"] == stored > 1000
    assert (
        atlas.execute(
            "SELECT count(*) FROM inferred_exposure e JOIN sites s USING (site_id) "
            "WHERE s.tier NOT IN ('mine', 'artisanal_mine')"
        ).fetchone()[0]
        == 0
    )
    # no row repeats, and none duplicates a documented link
    assert (
        atlas.execute(
            "SELECT count(*) - count(DISTINCT (brand_id, mineral, site_id)) FROM inferred_exposure"
        ).fetchone()[0]
        == 0
    )
    assert (
        atlas.execute(
            "SELECT count(*) FROM inferred_exposure e JOIN links l USING (brand_id, site_id)"
        ).fetchone()[0]
        == 0
    )
    # Samsung's 3TG smelters report DRC and CC sourcing: its tin reaches DRC sites both ways
    routes = dict(
        atlas.execute(
            "SELECT route, count(*) FROM inferred_exposure WHERE brand_id = 'samsung-electronics' "
            "AND mineral = 'tin' GROUP BY 1"
        ).fetchall()
    )
    assert routes.get("smelter_sourcing,ilab_goods_list", 0) > 500
    # Form SD brands print no sourcing countries: the goods list is their only route
    assert {
        r[0]
        for r in atlas.execute(
            "SELECT DISTINCT route FROM inferred_exposure WHERE brand_id = 'rockwell-automation'"
        ).fetchall()
    } == {"ilab_goods_list"}
