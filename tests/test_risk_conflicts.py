"""A documented conflict linked to a site is site-level evidence: its impacts are indicators on
the labour and environment sides, weighted above every country proxy, dated by the case's last
update; evidence_level says which rung a site's scores stand on."""

from __future__ import annotations

import pandas as pd

from riskatlas.conflict_links import IMPACT_FACTS
from riskatlas.risk import load_config
from riskatlas.risk.score import evidence_level

LABOUR = {
    "conflict_occupational_harm",
    "conflict_deaths",
    "conflict_human_rights",
    "conflict_displacement",
}


def test_every_impact_key_is_an_indicator_on_its_side_in_every_tier():
    cfg = load_config()
    for key in IMPACT_FACTS:
        ind = cfg.indicators[key]
        assert ind.level == "site" and ind.table == "site_facts" and ind.key == key
        assert ind.normalise == "present" and ind.rationale
    wm = cfg.weight_map()
    for tier in ("mine", "artisanal_mine", "smelter_refiner", "factory", "ewaste"):
        for key in IMPACT_FACTS:
            dim = "labour" if key in LABOUR else "environment"
            assert wm[(tier, dim, key)] > 0
            assert (tier, "labour" if dim == "environment" else "environment", key) not in wm


def test_a_linked_conflict_counts_for_more_than_any_country_proxy():
    cfg = load_config()
    for (tier, dim, ind), w in cfg.weight_map().items():
        if ind not in IMPACT_FACTS:
            continue
        proxies = [
            v
            for (t, d, i), v in cfg.weight_map().items()
            if t == tier and d == dim and cfg.indicators[i].level != "site"
        ]
        assert w > max(proxies), (tier, dim, ind)


def test_evidence_level_is_the_strongest_rung():
    got = evidence_level(
        pd.Series(["site+country", "mineral_country+country", "country", None, None]),
        pd.Series(["country", "country", "country", "site+country", None]),
    )
    assert got.tolist() == ["site", "mineral_country", "country", "site", "none"]


def test_linked_sites_score_on_site_evidence(atlas):
    rows = atlas.execute(
        "SELECT DISTINCT l.site_id, r.evidence_level FROM conflict_links l "
        "JOIN site_risk r USING (site_id)"
    ).fetchall()
    assert len(rows) > 300 and {lv for _, lv in rows} == {"site"}
    comps = atlas.execute(
        "SELECT c.indicator, c.level, c.observed, c.source_ref, c.dimension FROM risk_components c "
        "WHERE c.indicator LIKE 'conflict_%'"
    ).fetchall()
    assert len(comps) > 500
    dates = {
        str(d)
        for (d,) in atlas.execute(
            "SELECT DISTINCT last_update FROM conflicts WHERE last_update IS NOT NULL"
        ).fetchall()
    }
    for indicator, level, observed, ref, dim in comps:
        assert level == "site" and observed in dates  # dated by the case's last update
        assert "ejatlas.org/conflict/" in ref and " km)" in ref  # the case, basis and distance
        assert dim == ("labour" if indicator in LABOUR else "environment")


def test_evidence_level_counts(atlas):
    by_tier = dict(
        atlas.execute(
            "SELECT s.tier, count(*) FILTER (WHERE r.evidence_level = 'site') FROM site_risk r "
            "JOIN sites s USING (site_id) GROUP BY ALL"
        ).fetchall()
    )
    assert by_tier["ewaste"] >= 40  # every e-waste site: a report or its own case
    assert by_tier["mine"] > 100 and by_tier["smelter_refiner"] > 20 and by_tier["factory"] > 0
    # every IPIS site visited on site counts as site-level
    left = atlas.execute(
        "SELECT count(*) FROM site_facts f JOIN site_risk r USING (site_id) "
        "WHERE f.fact = 'visit_onsite' AND f.value = 'yes' AND r.evidence_level <> 'site'"
    ).fetchone()[0]
    assert left == 0
    levels = {
        r[0] for r in atlas.execute("SELECT DISTINCT evidence_level FROM site_risk").fetchall()
    }
    assert levels == {"site", "mineral_country", "country", "none"}
