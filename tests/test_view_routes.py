"""The Map's views read the build's precomputed tables when they can and must show exactly what
the plain route shows: the same rows, columns and order from every public method of
riskatlas.view.View, on the real atlas and on a synthetic one (issue 19, item 5: "if a
precomputed table makes the page faster, the page reads it"). Brand views (one brand, one mineral
or none, no year) read brand_rows instead of aggregating brand_hits; views without a brand and
with one mineral read that mineral's slice of mineral_rows instead of map_sites; and views with
no brand, one mineral or none and no other filter read their counts, cells and top rows from
mineral_counts, mineral_cells and mineral_top (riskatlas/derived_views.py)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from riskatlas import sql, view
from riskatlas.filters import FilterState
from riskatlas.view import View

BRAND = "samsung-electronics"
# (label, state, the route: which rows query, or "summary" for the build's mineral_* tables)
BRAND_SLICE, BRANDS, SITES = "view_rows_brand_slice", "view_rows_brands", "view_rows_sites"
MINERAL_SLICE, SUMMARY = "view_rows_mineral_slice", "summary"
STATES = [
    ("brand", FilterState(brands=(BRAND,)), BRAND_SLICE),
    ("brand+mineral", FilterState(brands=(BRAND,), minerals=("cobalt",)), BRAND_SLICE),
    (
        "brand+mineral+min_risk",
        FilterState(brands=(BRAND,), minerals=("tin",), min_risk=35.0),
        BRAND_SLICE,
    ),
    (
        "brand+environment",
        FilterState(brands=(BRAND,), dimension="environment", min_risk=20.0),
        BRAND_SLICE,
    ),
    (
        "brand+tier",
        FilterState(brands=(BRAND,), tiers=("smelter_refiner", "artisanal_mine")),
        BRAND_SLICE,
    ),
    ("brand+country", FilterState(brands=(BRAND,), countries=("COD", "BOL")), BRAND_SLICE),
    ("brand+province", FilterState(brands=(BRAND,), provinces=("Sud-Kivu",)), BRAND_SLICE),
    ("brand+finding", FilterState(brands=(BRAND,), findings=("child_labour",)), BRAND_SLICE),
    (
        "brand+finding any",
        FilterState(brands=("apple",), findings=("mercury",), finding_when="any"),
        BRAND_SLICE,
    ),
    ("brand+evidence", FilterState(brands=(BRAND,), evidence="site"), BRAND_SLICE),
    ("brand+year", FilterState(brands=(BRAND,), year=2023), BRANDS),
    ("brand+2 minerals", FilterState(brands=(BRAND,), minerals=("tin", "gold")), BRANDS),
    ("2 brands", FilterState(brands=(BRAND, "apple"), minerals=("tin",)), BRANDS),
    ("mineral+min_risk", FilterState(minerals=("cobalt",), min_risk=30.0), MINERAL_SLICE),
    (
        "mineral+tier",
        FilterState(minerals=("copper",), tiers=("smelter_refiner",)),
        MINERAL_SLICE,
    ),
    ("mineral+year", FilterState(minerals=("tin",), year=2023), MINERAL_SLICE),
    (
        "mineral+province+finding",
        FilterState(minerals=("gold",), provinces=("Sud-Kivu",), findings=("mercury",)),
        MINERAL_SLICE,
    ),
    ("mineral+evidence", FilterState(minerals=("tin",), evidence="site"), MINERAL_SLICE),
    ("small mineral alone", FilterState(minerals=("lithium",)), MINERAL_SLICE),
    ("mineral not held", FilterState(minerals=("unobtainium",)), MINERAL_SLICE),
    ("2 minerals", FilterState(minerals=("tin", "gold")), SITES),
    ("tier", FilterState(tiers=("smelter_refiner",)), SITES),
    ("no brand, year", FilterState(countries=("COD",), year=2023), SITES),
    ("home", FilterState(), SUMMARY),
    ("mineral alone", FilterState(minerals=("copper",)), SUMMARY),
    (
        "mineral alone, environment",
        FilterState(minerals=("gold",), dimension="environment"),
        SUMMARY,
    ),
    ("home, environment", FilterState(dimension="environment"), SUMMARY),
]


def _runner(con):
    def run(name, params, includes):
        return sql.run(con, name, params, includes)

    return run


def _everything(v: View) -> dict:
    """What every public method of a view returns."""
    return {
        "counts": v.counts,
        "unlocated": v.unlocated_links,
        "tables": v.tables(),
        "top25": v.top(25),
        "frame": v.frame,
        "points": v.points(),
        "cells5": v.cells(5),
        "cells3": v.cells(3),
        "cells2": v.cells(2),
        "tier_counts": v.tier_counts(),
        "sankey": v.sankey_flows() if v.state.brands else None,
        "site_ids": v.site_ids(),
        "conflicts": v.conflicts(by_mineral=True, by_ewaste=True),
        "source_ids": v.source_ids(),
        "extent": v.extent(),
    }


def _same(a, b, where: str) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, obj=where)
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            _same(a[k], b[k], f"{where}[{k}]")
    elif isinstance(a, list | tuple | np.ndarray):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert (a == b) or (pd.isna(a) and pd.isna(b)), f"{where}: {a!r} != {b!r}"


def _compare(con, monkeypatch, state: FilterState, route: str) -> View:
    run = _runner(con)
    new_view = View.open(state, run)
    if route == SUMMARY:
        assert new_view.summary, state
    else:
        assert not new_view.summary, state
        assert view.view_includes(state)["view_rows"] == route, state
    new = _everything(new_view)
    with monkeypatch.context() as m:
        # the route before brand_rows, mineral_rows and the mineral_* tables
        m.setattr(view, "precomputed", lambda s: False)
        m.setattr(view, "mineral_sliced", lambda s: False)
        m.setattr(view, "summarised", lambda s: False)
        old_view = View.open(state, run)
        assert view.view_includes(state)["view_rows"] in (BRANDS, SITES)
        old = _everything(old_view)
    _same(new, old, repr(state)[:80])
    return old_view


@pytest.fixture(scope="module")
def real(atlas_db):
    con = duckdb.connect(str(atlas_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def synthetic_db(atlas_db, tmp_path_factory):
    from bench import synthetic
    from riskatlas import derived_views

    out = tmp_path_factory.mktemp("synthetic") / "syn_3000.duckdb"
    with pytest.MonkeyPatch.context() as m:  # 3,000 sites: keep the views of 500 sites or more
        m.setattr(derived_views, "MIN_ROWS", 500)
        synthetic.make(atlas_db, 3000, out)
    return out


@pytest.mark.parametrize(("label", "state", "route"), STATES, ids=[s[0] for s in STATES])
def test_the_precomputed_route_shows_what_the_aggregated_route_shows(
    real, monkeypatch, label, state, route
):
    v = _compare(real, monkeypatch, state, route)
    if label in ("brand", "brand+mineral", "brand+country"):
        assert v.n_documented > 0 and v.n_inferred > 0, label  # the comparison compared rows
    if label in ("brand+province", "brand+finding", "brand+tier", "mineral+tier", "home"):
        assert v.n_rows > 0, label
    if route == SUMMARY:  # more rows than the table shows: the top rows were ranked, not all
        assert v.n_rows > view.TABLE_ROWS and v.n_located > 1000, label


@pytest.mark.slow
def test_the_same_on_a_synthetic_atlas(synthetic_db, monkeypatch):
    con = duckdb.connect(str(synthetic_db), read_only=True)
    try:
        n = 0
        for _, state, route in STATES:
            n += _compare(con, monkeypatch, state, route).n_rows
        assert n > 1000
    finally:
        con.close()


def test_brand_rows_hold_every_brand_with_every_mineral_and_each_mineral(real):
    """One '*' slice per brand (every mineral, rows whose mineral is unknown included) and one
    per mineral the brand's hits name; sorted so a brand's slice is contiguous."""
    (missing,) = real.execute(
        "SELECT count(*) FROM (SELECT DISTINCT brand_id, coalesce(mineral, '*') FROM brand_hits "
        "UNION SELECT DISTINCT brand_id, '*' FROM brand_hits "
        "EXCEPT SELECT DISTINCT brand_id, mineral_key FROM brand_rows)"
    ).fetchone()
    assert missing == 0
    keys = real.execute("SELECT brand_id, mineral_key FROM brand_rows").fetchall()
    assert keys == sorted(keys)


def test_mineral_rows_hold_each_site_once_per_mineral_sorted_by_mineral(real):
    """Every (site, mineral) of map_sites is one row of mineral_rows and no other row is; sorted
    so a mineral's slice is contiguous."""
    (diff,) = real.execute(
        "SELECT count(*) FROM ((SELECT site_id, unnest(minerals) FROM map_sites "
        "EXCEPT ALL SELECT site_id, mineral_key FROM mineral_rows) UNION ALL "
        "(SELECT site_id, mineral_key FROM mineral_rows "
        "EXCEPT ALL SELECT site_id, unnest(minerals) FROM map_sites))"
    ).fetchone()
    assert diff == 0
    keys = [k for (k,) in real.execute("SELECT mineral_key FROM mineral_rows").fetchall()]
    assert keys == sorted(keys) and len(set(keys)) > 10


def test_the_build_computes_the_large_views_whole_and_leaves_the_small_ones(real):
    """mineral_counts holds every mineral ('*') and each mineral of at least MIN_ROWS sites, in
    both dimensions; the others are computed as they are asked."""
    from riskatlas.derived_views import MIN_ROWS

    got = set(real.execute("SELECT mineral_key, dimension FROM mineral_counts").fetchall())
    sizes = dict(
        real.execute("SELECT mineral_key, count(*) FROM mineral_rows GROUP BY 1").fetchall()
    )
    want = {"*"} | {m for m, n in sizes.items() if n >= MIN_ROWS}
    assert got == {(k, d) for k in want for d in view.DIMENSIONS}
    assert "copper" in want and "lithium" not in want
