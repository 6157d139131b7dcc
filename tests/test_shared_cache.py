"""Views many readers ask for are computed once for all sessions (issue 19.3): the shared caches
are keyed by the normalised filter state (riskatlas.filters.cache_key)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from riskatlas.filters import FilterState, cache_key


def test_equal_views_get_equal_keys_whatever_the_order_and_notices():
    a = FilterState(minerals=("tin", "gold"), countries=("COD", "RWA"), notices=("did you",))
    b = FilterState(minerals=("gold", "tin"), countries=("RWA", "COD"))
    assert a != b  # the page keeps the URL's order (the title words the values in it)
    assert cache_key(a) == cache_key(b)
    assert hash(cache_key(a)) == hash(cache_key(b))
    assert cache_key(a).notices == ()


def test_different_views_get_different_keys():
    base = FilterState(minerals=("gold",))
    for other in (
        replace(base, minerals=("tin",)),
        replace(base, dimension="environment"),
        replace(base, min_risk=30.0),
        replace(base, brands=("apple",)),
        replace(base, year=2022),
        replace(base, evidence="site"),
    ):
        assert cache_key(other) != cache_key(base)


def test_the_hotspot_table_of_a_view_is_built_once_for_equal_states(
    atlas_db, monkeypatch, tmp_path
):
    """A second reader of the same view (its values in another order) is served the table the
    first one built: the rows are not fetched and shaped again."""
    import shutil

    import streamlit as st

    from riskatlas.ui import connection, data, map_results

    # A copy: DuckDB refuses a second in-process connection to one file with another
    # configuration, and the session's `atlas` fixture may hold one.
    copy = shutil.copy(atlas_db, tmp_path / "atlas.duckdb")
    monkeypatch.setenv("RISKATLAS_DB", str(copy))
    st.cache_data.clear()
    calls = []

    def counting(state):
        calls.append(state)
        return data.filtered_set(state)

    monkeypatch.setattr(map_results, "filtered_set", counting)
    first = FilterState(minerals=("tin", "cobalt"), tiers=("smelter_refiner",))
    again = FilterState(minerals=("cobalt", "tin"), tiers=("smelter_refiner",), notices=("x",))
    t1 = map_results.shown_tables(cache_key(first), connection.version())[()]
    t2 = map_results.shown_tables(cache_key(again), connection.version())[()]
    assert len(calls) == 1
    pd.testing.assert_frame_equal(t1, t2)
    # the rows are those of the view, ranked: the page's own route gives the same sites
    direct = data.filtered_set(again).top(map_results.TABLE_ROWS)
    assert list(t1["name"]) == list(direct["name"])
    assert len(t1) == min(map_results.TABLE_ROWS, data.filtered_set(first).n_rows) > 0
    map_results.shown_tables(cache_key(replace(first, minerals=("gold",))), connection.version())
    assert len(calls) == 2  # another view is computed
