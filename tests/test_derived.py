"""The tables the build derives for the Map and the hotspot query, on the real atlas."""

from __future__ import annotations

import h3


def test_map_sites_are_the_sites_with_their_scores(atlas):
    (n_sites,) = atlas.execute("SELECT count(*) FROM sites").fetchone()
    (n_map,) = atlas.execute("SELECT count(*) FROM map_sites").fetchone()
    assert n_map == n_sites
    (differ,) = atlas.execute(
        "SELECT count(*) FROM map_sites m JOIN site_risk r USING (site_id) "
        "WHERE m.labour IS DISTINCT FROM r.labour OR m.environment IS DISTINCT FROM r.environment"
    ).fetchone()
    assert differ == 0  # unknown stays NULL, never 0


def test_mineral_bits_match_the_mineral_lists(atlas):
    (wrong,) = atlas.execute(
        "SELECT count(*) FROM map_sites m, mineral_bits b "
        "WHERE list_contains(m.minerals, b.mineral) "
        "<> ((m.mineral_bits & (1::UHUGEINT << b.bit::UHUGEINT)) <> 0)"
    ).fetchone()
    assert wrong == 0


def test_resolution_2_cells_are_the_h3_parents(atlas):
    """h3_r2 is computed in SQL from the resolution-3 index bits; h3 itself agrees."""
    rows = atlas.execute(
        "SELECT h3_r3, h3_r2 FROM map_sites WHERE h3_r3 IS NOT NULL "
        "ORDER BY hash(site_id) LIMIT 2000"
    ).fetchall()
    assert len(rows) == 2000
    assert all(h3.cell_to_parent(r3, 2) == r2 for r3, r2 in rows)


def test_hotspots_keep_documented_and_inferred_apart_with_citations(atlas):
    kinds = dict(atlas.execute("SELECT kind, count(*) FROM hotspots GROUP BY kind").fetchall())
    assert set(kinds) == {"documented", "inferred"} and min(kinds.values()) > 1000
    (no_cite,) = atlas.execute(
        "SELECT count(*) FROM hotspots WHERE citations IS NULL OR citations = ''"
    ).fetchone()
    assert no_cite == 0
    # every documented hotspot row is a link the brand published, for that mineral
    (unbacked,) = atlas.execute(
        "SELECT count(*) FROM hotspots h WHERE kind = 'documented' AND NOT EXISTS ("
        "SELECT 1 FROM links l WHERE l.brand_id = h.brand_id AND l.site_id = h.site_id "
        "AND l.mineral = h.mineral)"
    ).fetchone()
    assert unbacked == 0
