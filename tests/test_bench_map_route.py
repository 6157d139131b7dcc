"""The bench's "Map route" is the page's route: the same named queries, parameters and includes.

Why: a benchmark figure once timed a table no page reads (issue 19, item 5). Here the Map page
runs in AppTest and the bench's route runs on the same database, both with riskatlas.db's
query runner recorded; the calls must match. No timing is asserted.
"""

from __future__ import annotations

import pytest

from bench import hotspot, map_route
from riskatlas.paths import REPO_ROOT
from riskatlas.ui import connection
from tests.fixtures.make_fixture_db import build_fixture_db

# the brand, mineral and minimum labour risk of the bench's question, on the fixture atlas
PARAMS = {"brand": "samsung-electronics", "mineral": "cobalt", "min_risk": 10.0, "lim": 1000}
TABLE_QUERIES = {
    "view_mineral_mask",
    "view_counts",
    "view_counts_brands",
    "view_counts_mineral",
    "brand_unlocated_links",
    "view_ranked",
    "view_ranked_kinds",
    "view_ranked_mineral",
}
RERUN_QUERIES = TABLE_QUERIES | {
    "brand_coverage",
    "view_site_ids",
    "view_points",
    "view_cells",
    "view_cells_mineral",
    "view_sankey",
    "country_shapes",
    "conflict_points",
}


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    return build_fixture_db(tmp_path_factory.mktemp("atlas") / "atlas.duckdb")


def _frozen(calls, names):
    out = set()
    for name, params, includes in calls:
        if name in names:
            items = tuple(
                sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())
            )
            out.add((name, items, tuple(sorted(includes.items()))))
    return out


def _page_calls(fixture_db, monkeypatch) -> set:
    """Every query the Map page runs for the bench's question, opened from its URL."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("RISKATLAS_DB", str(fixture_db))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.run()
    map_route.cold()
    at.query_params.clear()
    at.query_params.update(
        {"brand": PARAMS["brand"], "mineral": PARAMS["mineral"], "min_risk": "10"}
    )
    log = map_route.QueryLog()
    with log.installed():
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return _frozen(log.calls, RERUN_QUERIES)


def test_the_bench_route_runs_the_pages_queries(fixture_db, monkeypatch):
    page = _page_calls(fixture_db, monkeypatch)
    state = map_route.state_for(PARAMS)
    with map_route.atlas(fixture_db):
        table = map_route.QueryLog()
        with table.installed():
            view, frames = map_route.table_route(state)
        map_route.cold()
        rerun = map_route.QueryLog()
        with rerun.installed():
            parts = map_route.rerun(state)

    table_calls = _frozen(table.calls, TABLE_QUERIES)
    # one query counts the view and its unplaced links, one ranks both kinds' tables
    assert {c[0] for c in table_calls} == {"view_counts_brands", "view_ranked_kinds"}
    # the table route is exactly the page's counts and ranked tables
    assert table_calls == {c for c in page if c[0] in TABLE_QUERIES}
    # a whole rerun runs what the page runs, and nothing the page does not
    assert _frozen(rerun.calls, RERUN_QUERIES) == page
    # with a brand, documented and inferred are two ranked tables, never one ranking
    assert set(frames) == {("documented",), ("inferred",)}
    assert all(set(f["kind"]) == set(k) for k, f in frames.items())
    assert view.n_documented == len(frames[("documented",)])
    assert parts["total"] >= parts["counts"] and parts["deck_bytes"] > 0


def test_without_a_brand_one_table_from_the_minerals_slice(fixture_db):
    """The mineral alone: the build's summary of the view is asked first (the fixture atlas is
    too small to hold one: riskatlas.derived_views.MIN_ROWS), then the mineral's slice of
    mineral_rows is counted and ranked, with no mineral mask to look up."""
    state = map_route.rerun_states(PARAMS)[0][1]  # the mineral alone
    with map_route.atlas(fixture_db):
        log = map_route.QueryLog()
        with log.installed():
            view, frames = map_route.table_route(state)
    assert list(frames) == [()] and len(frames[()]) == view.n_rows > 0
    names = [c[0] for c in log.calls]
    assert names == ["view_counts_mineral", "view_counts", "view_ranked"], names
    ranked = next(p for n, p, _ in log.calls if n == "view_ranked")
    includes = next(i for n, _, i in log.calls if n == "view_ranked")
    assert "mineral_mask" not in ranked and ranked["minerals"] == ["cobalt"]
    assert includes == {"view_rows": "view_rows_mineral_slice"}


def test_the_other_routes_are_checked_against_the_pages_rows(fixture_db):
    """The naive join (the text Datasette runs) returns the page's rows for the question."""
    import duckdb

    with map_route.atlas(fixture_db):
        _, frames = map_route.table_route(map_route.state_for(PARAMS))
    con = duckdb.connect(str(fixture_db), read_only=True)
    try:
        rows = hotspot.run_join(con, PARAMS).to_dict("records")
    finally:
        con.close()
    assert rows and hotspot.same_as_page(rows, frames)
    # a row the page does not hold is caught
    assert not hotspot.same_as_page([*rows, {**rows[0], "site_id": "nowhere"}], frames)
    # the app's cached connection was released: the file opens with another configuration
    assert getattr(connection._local, "cursors", None) is None
