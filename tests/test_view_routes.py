"""The Map's brand views read the build's precomputed brand_rows when they can (one brand, one
mineral or none, no year) and must show exactly what aggregating brand_hits shows: the same
rows, columns and order from every public method of riskatlas.view.View, on the real atlas and
on a synthetic one (issue 19, item 5: "if a precomputed table makes the page faster, the page
reads it")."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from riskatlas import sql, view
from riskatlas.filters import FilterState
from riskatlas.view import View

BRAND = "samsung-electronics"
# (label, state, reads the precomputed slice?)
STATES = [
    ("brand", FilterState(brands=(BRAND,)), True),
    ("brand+mineral", FilterState(brands=(BRAND,), minerals=("cobalt",)), True),
    (
        "brand+mineral+min_risk",
        FilterState(brands=(BRAND,), minerals=("tin",), min_risk=35.0),
        True,
    ),
    (
        "brand+environment",
        FilterState(brands=(BRAND,), dimension="environment", min_risk=20.0),
        True,
    ),
    ("brand+tier", FilterState(brands=(BRAND,), tiers=("smelter_refiner", "artisanal_mine")), True),
    ("brand+country", FilterState(brands=(BRAND,), countries=("COD", "BOL")), True),
    ("brand+province", FilterState(brands=(BRAND,), provinces=("Sud-Kivu",)), True),
    ("brand+finding", FilterState(brands=(BRAND,), findings=("child_labour",)), True),
    (
        "brand+finding any",
        FilterState(brands=("apple",), findings=("mercury",), finding_when="any"),
        True,
    ),
    ("brand+evidence", FilterState(brands=(BRAND,), evidence="site"), True),
    ("brand+year", FilterState(brands=(BRAND,), year=2023), False),
    ("brand+2 minerals", FilterState(brands=(BRAND,), minerals=("tin", "gold")), False),
    ("2 brands", FilterState(brands=(BRAND, "apple"), minerals=("tin",)), False),
    ("mineral", FilterState(minerals=("cobalt",), min_risk=30.0), False),
    ("tier", FilterState(tiers=("smelter_refiner",)), False),
    ("no brand, year", FilterState(countries=("COD",), year=2023), False),
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


def _compare(con, monkeypatch, state: FilterState, sliced: bool) -> View:
    run = _runner(con)
    assert view.view_includes(state)["view_rows"] == (
        "view_rows_brand_slice"
        if sliced
        else ("view_rows_brands" if state.brands else "view_rows_sites")
    )
    new = _everything(View.open(state, run))
    with monkeypatch.context() as m:
        m.setattr(view, "precomputed", lambda s: False)  # the route before brand_rows
        old_view = View.open(state, run)
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

    out = tmp_path_factory.mktemp("synthetic") / "syn_3000.duckdb"
    synthetic.make(atlas_db, 3000, out)
    return out


@pytest.mark.parametrize(("label", "state", "sliced"), STATES, ids=[s[0] for s in STATES])
def test_the_precomputed_route_shows_what_the_aggregated_route_shows(
    real, monkeypatch, label, state, sliced
):
    v = _compare(real, monkeypatch, state, sliced)
    if label in ("brand", "brand+mineral", "brand+country"):
        assert v.n_documented > 0 and v.n_inferred > 0, label  # the comparison compared rows
    if label in ("brand+province", "brand+finding", "brand+tier"):
        assert v.n_rows > 0, label


@pytest.mark.slow
def test_the_same_on_a_synthetic_atlas(synthetic_db, monkeypatch):
    con = duckdb.connect(str(synthetic_db), read_only=True)
    try:
        n = 0
        for _, state, sliced in STATES:
            n += _compare(con, monkeypatch, state, sliced).n_rows
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
